package io.convo.operate;

import io.convo.model.ConversationEvent;
import io.convo.model.ServiceEvent;
import io.convo.model.TopicNames;
import io.convo.model.serde.ConvoSerdes;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.Lock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Replays {@code conversation-events} and {@code service-events} from offset 0 into an {@link EventProjection}: a
 * fresh state that no running application shares. {@link #catchUp} may be called again to apply what was appended
 * since.
 */
public final class EventLogReplay implements AutoCloseable {

    private final TopicNames topics;
    private final Deserializer<ConversationEvent> conversationEvents;
    private final Deserializer<ServiceEvent> serviceEvents;
    private final EventProjection projection = new EventProjection();
    private final LogReader reader;
    private long unreadable;

    /**
     * @throws IllegalStateException when the event topics do not exist
     */
    public EventLogReplay(Properties config) {
        topics = OperateConfig.topics(config);
        Map<String, Object> serdeConfig = OperateConfig.serdeConfig(config);
        conversationEvents = ConvoSerdes.valueSerde(ConversationEvent.class, serdeConfig).deserializer();
        serviceEvents = ConvoSerdes.valueSerde(ServiceEvent.class, serdeConfig).deserializer();
        try {
            reader = new LogReader(config, List.of(topics.conversationEvents(), topics.serviceEvents()));
        } catch (LogReader.MissingTopicsException e) {
            throw new IllegalStateException("the event log " + e.topics() + " does not exist at "
                    + OperateConfig.bootstrapServers(config) + " (check convo.topics.prefix)", e);
        }
    }

    /** Applies the events appended since the last call (all of them at the first call); returns how many. */
    public long catchUp(LogReader.Progress progress) {
        return reader.readToEnd(this::apply, progress);
    }

    /**
     * As {@link #catchUp(LogReader.Progress)}, holding {@code applying} while each event is applied (not while
     * waiting for the broker), so that other threads may read the projection under the matching lock.
     */
    public long catchUp(LogReader.Progress progress, Lock applying) {
        return reader.readToEnd(record -> {
            applying.lock();
            try {
                apply(record);
            } finally {
                applying.unlock();
            }
        }, progress);
    }

    /** Ends a catch-up in progress on another thread (with a {@code WakeupException}); safe from any thread. */
    public void wakeup() {
        reader.wakeup();
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null || record.value() == null) {
            unreadable++;
            return;
        }
        boolean conversation = record.topic().equals(topics.conversationEvents());
        ConversationEvent conversationEvent = null;
        ServiceEvent serviceEvent = null;
        try {
            if (conversation) {
                conversationEvent = conversationEvents.deserialize(record.topic(), record.headers(), record.value());
            } else {
                serviceEvent = serviceEvents.deserialize(record.topic(), record.headers(), record.value());
            }
        } catch (RuntimeException e) {
            // Not an event the topology wrote (someone else produced to the topic): counted, not applied.
            unreadable++;
            return;
        }
        if (conversation) {
            projection.apply(record.key(), conversationEvent);
        } else {
            projection.apply(record.key(), serviceEvent);
        }
    }

    public EventProjection projection() {
        return projection;
    }

    /** Records without a key or a value, or that are no event (the topology writes none of them). */
    public long unreadable() {
        return unreadable;
    }

    @Override
    public void close() {
        reader.close();
    }
}
