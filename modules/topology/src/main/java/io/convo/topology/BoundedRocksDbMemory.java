package io.convo.topology;

import io.convo.model.config.ConfigKey;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * convo's {@code rocksdb.config.setter}: one block cache and one write-buffer manager for every RocksDB store of the
 * process, so that RocksDB's memory is bounded by configuration ({@link #MEMORY}) whatever the number of stores and
 * partitions. Without it each store instance has its own 50 MB block cache and up to three 16 MB memtables (Kafka
 * Streams' defaults), which with convo's dozen stores on a few partitions each is gigabytes. The memtables are charged
 * to the cache ({@link #MEMTABLE_SHARE} of it at most), and index and filter blocks live in the cache too, pinned at
 * high priority, so that what RocksDB holds for reads cannot grow outside the bound either.
 *
 * <p>The cache and manager are shared by every store and every Kafka Streams instance of the JVM: they are made once,
 * sized by the first configuration that reaches them, and never closed by a store (the others still use them).
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    public static final ConfigKey<Long> MEMORY = new ConfigKey<>("convo.rocksdb.memory.bytes", 128L << 20,
            Long::parseLong, "Off-heap memory of all RocksDB stores of the process together: one shared block cache,"
            + " memtables charged to it.");
    public static final ConfigKey<Double> MEMTABLE_SHARE = new ConfigKey<>("convo.rocksdb.memtable.share", 0.5,
            Double::parseDouble, "The share of convo.rocksdb.memory.bytes the memtables may use before they are flushed.");
    /** The setter's keys. */
    public static final List<ConfigKey<?>> KEYS = List.of(MEMORY, MEMTABLE_SHARE);

    /** Memtables smaller than Kafka Streams' 16 MB: many stores share the budget, and each flushes sooner. */
    private static final long WRITE_BUFFER_BYTES = 4L << 20;
    private static final int WRITE_BUFFERS = 2;
    /** The share of the cache kept for index and filter blocks (high priority). */
    private static final double HIGH_PRIORITY_SHARE = 0.1;

    private static Cache cache;
    private static WriteBufferManager writeBuffers;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        synchronized (BoundedRocksDbMemory.class) {
            if (cache == null) {
                long memory = MEMORY.from(configs);
                double share = MEMTABLE_SHARE.from(configs);
                if (memory <= 0 || share <= 0 || share >= 1) {
                    throw new IllegalArgumentException(MEMORY.name() + " must be positive and " + MEMTABLE_SHARE.name()
                            + " between 0 and 1 (exclusive): " + memory + ", " + share);
                }
                cache = new LRUCache(memory, -1, false, HIGH_PRIORITY_SHARE);
                writeBuffers = new WriteBufferManager((long) (memory * share), cache);
            }
            table.setBlockCache(cache);
            options.setWriteBufferManager(writeBuffers);
        }
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferSize(WRITE_BUFFER_BYTES);
        options.setMaxWriteBufferNumber(WRITE_BUFFERS);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the manager are shared by the other stores: not closed here.
    }
}
