package io.convo.topology;

import io.convo.internal.RoleState;
import io.convo.internal.UserState;
import io.convo.model.ServiceEvent;
import io.convo.model.serde.ConvoSerdes;
import io.convo.rules.service.ServiceAggregate;
import io.convo.rules.service.ServiceFold;
import io.convo.rules.state.KeyValues;
import io.convo.rules.state.StateKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the service directory, a global store every instance holds, from {@code service-events}: every service's
 * users and roles as the service engine decided them, through the same {@link ServiceFold}, so that a conversation's
 * task can check a participant's or user's permissions without asking the service's (SPEC §9).
 *
 * <p>A global store reads one topic, so users and roles share it, each in a key space of its own ({@link #stores}).
 * Global stores are rebuilt through this processor on restore (Kafka Streams reprocesses custom global stores), so the
 * store never holds the topic's raw records. A record that cannot be read is logged and skipped: a global thread that
 * threw would stop the whole application, and such a record, whatever it is, is no user or role.
 */
final class ServiceDirectory implements Processor<String, byte[], Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(ServiceDirectory.class);

    private final String topic;
    private final Deserializer<ServiceEvent> events;
    private ServiceAggregate.Stores stores;

    ServiceDirectory(String topic, Deserializer<ServiceEvent> events) {
        this.topic = topic;
        this.events = events;
    }

    /** The rules' view of the directory: users and roles by service, as {@link ServiceAggregate} keeps them. */
    static ServiceAggregate.Stores stores(KeyValueStore<String, byte[]> directory) {
        return new ServiceAggregate.Stores(new KeySpace<>(directory, "user", ConvoSerdes.internalSerde(UserState.class)),
                new KeySpace<>(directory, "role", ConvoSerdes.internalSerde(RoleState.class)));
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.stores = stores(context.getStateStore(StoreNames.SERVICE_DIRECTORY));
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
        ServiceFold.evolve(new ServiceAggregate(stores, record.key()), (SpecificRecord) event.getEvent());
    }

    /**
     * One value type's entries of a store shared with others: its keys behind a name of its own, its values encoded
     * with its serde, over the store's {@link KafkaKeyValues}.
     */
    private static final class KeySpace<V> implements KeyValues<V> {

        private final KeyValues<byte[]> bytes;
        private final String space;
        private final Serializer<V> encode;
        private final Deserializer<V> decode;

        KeySpace(KeyValueStore<String, byte[]> store, String name, Serde<V> values) {
            this.bytes = new KafkaKeyValues<>(store);
            this.space = StateKeys.prefix(name);
            this.encode = values.serializer();
            this.decode = values.deserializer();
        }

        @Override
        public V get(String key) {
            byte[] value = bytes.get(space + key);
            return value == null ? null : decode.deserialize(StoreNames.SERVICE_DIRECTORY, value);
        }

        @Override
        public void put(String key, V value) {
            bytes.put(space + key, encode.serialize(StoreNames.SERVICE_DIRECTORY, value));
        }

        @Override
        public void delete(String key) {
            bytes.delete(space + key);
        }

        @Override
        public List<Map.Entry<String, V>> scan(String prefix) {
            List<Map.Entry<String, V>> entries = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : bytes.scan(space + prefix)) {
                entries.add(Map.entry(e.getKey().substring(space.length()),
                        decode.deserialize(StoreNames.SERVICE_DIRECTORY, e.getValue())));
            }
            return entries;
        }
    }
}
