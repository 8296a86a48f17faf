package io.convo.connectors;

import io.convo.model.DeliveryReceipt;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/status}: a provider's status callback becomes a {@code delivered}, {@code undelivered} or
 * {@code read} receipt on {@code delivery-receipts}, keyed by conversationSid; answered 202 once Kafka holds it.
 * A callback the provider repeats is a repeated receipt, which the delivery summary absorbs (a status never moves
 * back).
 */
final class StatusCallbackEndpoint implements JsonEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(StatusCallbackEndpoint.class);

    private final String receiptsTopic;
    private final Serializer<DeliveryReceipt> serializer;
    private final AckedPublisher publisher;
    private final LongSupplier clock;

    StatusCallbackEndpoint(String receiptsTopic, Serializer<DeliveryReceipt> serializer, AckedPublisher publisher,
            LongSupplier clock) {
        this.receiptsTopic = receiptsTopic;
        this.serializer = serializer;
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    public JsonReply handle(byte[] body) throws InterruptedException {
        long now = clock.getAsLong();
        DeliveryReceipt receipt = StatusCallbacks.parse(body, now);
        try {
            publisher.publish(new ProducerRecord<>(receiptsTopic, null, now, receipt.getConversationSid(),
                    serializer.serialize(receiptsTopic, receipt)));
        } catch (AckedPublisher.NotAcknowledged e) {
            LOG.warn("conversation {}: status {} of message {} for {} not recorded: {}", receipt.getConversationSid(),
                    receipt.getStatus(), receipt.getMessageSid(), receipt.getParticipantSid(), e.getMessage());
            return JsonReply.unavailable("UNAVAILABLE", "the receipt could not be recorded; retry");
        }
        LOG.debug("conversation {}: message {} {} for {}", receipt.getConversationSid(), receipt.getMessageSid(),
                receipt.getStatus(), receipt.getParticipantSid());
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("messageSid", receipt.getMessageSid());
        reply.put("participantSid", receipt.getParticipantSid());
        reply.put("status", receipt.getStatus().name());
        return JsonReply.of(202, reply);
    }
}
