package io.convo.topology;

import io.convo.internal.CommandOutcome;
import java.time.Duration;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The idempotency memory: the first outcome of each commandId, kept for the configured retention (24 h by
 * default). A window store, so that old ids expire by dropping whole segments instead of by scanning.
 */
final class CommandOutcomes {

    private final WindowStore<String, CommandOutcome> store;
    private final long retentionMs;

    CommandOutcomes(WindowStore<String, CommandOutcome> store, Duration retention) {
        this.store = store;
        this.retentionMs = retention.toMillis();
    }

    /** The first outcome of this command id, or null if it was not seen within the retention. */
    String firstOutcome(String commandId, long timestamp) {
        try (WindowStoreIterator<CommandOutcome> it = store.fetch(commandId,
                Math.max(0, timestamp - retentionMs), timestamp + retentionMs)) {
            return it.hasNext() ? it.next().value.getOutcome() : null;
        }
    }

    void record(String commandId, long timestamp, String outcome) {
        store.put(commandId, new CommandOutcome(outcome), timestamp);
    }
}
