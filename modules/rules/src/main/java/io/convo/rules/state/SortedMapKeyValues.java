package io.convo.rules.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/** {@link KeyValues} in a {@link TreeMap}: for replay, read models and plain tests of the rules. Not thread-safe. */
public final class SortedMapKeyValues<V> implements KeyValues<V> {

    private final NavigableMap<String, V> entries = new TreeMap<>();

    @Override
    public V get(String key) {
        return entries.get(key);
    }

    @Override
    public void put(String key, V value) {
        entries.put(key, value);
    }

    @Override
    public void delete(String key) {
        entries.remove(key);
    }

    @Override
    public List<Map.Entry<String, V>> scan(String prefix) {
        return new ArrayList<>(entries.subMap(prefix, true, StateKeys.prefixEnd(prefix), false).entrySet());
    }

    @Override
    public void deleteAll(String prefix) {
        entries.subMap(prefix, true, StateKeys.prefixEnd(prefix), false).clear();
    }

    /** Every entry, sorted by key; a live view. */
    public NavigableMap<String, V> entries() {
        return entries;
    }
}
