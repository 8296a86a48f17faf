package io.convo.operate;

import io.convo.model.ConversationEvent;
import io.convo.model.ServiceEvent;
import io.convo.model.TopicNames;
import io.convo.model.serde.ConvoSerdes;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            unreadable++;
            return;
        }
        if (record.topic().equals(topics.conversationEvents())) {
            projection.apply(record.key(), conversationEvents.deserialize(record.topic(), record.headers(), record.value()));
        } else {
            projection.apply(record.key(), serviceEvents.deserialize(record.topic(), record.headers(), record.value()));
        }
    }

    public EventProjection projection() {
        return projection;
    }

    /** Records without a value (which the topology never writes). */
    public long unreadable() {
        return unreadable;
    }

    @Override
    public void close() {
        reader.close();
    }
}
