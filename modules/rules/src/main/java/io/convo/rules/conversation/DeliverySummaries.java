package io.convo.rules.conversation;

import io.convo.internal.DeliverySummary;
import io.convo.internal.MessageState;
import io.convo.internal.ParticipantState;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import io.convo.model.DeliverySummaryUpdated;

/**
 * Folds receipts into a message's delivery summary: each recipient's latest status, and how many recipients have
 * each. Receipts may arrive out of order, so a status never replaces a later one (read after delivered after sent;
 * failed and undelivered end a delivery but do not undo a read). Only a message's recipients count.
 */
public final class DeliverySummaries {

    private DeliverySummaries() {
    }

    /**
     * The summary event a receipt for {@code message} causes, or null when it changes nothing (a repeat, a late,
     * earlier status, or a receipt for a participant who is not one of the message's recipients; see
     * {@link #isRecipient}). Changes nothing itself: {@link ConversationFold#evolve} applies the event.
     */
    public static DeliverySummaryUpdated decide(DeliveryReceipt receipt, MessageState message,
                                                ConversationAggregate conversation) {
        DeliveryStatus current = conversation.status(message.getMessageSid(), receipt.getParticipantSid());
        if (current == null && !isRecipient(receipt.getParticipantSid(), message, conversation)) {
            return null;
        }
        if (current != null && rank(current) >= rank(receipt.getStatus())) {
            return null;
        }
        DeliverySummary before = conversation.summary(message.getMessageSid());
        int[] counts = before == null ? new int[DeliveryStatus.values().length] : counts(before);
        if (current != null) {
            counts[current.ordinal()]--;
        }
        counts[receipt.getStatus().ordinal()]++;
        return DeliverySummaryUpdated.newBuilder()
                .setTimestamp(receipt.getTimestamp())
                .setConversationSid(conversation.conversationSid())
                .setMessageSid(message.getMessageSid())
                .setIndex(message.getIndex())
                .setParticipantSid(receipt.getParticipantSid())
                .setStatus(receipt.getStatus())
                .setSent(counts[DeliveryStatus.sent.ordinal()])
                .setDelivered(counts[DeliveryStatus.delivered.ordinal()])
                .setRead(counts[DeliveryStatus.read.ordinal()])
                .setFailed(counts[DeliveryStatus.failed.ordinal()])
                .setUndelivered(counts[DeliveryStatus.undelivered.ordinal()])
                .build();
    }

    /**
     * A recipient as the fan-out chose them: already in the message's summary (its connector reported it, or its
     * delivery failed at fan-out), or a participant now who was there when the message was sent (joined at or
     * before its index) and is not its author. A participant removed since then counts once its connector's first
     * receipt is in; a provider's status overtaking that receipt for a participant removed in between is the one
     * recipient this misses.
     */
    public static boolean isRecipient(String participantSid, MessageState message, ConversationAggregate conversation) {
        if (conversation.status(message.getMessageSid(), participantSid) != null) {
            return true;
        }
        ParticipantState participant = conversation.participant(participantSid);
        if (participant == null || participant.getJoinedAtIndex() > message.getIndex()) {
            return false;
        }
        ParticipantState author = conversation.author(message.getAuthor());
        return author == null || !author.getParticipantSid().equals(participantSid);
    }

    private static int[] counts(DeliverySummary s) {
        int[] counts = new int[DeliveryStatus.values().length];
        counts[DeliveryStatus.sent.ordinal()] = s.getSent();
        counts[DeliveryStatus.delivered.ordinal()] = s.getDelivered();
        counts[DeliveryStatus.read.ordinal()] = s.getRead();
        counts[DeliveryStatus.failed.ordinal()] = s.getFailed();
        counts[DeliveryStatus.undelivered.ordinal()] = s.getUndelivered();
        return counts;
    }

    private static int rank(DeliveryStatus status) {
        return switch (status) {
            case sent -> 1;
            case delivered, failed, undelivered -> 2;
            case read -> 3;
        };
    }
}
