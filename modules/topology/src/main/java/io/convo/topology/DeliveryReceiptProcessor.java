package io.convo.topology;

import io.convo.internal.DeliverySummary;
import io.convo.internal.MessageState;
import io.convo.model.ConversationEvent;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import io.convo.model.DeliverySummaryUpdated;
import io.convo.rules.DeliverySummaries;
import java.util.HashMap;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds {@code delivery-receipts} into a per-message delivery summary (store {@code delivery-summaries}) and
 * appends a {@link DeliverySummaryUpdated} event whenever a recipient's status moves on.
 */
final class DeliveryReceiptProcessor implements Processor<String, DeliveryReceipt, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(DeliveryReceiptProcessor.class);

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, MessageState> messages;
    private KeyValueStore<String, DeliverySummary> summaries;

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.messages = context.getStateStore(StoreNames.MESSAGES);
        this.summaries = context.getStateStore(StoreNames.DELIVERY_SUMMARIES);
    }

    @Override
    public void process(Record<String, DeliveryReceipt> record) {
        DeliveryReceipt receipt = record.value();
        String key = StoreNames.key(record.key(), receipt.getMessageSid());
        MessageState message = messages.get(key);
        if (message == null) {
            log.info("conversation {}: receipt for message {} which is not (or no longer) there; ignored",
                    record.key(), receipt.getMessageSid());
            return;
        }
        DeliverySummary summary = summaries.get(key);
        if (summary == null) {
            summary = new DeliverySummary(message.getIndex(), new HashMap<>());
        }
        if (!DeliverySummaries.apply(summary, receipt)) {
            return;
        }
        summaries.put(key, summary);
        DeliverySummaryUpdated event = DeliverySummaryUpdated.newBuilder()
                .setTimestamp(receipt.getTimestamp())
                .setConversationSid(record.key())
                .setMessageSid(receipt.getMessageSid())
                .setIndex(message.getIndex())
                .setParticipantSid(receipt.getParticipantSid())
                .setStatus(receipt.getStatus())
                .setSent(DeliverySummaries.count(summary, DeliveryStatus.sent))
                .setDelivered(DeliverySummaries.count(summary, DeliveryStatus.delivered))
                .setRead(DeliverySummaries.count(summary, DeliveryStatus.read))
                .setFailed(DeliverySummaries.count(summary, DeliveryStatus.failed))
                .setUndelivered(DeliverySummaries.count(summary, DeliveryStatus.undelivered))
                .build();
        context.forward(new Record<>(record.key(), new ConversationEvent(event), receipt.getTimestamp()),
                Nodes.CONVERSATION_EVENTS);
    }
}
