package io.convo.operate;

import io.convo.model.CommandRejected;
import io.convo.model.ConversationEvent;
import io.convo.model.ServiceEvent;
import io.convo.model.TopicNames;
import io.convo.model.serde.ConvoSerdes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Replays {@code conversation-events} and {@code service-events} from offset 0 into an {@link EventProjection}: a
 * fresh state that no running application shares. {@link #catchUp} may be called again to apply what was appended
 * since. An {@link Observer} also hears of each event once it is applied, and of the commands' rejections.
 */
public final class EventLogReplay implements AutoCloseable {

    /**
     * What a read model built on the projection learns besides it, on the reading thread: each event just after the
     * projection applied it, each {@code command-rejections} record, and the end of each catch-up.
     */
    public interface Observer {
        void conversationEvent(String key, ConversationEvent event);

        void serviceEvent(String key, ServiceEvent event);

        void rejection(String key, CommandRejected rejection);

        /** A catch-up has applied everything up to the log's end as it was when the catch-up began. */
        void caughtUp();
    }

    private final TopicNames topics;
    private final Deserializer<ConversationEvent> conversationEvents;
    private final Deserializer<ServiceEvent> serviceEvents;
    private final Deserializer<CommandRejected> rejections;
    private final EventProjection projection = new EventProjection();
    private final Observer observer;
    private final LogReader reader;
    private long unreadable;

    /**
     * @throws IllegalStateException when the event topics do not exist
     */
    public EventLogReplay(Properties config) {
        this(config, null);
    }

    /**
     * @param observer told of every event applied and of every rejection ({@code command-rejections} is then read
     *                 too); null for none
     * @throws IllegalStateException when the topics do not exist
     */
    public EventLogReplay(Properties config, Observer observer) {
        topics = OperateConfig.topics(config);
        this.observer = observer;
        Map<String, Object> serdeConfig = OperateConfig.serdeConfig(config);
        conversationEvents = ConvoSerdes.valueSerde(ConversationEvent.class, serdeConfig).deserializer();
        serviceEvents = ConvoSerdes.valueSerde(ServiceEvent.class, serdeConfig).deserializer();
        rejections = ConvoSerdes.valueSerde(CommandRejected.class, serdeConfig).deserializer();
        List<String> read = observer == null ? List.of(topics.conversationEvents(), topics.serviceEvents())
                : List.of(topics.conversationEvents(), topics.serviceEvents(), topics.commandRejections());
        try {
            reader = new LogReader(config, read);
        } catch (LogReader.MissingTopicsException e) {
            throw new IllegalStateException("the event log " + e.topics() + " does not exist at "
                    + OperateConfig.bootstrapServers(config) + " (check convo.topics.prefix)", e);
        }
    }

    /** Applies the events appended since the last call (all of them at the first call); returns how many. */
    public long catchUp(LogReader.Progress progress) {
        long read = reader.readToEnd(this::apply, progress);
        caughtUp();
        return read;
    }

    /**
     * As {@link #catchUp(LogReader.Progress)}, holding {@code applying} while each event is applied (not while
     * waiting for the broker), so that other threads may read the projection under the matching lock.
     */
    public long catchUp(LogReader.Progress progress, Lock applying) {
        long read = reader.readToEnd(holding(applying), progress);
        caughtUp();
        return read;
    }

    /**
     * Waits up to {@code timeout} for events appended after the last catch-up and applies those that came, holding
     * {@code applying} as {@link #catchUp(LogReader.Progress, Lock)} does; for a reader that follows the log.
     *
     * @return how many records were read
     */
    public long readMore(Duration timeout, Lock applying) {
        long read = reader.readMore(holding(applying), timeout);
        if (read > 0) {
            caughtUp();
        }
        return read;
    }

    /** Applies each record while holding {@code applying} (not while waiting for the broker). */
    private Consumer<ConsumerRecord<String, byte[]>> holding(Lock applying) {
        return record -> {
            applying.lock();
            try {
                apply(record);
            } finally {
                applying.unlock();
            }
        };
    }

    private void caughtUp() {
        if (observer != null) {
            observer.caughtUp();
        }
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
        String topic = record.topic();
        SpecificRecord value = decode(topic, record);
        if (value instanceof ConversationEvent event) {
            projection.apply(record.key(), event);
            if (observer != null) {
                observer.conversationEvent(record.key(), event);
            }
        } else if (value instanceof ServiceEvent event) {
            projection.apply(record.key(), event);
            if (observer != null) {
                observer.serviceEvent(record.key(), event);
            }
        } else if (value instanceof CommandRejected rejection) {
            observer.rejection(record.key(), rejection);
        }
    }

    /** The record's value, or null (counted) when it is not one the topology wrote: someone else produced it. */
    private SpecificRecord decode(String topic, ConsumerRecord<String, byte[]> record) {
        try {
            if (topic.equals(topics.conversationEvents())) {
                return conversationEvents.deserialize(topic, record.headers(), record.value());
            }
            if (topic.equals(topics.serviceEvents())) {
                return serviceEvents.deserialize(topic, record.headers(), record.value());
            }
            return rejections.deserialize(topic, record.headers(), record.value());
        } catch (RuntimeException e) {
            unreadable++;
            return null;
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
