package io.convo.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 12, point 2, on a real broker: the conversation that crash-looped convo (1000 chat participants with 4 KB
 * attributes, whose aggregate passed 1 MB at about 250 participants) now just works, and a 1000-member chat
 * conversation gets one delivery-chat record per 32 KB message. The figures are {@code convo bench --scenario
 * big-conversation}'s; this test checks outcomes only.
 *
 * <p>Runs only with {@code -Dconvo.heavy.test=true} (about 40 s): the default suite covers the same conversation,
 * 1000 participants with 4 KB attributes, in {@code ConversationAtEveryLimitIT}.
 */
@EnabledIfSystemProperty(named = "convo.heavy.test", matches = "true",
        disabledReason = "the big-conversation run is heavy: -Dconvo.heavy.test=true (README)")
class BigConversationIT {

    @Test
    void aThousandParticipantsWith4KbAttributesAreAddedAndTheirConversationTakesMessages() throws Exception {
        BigConversation.Result result = new BigConversation(1_000, 30, message -> { }).run();

        assertThat(result.unexpected()).as("no command rejected").isEmpty();
        assertThat(result.participants()).isEqualTo(1_000);
        assertThat(result.phases()).extracting(BigConversation.MessagePhase::participants)
                .containsExactly(10, 100, 1_000);
        assertThat(result.phases()).allSatisfy(phase -> {
            assertThat(phase.messages()).isEqualTo(30);
            assertThat(phase.chatDeliveryRecords()).as("one delivery-chat record per message, whatever the audience")
                    .isEqualTo(30);
        });
    }
}
