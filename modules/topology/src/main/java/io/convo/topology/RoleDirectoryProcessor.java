package io.convo.topology;

import io.convo.internal.RoleState;
import io.convo.model.ServiceEvent;
import io.convo.rules.service.ServiceAggregate;
import io.convo.rules.service.ServiceFold;
import io.convo.rules.state.SortedMapKeyValues;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the role directory, a global store every instance holds, from {@code service-events}: the roles the service
 * engine decided, through the same {@link ServiceFold}, so that a conversation's task can check a participant's
 * permissions without asking the service's (SPEC §9). Users are not kept: only roles are read across key spaces.
 *
 * <p>Global stores are rebuilt through this processor on restore (Kafka Streams reprocesses custom global stores), so
 * the store never holds the topic's raw records. A record that cannot be read is logged and skipped: a global
 * thread that threw would stop the whole application, and such a record, whatever it is, is no role.
 */
final class RoleDirectoryProcessor implements Processor<String, byte[], Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(RoleDirectoryProcessor.class);

    private final String topic;
    private final Deserializer<ServiceEvent> events;
    private ServiceAggregate.Stores stores;

    RoleDirectoryProcessor(String topic, Deserializer<ServiceEvent> events) {
        this.topic = topic;
        this.events = events;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        KeyValueStore<String, RoleState> roles = context.getStateStore(StoreNames.ROLE_DIRECTORY);
        // Never written: only role changes are applied.
        this.stores = new ServiceAggregate.Stores(new SortedMapKeyValues<>(), new KafkaKeyValues<>(roles));
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        ServiceEvent event;
        try {
            event = events.deserialize(topic, record.value());
        } catch (RuntimeException e) {
            log.warn("a record of {} under key {} is not a service event and was skipped: {}", topic, record.key(),
                    e.toString());
            return;
        }
        ServiceAggregate.Change change = ServiceFold.change((SpecificRecord) event.getEvent());
        if (change instanceof ServiceAggregate.Change.PutRole || change instanceof ServiceAggregate.Change.DeleteRole) {
            new ServiceAggregate(stores, record.key()).apply(change);
        }
    }
}
