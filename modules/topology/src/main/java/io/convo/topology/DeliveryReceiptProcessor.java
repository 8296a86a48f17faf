package io.convo.topology;

import io.convo.internal.MessageState;
import io.convo.model.ConversationEvent;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliverySummaryUpdated;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds the connectors' {@code delivery-receipts} into a per-message delivery summary (store
 * {@code delivery-summaries}) and appends a {@link DeliverySummaryUpdated} event whenever a recipient's status
 * moves on. Receipts arrive when connectors send them, so these events interleave with a conversation's command
 * events in no defined order. The failed receipts the topology writes itself were folded when the message fanned
 * out, so here they change nothing.
 */
final class DeliveryReceiptProcessor implements Processor<String, DeliveryReceipt, String, Object> {

    private static final Logger log = LoggerFactory.getLogger(DeliveryReceiptProcessor.class);

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, MessageState> messages;
    private DeliverySummaryFold fold;

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.messages = context.getStateStore(StoreNames.MESSAGES);
        this.fold = new DeliverySummaryFold(context.getStateStore(StoreNames.DELIVERY_SUMMARIES));
    }

    @Override
    public void process(Record<String, DeliveryReceipt> record) {
        DeliveryReceipt receipt = record.value();
        MessageState message = messages.get(StoreNames.key(record.key(), receipt.getMessageSid()));
        if (message == null) {
            log.info("conversation {}: receipt for message {} which is not (or no longer) there; ignored",
                    record.key(), receipt.getMessageSid());
            return;
        }
        DeliverySummaryUpdated event = fold.apply(record.key(), message, receipt);
        if (event != null) {
            context.forward(new Record<>(record.key(), new ConversationEvent(event), receipt.getTimestamp()),
                    Nodes.CONVERSATION_EVENTS);
        }
    }
}
