package io.convo.topology;

import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A memory store whose values are in a hash map and whose keys are also kept sorted: Kafka Streams' own memory store
 * keeps everything in one tree of byte-array keys, so every get and every update walks it, and {@code simulate}
 * spent a sixth of its time there. Here a get or an update of an existing key is one hash lookup; only a new key, a
 * delete and a scan touch the sorted keys. Iterators go in key order, as RocksDB's do, over the keys there when they
 * were made, with each entry's value when it is reached (a key deleted meanwhile is skipped), as Kafka Streams' memory
 * store does. Serialization, change logging and metrics stay Kafka Streams' own layers around it.
 */
final class HashKeyValueStore implements KeyValueStore<Bytes, byte[]> {

    /** RocksDB's order (unsigned bytes, a prefix first), compared by the JDK's vectorized intrinsic. */
    private static final Comparator<Bytes> KEY_ORDER = (a, b) -> Arrays.compareUnsigned(a.get(), b.get());

    private final String name;
    private final Map<Bytes, byte[]> values = new HashMap<>();
    private final NavigableSet<Bytes> keys = new TreeSet<>(KEY_ORDER);
    private volatile boolean open;

    private HashKeyValueStore(String name) {
        this.name = name;
    }

    static KeyValueBytesStoreSupplier supplier(String name) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new HashKeyValueStore(name);
            }

            @Override
            public String metricsScope() {
                return "in-memory-hash";
            }
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        // A changelogged memory store starts empty and is refilled from its changelog.
        context.register(root, (key, value) -> put(Bytes.wrap(key), value));
        open = true;
    }

    @Override
    public void put(Bytes key, byte[] value) {
        if (value == null) {
            delete(key);
        } else if (values.put(key, value) == null) {
            keys.add(key);
        }
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        byte[] previous = values.get(key);
        if (previous == null) {
            put(key, value);
        }
        return previous;
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        entries.forEach(e -> put(e.key, e.value));
    }

    @Override
    public byte[] delete(Bytes key) {
        byte[] previous = values.remove(key);
        if (previous != null) {
            keys.remove(key);
        }
        return previous;
    }

    @Override
    public byte[] get(Bytes key) {
        return values.get(key);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return iterator(between(from, to));
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return iterator(between(from, to).descendingSet());
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return iterator(keys);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return iterator(keys.descendingSet());
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        Bytes from = Bytes.wrap(prefixKeySerializer.serialize(null, prefix));
        return iterator(keys.subSet(from, true, Bytes.increment(from), false));
    }

    @Override
    public long approximateNumEntries() {
        return values.size();
    }

    @Override
    public void flush() {
        // Nothing is buffered.
    }

    @Override
    public void close() {
        values.clear();
        keys.clear();
        open = false;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** convo serves no interactive queries, so no store position is tracked for their consistency bounds. */
    @Override
    public Position getPosition() {
        return Position.emptyPosition();
    }

    /** Keys from {@code from} to {@code to}, both included, null for no bound; none when from is past to. */
    private NavigableSet<Bytes> between(Bytes from, Bytes to) {
        if (from != null && to != null && KEY_ORDER.compare(from, to) > 0) {
            return Collections.emptyNavigableSet();
        }
        NavigableSet<Bytes> tail = from == null ? keys : keys.tailSet(from, true);
        return to == null ? tail : tail.headSet(to, true);
    }

    private KeyValueIterator<Bytes, byte[]> iterator(NavigableSet<Bytes> range) {
        Iterator<Bytes> it = List.copyOf(range).iterator();
        return new KeyValueIterator<>() {
            private KeyValue<Bytes, byte[]> next = advance();

            private KeyValue<Bytes, byte[]> advance() {
                while (it.hasNext()) {
                    Bytes key = it.next();
                    byte[] value = values.get(key);
                    if (value != null) {
                        return KeyValue.pair(key, value);
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public KeyValue<Bytes, byte[]> next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                KeyValue<Bytes, byte[]> current = next;
                next = advance();
                return current;
            }

            @Override
            public Bytes peekNextKey() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                return next.key;
            }

            @Override
            public void close() {
                // A copy of the keys: nothing to release.
            }
        };
    }
}
