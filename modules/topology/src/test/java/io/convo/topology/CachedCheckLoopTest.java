package io.convo.topology;

/**
 * {@link CheckLoopTest} on RocksDB stores, which {@code convo run} uses: their record cache hands out copies of what
 * was put, and the waiting commands (parked batches among them) must read back the same through it.
 */
class CachedCheckLoopTest extends CheckLoopTest {

    @Override
    String storeType() {
        return "rocksdb";
    }
}
