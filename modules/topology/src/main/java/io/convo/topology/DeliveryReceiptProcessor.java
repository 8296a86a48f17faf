package io.convo.topology;

import io.convo.internal.MessageState;
import io.convo.model.ConversationEvent;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliverySummaryUpdated;
import io.convo.rules.conversation.ConversationAggregate;
import io.convo.rules.conversation.ConversationFold;
import io.convo.rules.conversation.DeliverySummaries;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds the connectors' {@code delivery-receipts} into a per-message delivery summary and appends a
 * {@link DeliverySummaryUpdated} event whenever a recipient's status moves on. Receipts arrive when connectors send
 * them, so these events interleave with a conversation's command events in no defined order. The failed receipts
 * the topology writes itself were folded when the message fanned out, so here they change nothing.
 *
 * <p>A summary counts only the message's recipients: a receipt for a message that is not there, or for a participant
 * who is not one of its recipients, is ignored and counted in the metric {@value #METRIC_SCOPE} (entity
 * {@code unknown-message} or {@code non-recipient}, operation {@code ignored}).
 */
final class DeliveryReceiptProcessor implements Processor<String, DeliveryReceipt, String, Object> {

    static final String METRIC_SCOPE = "convo-receipts";

    private static final Logger log = LoggerFactory.getLogger(DeliveryReceiptProcessor.class);

    private final Sink<ConversationEvent> events;
    private Forwarder out;
    private ConversationAggregate.Stores stores;
    private Sensor unknownMessages;
    private Sensor nonRecipients;

    DeliveryReceiptProcessor(Sink<ConversationEvent> events) {
        this.events = events;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.out = new Forwarder(context);
        this.stores = TaskStores.conversations(context);
        this.unknownMessages = context.metrics().addRateTotalSensor(METRIC_SCOPE, "unknown-message", "ignored",
                Sensor.RecordingLevel.INFO);
        this.nonRecipients = context.metrics().addRateTotalSensor(METRIC_SCOPE, "non-recipient", "ignored",
                Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, DeliveryReceipt> record) {
        DeliveryReceipt receipt = record.value();
        ConversationAggregate conversation = new ConversationAggregate(stores, record.key());
        MessageState message = conversation.message(receipt.getMessageSid());
        if (message == null) {
            log.info("conversation {}: receipt for message {} which is not (or no longer) there; ignored",
                    record.key(), receipt.getMessageSid());
            unknownMessages.record();
            return;
        }
        if (!DeliverySummaries.isRecipient(receipt.getParticipantSid(), message, conversation)) {
            log.info("conversation {}: receipt {} of message {} for {}, who is not one of its recipients; ignored",
                    record.key(), receipt.getStatus(), receipt.getMessageSid(), receipt.getParticipantSid());
            nonRecipients.record();
            return;
        }
        DeliverySummaryUpdated event = DeliverySummaries.decide(receipt, message, conversation);
        if (event != null) {
            ConversationFold.evolve(conversation, event);
            out.forward(events, record.key(), new ConversationEvent(event), receipt.getTimestamp());
        }
    }
}
