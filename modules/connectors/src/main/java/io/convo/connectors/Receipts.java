package io.convo.connectors;

import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;

/**
 * The {@code DeliveryReceipt} a connector reports for a decided delivery. A chat audience delivery (one record per
 * message) names no participant: its receipt, participantSid {@link DeliveryId#AUDIENCE}, is kept only as the
 * processed-delivery marker, never published, since a receipt must name its recipient.
 */
final class Receipts {

    private Receipts() {
    }

    static DeliveryReceipt of(Delivery delivery, SendOutcome outcome, long now) {
        DeliveryReceipt.Builder receipt = DeliveryReceipt.newBuilder()
                .setMessageSid(delivery.getMessageSid())
                .setConversationSid(delivery.getConversationSid())
                .setParticipantSid(DeliveryId.of(delivery).participantSid())
                .setChannel(delivery.getChannel())
                .setTimestamp(now);
        if (outcome instanceof SendOutcome.Failed failed) {
            receipt.setStatus(DeliveryStatus.failed).setCode(failed.code()).setReason(failed.reason());
        } else {
            receipt.setStatus(DeliveryStatus.sent);
        }
        return receipt.build();
    }
}
