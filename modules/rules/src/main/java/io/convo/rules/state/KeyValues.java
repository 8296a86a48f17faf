package io.convo.rules.state;

import java.util.List;
import java.util.Map;

/**
 * The sorted key-value storage the rules keep state in: a Kafka Streams store in the topology, a sorted map in
 * replay, simulate's tests and read models, so that every one of them lays state out, and changes it, alike.
 * Keys of composite entries are built by {@link StateKeys}.
 */
public interface KeyValues<V> {

    /** The value under {@code key}, or null. */
    V get(String key);

    void put(String key, V value);

    void delete(String key);

    /** Every entry whose key starts with {@code prefix}, in key order. */
    List<Map.Entry<String, V>> scan(String prefix);

    /** Deletes every entry whose key starts with {@code prefix}. */
    default void deleteAll(String prefix) {
        for (Map.Entry<String, V> entry : scan(prefix)) {
            delete(entry.getKey());
        }
    }
}
