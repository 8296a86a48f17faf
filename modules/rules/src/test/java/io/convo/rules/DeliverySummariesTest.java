package io.convo.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.MessageState;
import io.convo.model.Channel;
import io.convo.model.ConversationCreated;
import io.convo.model.ConversationState;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import io.convo.model.DeliverySummaryUpdated;
import io.convo.model.ParticipantAdded;
import io.convo.rules.conversation.ConversationAggregate;
import io.convo.rules.conversation.ConversationFold;
import io.convo.rules.conversation.DeliverySummaries;
import org.junit.jupiter.api.Test;

class DeliverySummariesTest {

    private final ConversationAggregate.Stores stores = ConversationAggregate.Stores.inMemory();
    private final ConversationAggregate conversation = new ConversationAggregate(stores, "CH1");
    private final MessageState message = new MessageState("IM1", 0L, "alice");

    DeliverySummariesTest() {
        ConversationFold.evolve(conversation, ConversationCreated.newBuilder().setCommandId("c1").setServiceSid("IS1")
                .setTimestamp(1L).setConversationSid("CH1").setState(ConversationState.active).build());
        // The message's recipients: chat participants who were there when it was sent, besides its author.
        for (String participant : new String[] {"alice", "a", "b", "c"}) {
            ConversationFold.evolve(conversation, ParticipantAdded.newBuilder().setCommandId("join-" + participant)
                    .setServiceSid("IS1").setTimestamp(1L).setConversationSid("CH1").setParticipantSid(participant)
                    .setChannel(Channel.chat).setIdentity(participant).build());
        }
    }

    @Test
    void givenAParticipantWhoIsNotARecipientWhenItsReceiptArrivesThenNothingIsCounted() {
        assertThat(receive("nobody", DeliveryStatus.delivered)).as("never a participant").isNull();
        assertThat(receive("alice", DeliveryStatus.read)).as("the author").isNull();
        assertThat(conversation.summary("IM1")).isNull();
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

    @Test
    void givenSeveralRecipientsWhenEachMovesOnThenEachIsCountedOnceUnderItsLatestStatus() {
        receive("a", DeliveryStatus.sent);
        receive("b", DeliveryStatus.sent);
        receive("c", DeliveryStatus.sent);
        receive("a", DeliveryStatus.delivered);
        receive("b", DeliveryStatus.failed);
        DeliverySummaryUpdated last = receive("a", DeliveryStatus.read);
        assertThat(last.getSent()).isEqualTo(1);
        assertThat(last.getDelivered()).isZero();
        assertThat(last.getRead()).isEqualTo(1);
        assertThat(last.getFailed()).isEqualTo(1);
        assertThat(last.getSent() + last.getDelivered() + last.getRead() + last.getFailed() + last.getUndelivered())
                .isEqualTo(3);
        assertThat(last.getIndex()).isZero();
        assertThat(last.getMessageSid()).isEqualTo("IM1");
        assertThat(last.getParticipantSid()).isEqualTo("a");
        assertThat(last.getStatus()).isEqualTo(DeliveryStatus.read);
    }

    @Test
    void givenAReceiptWhenDecidedThenTheStateIsUnchangedUntilTheEventIsFolded() {
        receive("a", DeliveryStatus.sent);
        var before = Snapshots.of(stores);
        DeliverySummaryUpdated event = DeliverySummaries.decide(DeliveryReceipt.newBuilder().setMessageSid("IM1")
                .setConversationSid("CH1").setParticipantSid("a").setStatus(DeliveryStatus.delivered).setTimestamp(2L)
                .build(), message, conversation);
        assertThat(event).isNotNull();
        assertThat(Snapshots.of(stores)).isEqualTo(before);
        assertThat(conversation.status("IM1", "a")).isEqualTo(DeliveryStatus.sent);
    }
}
