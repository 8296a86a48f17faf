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
 * Builds the stores in the configured kind: RocksDB for the running application, in memory for `simulate` and
 * large topology tests. Both are changelogged, so a task restores the same state wherever it moves.
 */
final class StateStores {

    private final StoreType type;

    StateStores(StoreType type) {
        this.type = type;
    }

    <V> StoreBuilder<KeyValueStore<String, V>> keyValue(String name, Serde<V> values) {
        KeyValueBytesStoreSupplier supplier = type == StoreType.ROCKSDB
                ? Stores.persistentKeyValueStore(name)
                : Stores.inMemoryKeyValueStore(name);
        StoreBuilder<KeyValueStore<String, V>> builder = Stores.keyValueStoreBuilder(supplier, Serdes.String(), values);
        // The cache absorbs the repeated writes of a busy key between commits; memory stores need none.
        return type == StoreType.ROCKSDB ? builder.withCachingEnabled() : builder;
    }

    <V> StoreBuilder<WindowStore<String, V>> windows(String name, Duration retention, Duration size, Serde<V> values) {
        WindowBytesStoreSupplier supplier = type == StoreType.ROCKSDB
                ? Stores.persistentWindowStore(name, retention, size, false)
                : Stores.inMemoryWindowStore(name, retention, size, false);
        return Stores.windowStoreBuilder(supplier, Serdes.String(), values);
    }
}
