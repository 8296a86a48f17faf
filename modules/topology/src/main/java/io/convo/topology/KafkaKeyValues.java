package io.convo.topology;

import io.convo.rules.state.KeyValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** The rules' {@link KeyValues} over a Kafka Streams store of the task. */
final class KafkaKeyValues<V> implements KeyValues<V> {

    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, V> store;

    KafkaKeyValues(KeyValueStore<String, V> store) {
        this.store = store;
    }

    @Override
    public V get(String key) {
        return store.get(key);
    }

    @Override
    public void put(String key, V value) {
        store.put(key, value);
    }

    @Override
    public void delete(String key) {
        store.delete(key);
    }

    @Override
    public List<Map.Entry<String, V>> scan(String prefix) {
        List<Map.Entry<String, V>> entries = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.prefixScan(prefix, KEYS)) {
            while (it.hasNext()) {
                KeyValue<String, V> kv = it.next();
                entries.add(Map.entry(kv.key, kv.value));
            }
        }
        return entries;
    }
}
