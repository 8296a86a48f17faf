package io.convo.operate;

import io.convo.topology.StoreNames;
import java.util.EnumMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * The contents of the {@link VerifiedStore}s, key by key, as the store holds them: built either by folding the
 * event log ({@link EventProjection}) or by reading the live application's changelogs ({@link ChangelogState}).
 * Keys are sorted, so that a conversation's messages are one range and differences print in a stable order.
 */
public final class StoreSnapshot {

    private final Map<VerifiedStore, NavigableMap<String, SpecificRecord>> stores = new EnumMap<>(VerifiedStore.class);

    public StoreSnapshot() {
        for (VerifiedStore store : VerifiedStore.values()) {
            stores.put(store, new TreeMap<>());
        }
    }

    /** The entry, or null. The caller may change it in place: it is this snapshot's own object. */
    @SuppressWarnings("unchecked")
    public <V extends SpecificRecord> V get(VerifiedStore store, String key) {
        return (V) stores.get(store).get(key);
    }

    /** Puts the entry; a null value deletes it, as a tombstone does in a changelog. */
    public void put(VerifiedStore store, String key, SpecificRecord value) {
        if (value == null) {
            stores.get(store).remove(key);
        } else {
            stores.get(store).put(key, value);
        }
    }

    /** Deletes every entry whose key starts with {@code first} and the separator: all of one conversation's. */
    public void deleteAll(VerifiedStore store, String first) {
        String from = StoreNames.prefix(first);
        // The separator is the lowest character, so the next one bounds the range.
        String to = first + (char) (StoreNames.SEPARATOR + 1);
        stores.get(store).subMap(from, true, to, false).clear();
    }

    /** The store's entries, sorted by key; a live view. */
    public NavigableMap<String, SpecificRecord> entries(VerifiedStore store) {
        return stores.get(store);
    }

    public int size(VerifiedStore store) {
        return stores.get(store).size();
    }
}
