package io.convo.app.read;

import io.convo.rules.state.KeyValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The rules' {@link KeyValues} over a store queried through Kafka Streams' interactive queries: reads only. */
final class QueryableKeyValues<V> implements KeyValues<V> {

    private static final StringSerializer KEYS = new StringSerializer();

    private final ReadOnlyKeyValueStore<String, V> store;

    QueryableKeyValues(ReadOnlyKeyValueStore<String, V> store) {
        this.store = store;
    }

    @Override
    public V get(String key) {
        return store.get(key);
    }

    @Override
    public void put(String key, V value) {
        throw new UnsupportedOperationException("a queried store is read-only");
    }

    @Override
    public void delete(String key) {
        throw new UnsupportedOperationException("a queried store is read-only");
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
