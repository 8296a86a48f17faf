package io.convo.topology;

import io.convo.internal.DeliverySummary;
import io.convo.internal.MessageState;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import io.convo.model.DeliverySummaryUpdated;
import io.convo.rules.DeliverySummaries;
import java.util.HashMap;
import org.apache.kafka.streams.state.KeyValueStore;

/** Folds one receipt into its message's summary in {@code delivery-summaries}; the event when it changed. */
final class DeliverySummaryFold {

    private final KeyValueStore<String, DeliverySummary> summaries;

    DeliverySummaryFold(KeyValueStore<String, DeliverySummary> summaries) {
        this.summaries = summaries;
    }

    /** @return the summary event, or null when the receipt changes nothing (a repeat, or a late, earlier status) */
    DeliverySummaryUpdated apply(String conversationSid, MessageState message, DeliveryReceipt receipt) {
        String key = StoreNames.key(conversationSid, message.getMessageSid());
        DeliverySummary summary = summaries.get(key);
        if (summary == null) {
            summary = new DeliverySummary(message.getIndex(), new HashMap<>());
        }
        if (!DeliverySummaries.apply(summary, receipt)) {
            return null;
        }
        summaries.put(key, summary);
        return DeliverySummaryUpdated.newBuilder()
                .setTimestamp(receipt.getTimestamp())
                .setConversationSid(conversationSid)
                .setMessageSid(message.getMessageSid())
                .setIndex(message.getIndex())
                .setParticipantSid(receipt.getParticipantSid())
                .setStatus(receipt.getStatus())
                .setSent(DeliverySummaries.count(summary, DeliveryStatus.sent))
                .setDelivered(DeliverySummaries.count(summary, DeliveryStatus.delivered))
                .setRead(DeliverySummaries.count(summary, DeliveryStatus.read))
                .setFailed(DeliverySummaries.count(summary, DeliveryStatus.failed))
                .setUndelivered(DeliverySummaries.count(summary, DeliveryStatus.undelivered))
                .build();
    }
}
