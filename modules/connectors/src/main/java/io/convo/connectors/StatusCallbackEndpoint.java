package io.convo.connectors;

import io.convo.model.DeliveryReceipt;
import java.time.Duration;
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
 * Only a callback about a real recipient of a real message is believed ({@link MessageRecipients}): an unknown
 * conversation or message is 404, a participant who is not a recipient of that message 409, and neither writes a
 * receipt. Before refusing, the endpoint reads everything committed up to the callback's arrival, so a refusal never
 * comes from lag (a provider reports on a delivery only after it was committed and sent); while that cannot be done
 * (the directories are loading, or behind by more than {@value #CATCH_UP_SECONDS} s) the answer is 503. A callback
 * the provider repeats is a repeated receipt, which the delivery summary absorbs (a status never moves back).
 */
final class StatusCallbackEndpoint implements JsonEndpoint {

    /** Where the endpoint learns what exists: {@link DirectoryUpdater} in the running connector. */
    interface Directory {
        /** True once everything that existed at start has been read. */
        boolean ready();

        /** Waits until everything committed before the call has been read; false if not within {@code timeout}. */
        boolean awaitCaughtUp(Duration timeout) throws InterruptedException;
    }

    static final long CATCH_UP_SECONDS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(StatusCallbackEndpoint.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(CATCH_UP_SECONDS);

    private final String receiptsTopic;
    private final Serializer<DeliveryReceipt> serializer;
    private final MessageRecipients recipients;
    private final Directory directory;
    private final AckedPublisher publisher;
    private final LongSupplier clock;

    StatusCallbackEndpoint(String receiptsTopic, Serializer<DeliveryReceipt> serializer, MessageRecipients recipients,
            Directory directory, AckedPublisher publisher, LongSupplier clock) {
        this.receiptsTopic = receiptsTopic;
        this.serializer = serializer;
        this.recipients = recipients;
        this.directory = directory;
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    public JsonReply handle(byte[] body) throws InterruptedException {
        long now = clock.getAsLong();
        DeliveryReceipt receipt = StatusCallbacks.parse(body, now);
        if (!directory.ready()) {
            return JsonReply.unavailable("NOT_READY", "the connector is still reading the conversations and deliveries; retry");
        }
        MessageRecipients.Verdict verdict = check(receipt);
        long caughtUpMs = 0;
        if (!(verdict instanceof MessageRecipients.Recipient)) {
            long begin = System.nanoTime();
            boolean caughtUp = directory.awaitCaughtUp(CATCH_UP);
            caughtUpMs = (System.nanoTime() - begin) / 1_000_000;
            if (!caughtUp) {
                return JsonReply.unavailable("NOT_READY", "the connector could not read the latest conversations and"
                        + " deliveries in time; retry");
            }
            verdict = check(receipt);
        }
        JsonReply refusal = refusal(verdict);
        if (refusal != null) {
            LOG.info("conversation {}: status {} of message {} for {} refused ({}, after reading up to it in {} ms): {}",
                    receipt.getConversationSid(), receipt.getStatus(), receipt.getMessageSid(),
                    receipt.getParticipantSid(), refusal.status(), caughtUpMs, refusal.body().get("message"));
            return refusal;
        }
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

    private MessageRecipients.Verdict check(DeliveryReceipt receipt) {
        return recipients.check(receipt.getConversationSid(), receipt.getMessageSid(), receipt.getParticipantSid());
    }

    /** The answer to a callback that is not believed; null for a recipient's. */
    private static JsonReply refusal(MessageRecipients.Verdict verdict) {
        if (verdict instanceof MessageRecipients.UnknownConversation unknown) {
            return JsonReply.error(404, "CONVERSATION_NOT_FOUND", "conversationSid", unknown.reason());
        }
        if (verdict instanceof MessageRecipients.UnknownMessage unknown) {
            return JsonReply.error(404, "MESSAGE_NOT_FOUND", "messageSid", unknown.reason());
        }
        if (verdict instanceof MessageRecipients.NotRecipient not) {
            return JsonReply.error(409, "NOT_A_RECIPIENT", "participantSid", not.reason());
        }
        return null;
    }
}
