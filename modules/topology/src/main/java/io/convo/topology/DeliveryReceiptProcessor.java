package io.convo.topology;

import io.convo.internal.ConversationAggregate;
import io.convo.internal.DeliverySummary;
import io.convo.internal.MessageState;
import io.convo.internal.ParticipantState;
import io.convo.model.ConversationEvent;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliverySummaryUpdated;
import io.convo.rules.Participants;
import org.apache.kafka.common.metrics.Sensor;
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
 *
 * <p>A summary counts only the message's recipients: a receipt for a message that is not there, or for a participant
 * who is not one of its recipients, is ignored and counted in the metric {@value #METRIC_SCOPE} (entity
 * {@code unknown-message} or {@code non-recipient}, operation {@code ignored}).
 */
final class DeliveryReceiptProcessor implements Processor<String, DeliveryReceipt, String, Object> {

    static final String METRIC_SCOPE = "convo-receipts";

    private static final Logger log = LoggerFactory.getLogger(DeliveryReceiptProcessor.class);

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, MessageState> messages;
    private KeyValueStore<String, DeliverySummary> summaries;
    private KeyValueStore<String, ConversationAggregate> conversations;
    private DeliverySummaryFold fold;
    private Sensor unknownMessages;
    private Sensor nonRecipients;

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.messages = context.getStateStore(StoreNames.MESSAGES);
        this.summaries = context.getStateStore(StoreNames.DELIVERY_SUMMARIES);
        this.conversations = context.getStateStore(StoreNames.CONVERSATIONS);
        this.fold = new DeliverySummaryFold(summaries);
        this.unknownMessages = context.metrics().addRateTotalSensor(METRIC_SCOPE, "unknown-message", "ignored",
                Sensor.RecordingLevel.INFO);
        this.nonRecipients = context.metrics().addRateTotalSensor(METRIC_SCOPE, "non-recipient", "ignored",
                Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, DeliveryReceipt> record) {
        DeliveryReceipt receipt = record.value();
        MessageState message = messages.get(StoreNames.key(record.key(), receipt.getMessageSid()));
        if (message == null) {
            log.info("conversation {}: receipt for message {} which is not (or no longer) there; ignored",
                    record.key(), receipt.getMessageSid());
            unknownMessages.record();
            return;
        }
        if (!isRecipient(record.key(), message, receipt.getParticipantSid())) {
            log.info("conversation {}: receipt {} of message {} for {}, who is not one of its recipients; ignored",
                    record.key(), receipt.getStatus(), receipt.getMessageSid(), receipt.getParticipantSid());
            nonRecipients.record();
            return;
        }
        DeliverySummaryUpdated event = fold.apply(record.key(), message, receipt);
        if (event != null) {
            context.forward(new Record<>(record.key(), new ConversationEvent(event), receipt.getTimestamp()),
                    Nodes.CONVERSATION_EVENTS);
        }
    }

    /**
     * A recipient as the fan-out chose them: already in the message's summary (its connector reported it, or its
     * delivery failed at fan-out), or a participant now who was there when the message was sent
     * ({@code joinedAtIndex} at or before its index) and is not its author. A participant removed since then counts
     * once its connector's {@code sent} receipt is in; a provider's status overtaking that receipt for a participant
     * removed in between is the one recipient this misses.
     */
    private boolean isRecipient(String conversationSid, MessageState message, String participantSid) {
        DeliverySummary summary = summaries.get(StoreNames.key(conversationSid, message.getMessageSid()));
        if (summary != null && summary.getStatuses().containsKey(participantSid)) {
            return true;
        }
        ConversationAggregate conversation = conversations.get(conversationSid);
        if (conversation == null) {
            return false;
        }
        ParticipantState participant = Participants.find(conversation, participantSid);
        return participant != null && participant.getJoinedAtIndex() <= message.getIndex()
                && participant != Participants.byAuthor(conversation, message.getAuthor());
    }
}
