package io.convo.connectors;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The in-memory side of the processed-delivery log: per log partition, the delivery ids decided within the
 * retention window, oldest first. Ids older than the window are forgotten, which bounds memory at roughly
 * 150 bytes per delivery of the window. Single-threaded, like the connector loop that owns it.
 */
final class ProcessedDeliveries {

    private final long retentionMs;
    private final Map<Integer, LinkedHashMap<String, Long>> partitions = new HashMap<>();

    ProcessedDeliveries(Duration retention) {
        this.retentionMs = retention.toMillis();
    }

    boolean isLoaded(int partition) {
        return partitions.containsKey(partition);
    }

    /** Starts an empty window for {@code partition}, replacing what was there; ids are then {@link #add}ed. */
    void reset(int partition) {
        partitions.put(partition, new LinkedHashMap<>());
    }

    void drop(int partition) {
        partitions.remove(partition);
    }

    /** Records {@code key} as decided at {@code timestamp}; ignored when that is already outside the window of {@code now}. */
    void add(int partition, String key, long timestamp, long now) {
        if (timestamp < now - retentionMs) {
            return;
        }
        LinkedHashMap<String, Long> window = partitions.computeIfAbsent(partition, p -> new LinkedHashMap<>());
        window.remove(key); // re-inserted at the end, keeping the order by time
        window.put(key, timestamp);
        evict(window, now);
    }

    /** Whether {@code key} was decided within the window that ends at {@code now}. */
    boolean contains(int partition, String key, long now) {
        LinkedHashMap<String, Long> window = partitions.get(partition);
        if (window == null) {
            return false;
        }
        evict(window, now);
        Long decided = window.get(key);
        return decided != null && decided >= now - retentionMs;
    }

    int size() {
        return partitions.values().stream().mapToInt(Map::size).sum();
    }

    private void evict(LinkedHashMap<String, Long> window, long now) {
        long oldest = now - retentionMs;
        Iterator<Long> it = window.values().iterator();
        while (it.hasNext() && it.next() < oldest) {
            it.remove();
        }
    }
}
