package io.convo.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.MessageState;
import io.convo.model.ConversationCreated;
import io.convo.model.ConversationState;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import io.convo.model.DeliverySummaryUpdated;
import io.convo.rules.conversation.ConversationAggregate;
import io.convo.rules.conversation.ConversationFold;
import io.convo.rules.conversation.DeliverySummaries;
import org.junit.jupiter.api.Test;

class DeliverySummariesTest {

    private final ConversationAggregate conversation =
            new ConversationAggregate(ConversationAggregate.Stores.inMemory(), "CH1");
    private final MessageState message = new MessageState("IM1", 0L, "alice");

    DeliverySummariesTest() {
        ConversationFold.evolve(conversation, ConversationCreated.newBuilder().setCommandId("c1").setServiceSid("IS1")
                .setTimestamp(1L).setConversationSid("CH1").setState(ConversationState.active).build());
    }

    /** Decides the receipt and, when it changes the summary, folds its event in. */
    private DeliverySummaryUpdated receive(String participant, DeliveryStatus status) {
        DeliverySummaryUpdated event = DeliverySummaries.decide(DeliveryReceipt.newBuilder().setMessageSid("IM1")
                .setConversationSid("CH1").setParticipantSid(participant).setStatus(status).setTimestamp(1L).build(),
                message, conversation);
        if (event != null) {
            ConversationFold.evolve(conversation, event);
        }
        return event;
    }

    @Test
    void givenReceiptsInAnyOrderWhenFoldedThenAStatusNeverReplacesALaterOne() {
        assertThat(receive("a", DeliveryStatus.read)).isNotNull();
        assertThat(receive("a", DeliveryStatus.delivered)).isNull();
        assertThat(receive("a", DeliveryStatus.failed)).isNull();
        assertThat(receive("b", DeliveryStatus.sent)).isNotNull();
        DeliverySummaryUpdated last = receive("b", DeliveryStatus.undelivered);
        assertThat(last).isNotNull();
        assertThat(receive("b", DeliveryStatus.sent)).isNull();
        assertThat(last.getRead()).isEqualTo(1);
        assertThat(last.getUndelivered()).isEqualTo(1);
        assertThat(last.getSent()).isZero();
        assertThat(conversation.status("IM1", "a")).isEqualTo(DeliveryStatus.read);
        assertThat(conversation.summary("IM1").getUndelivered()).isEqualTo(1);
    }
}
