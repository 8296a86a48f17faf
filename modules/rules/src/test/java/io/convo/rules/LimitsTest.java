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

    @Test
    void rejectsANegativeOrNonNumericOrOversizedLimit() {
        assertThatThrownBy(() -> Limits.from(Map.of("convo.limits.actions-per-second", "-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> Limits.from(Map.of("convo.limits.actions-per-second", "thirty")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be a whole number");
        assertThatThrownBy(() -> Limits.from(Map.of("convo.limits.actions-per-second", "3000000000")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("up to 2147483647");
    }

    @Test
    void aByteLimitMayExceedTheIntRange() {
        assertThat(Limits.from(Map.of("convo.limits.chat-media-file-bytes", "5000000000")).chatMediaFileBytes())
                .isEqualTo(5_000_000_000L);
    }

    @Test
    void theRemainingDefaultsAreTheSpecsToo() {
        Limits d = Limits.defaults();
        assertThat(d.identityChars()).isEqualTo(256);
        assertThat(d.addressChars()).isEqualTo(256);
        assertThat(d.proxyAddressChars()).isEqualTo(256);
        assertThat(d.messageAttributesBytes()).isEqualTo(4_096);
        assertThat(d.mmsFiles()).isEqualTo(10);
        assertThat(d.mmsFileBytes()).isEqualTo(2L * 1_048_576);
        assertThat(d.whatsappFiles()).isEqualTo(1);
        assertThat(d.outboundMmsFileBytes()).isEqualTo(5L * 1_048_576);
        assertThat(d.outboundWhatsappFileBytes()).isEqualTo(16L * 1_048_576);
        assertThat(Limits.KEYS).hasSize(Limits.class.getRecordComponents().length).doesNotHaveDuplicates()
                .contains("participants-per-conversation", "conversations-per-identity", "outbound-text-chars");
    }
}

