package io.convo.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsTest {

    @Test
    void defaultsAreTheSpecs() {
        Limits d = Limits.defaults();
        assertThat(d.friendlyNameChars()).isEqualTo(256);
        assertThat(d.bodyBytes()).isEqualTo(32_768);
        assertThat(d.conversationAttributesBytes()).isEqualTo(16_384);
        assertThat(d.participantAttributesBytes()).isEqualTo(4_096);
        assertThat(d.participantsPerConversation()).isEqualTo(1000);
        assertThat(d.nonChatParticipantsPerConversation()).isEqualTo(50);
        assertThat(d.groupMmsParticipants()).isEqualTo(10);
        assertThat(d.conversationsPerIdentity()).isEqualTo(1000);
        assertThat(d.actionsPerSecond()).isEqualTo(30);
        assertThat(d.chatMediaFileBytes()).isEqualTo(150L * 1_048_576);
        assertThat(d.mmsTotalBytes()).isEqualTo(5L * 1_048_576);
        assertThat(d.whatsappFileBytes()).isEqualTo(16L * 1_048_576);
        assertThat(d.outboundTextChars()).isEqualTo(1600);
    }

    @Test
    void configurationOverridesAnyLimitByItsKebabCaseName() {
        Limits l = Limits.from(Map.of("convo.limits.participants-per-conversation", "5",
                "convo.limits.actions-per-second", " 3 ", "unrelated.key", "x"));
        assertThat(l.participantsPerConversation()).isEqualTo(5);
        assertThat(l.actionsPerSecond()).isEqualTo(3);
        assertThat(l.bodyBytes()).isEqualTo(32_768);
    }

    @Test
    void everyKeyNamesALimit() {
        for (String key : Limits.KEYS) {
            Limits l = Limits.from(Map.of(Limits.CONFIG_PREFIX + key, "7"));
            assertThat(l).as(key).isNotEqualTo(Limits.defaults());
        }
    }

    @Test
    void rejectsAMistypedLimitKey() {
        assertThatThrownBy(() -> Limits.from(Map.of("convo.limits.participant-per-conversation", "5")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("participant-per-conversation");
    }
}
