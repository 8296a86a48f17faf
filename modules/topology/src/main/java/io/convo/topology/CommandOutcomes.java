package io.convo.topology;

import io.convo.internal.CommandOutcome;
import io.convo.rules.CommandPipeline;
import java.time.Duration;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The idempotency memory: the first outcome of each commandId, kept for the configured retention (24 h by
 * default). A window store, so that old ids expire by dropping whole segments instead of by scanning. Entries sit
 * in hour-long buckets: a lookup visits the buckets of ± one retention (about 50), whereas one entry per command
 * timestamp would make every lookup walk every timestamp seen in that range.
 */
final class CommandOutcomes implements CommandPipeline.Memory {

    private final WindowStore<String, CommandOutcome> store;
    private final long retentionMs;
    private final long bucketMs;

    CommandOutcomes(WindowStore<String, CommandOutcome> store, Duration retention) {
        this.store = store;
        this.retentionMs = retention.toMillis();
        this.bucketMs = bucket(retention).toMillis();
    }

    /** The bucket (and window size of the store): an hour, or the retention if that is shorter. */
    static Duration bucket(Duration retention) {
        return retention.compareTo(Duration.ofHours(1)) < 0 ? retention : Duration.ofHours(1);
    }

    /** The first outcome of this command id, or null if it was not seen within the retention. */
    @Override
    public String firstOutcome(String commandId, long timestamp) {
        try (WindowStoreIterator<CommandOutcome> it = store.fetch(commandId,
                Math.max(0, bucketStart(timestamp - retentionMs)), bucketStart(timestamp + retentionMs))) {
            return it.hasNext() ? it.next().value.getOutcome() : null;
        }
    }

    void record(String commandId, long timestamp, String outcome) {
        store.put(commandId, new CommandOutcome(outcome), bucketStart(timestamp));
    }

    private long bucketStart(long timestamp) {
        return Math.floorDiv(timestamp, bucketMs) * bucketMs;
    }
}
