package io.convo.topology;

import io.convo.topology.ConvoConfig.StoreType;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Builds the stores in the configured kind: RocksDB for the running application, in memory for topology tests,
 * in memory without changelogs for `simulate`. Changelogged stores restore the same state wherever a task moves.
 */
final class StateStores {

    private final StoreType type;

    StateStores(StoreType type) {
        this.type = type;
    }

    <V> StoreBuilder<KeyValueStore<String, V>> keyValue(String name, Serde<V> values) {
        StoreBuilder<KeyValueStore<String, V>> builder = uncachedKeyValue(name, values);
        // The cache absorbs the repeated writes of a busy key between commits; memory stores need none.
        return type == StoreType.ROCKSDB ? builder.withCachingEnabled() : builder;
    }

    /**
     * A store whose entries are written once and deleted in a later commit, never rewritten in between (a message,
     * an index entry): the record cache would absorb nothing of them and cost a tree insertion, a flush and room that
     * the busy keys of the other stores need (issue 16: with messages and parked commands out of it, the cache stopped
     * evicting, and the action windows' changelog records per command halved; parked commands have since been
     * batched, and a batch is rewritten as commands join it, so they are cached again).
     */
    <V> StoreBuilder<KeyValueStore<String, V>> uncachedKeyValue(String name, Serde<V> values) {
        return logging(Stores.keyValueStoreBuilder(keyValueSupplier(name), Serdes.String(), values));
    }

    /** A global store: no changelog (its topic is its source) and no cache (it is written by one thread). */
    <V> StoreBuilder<KeyValueStore<String, V>> global(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(keyValueSupplier(name), Serdes.String(), values).withLoggingDisabled();
    }

    /** RocksDB, or a memory store whose lookups walk no tree of byte-array comparisons ({@link HashKeyValueStore}). */
    private KeyValueBytesStoreSupplier keyValueSupplier(String name) {
        return type == StoreType.ROCKSDB ? Stores.persistentKeyValueStore(name) : HashKeyValueStore.supplier(name);
    }

    <V> StoreBuilder<WindowStore<String, V>> windows(String name, Duration retention, Duration size, Serde<V> values) {
        WindowBytesStoreSupplier supplier = type == StoreType.ROCKSDB
                ? Stores.persistentWindowStore(name, retention, size, false)
                : Stores.inMemoryWindowStore(name, retention, size, false);
        return logging(Stores.windowStoreBuilder(supplier, Serdes.String(), values));
    }

    private <S extends StoreBuilder<?>> S logging(S builder) {
        if (type == StoreType.IN_MEMORY_UNLOGGED) {
            builder.withLoggingDisabled();
        }
        return builder;
    }
}
