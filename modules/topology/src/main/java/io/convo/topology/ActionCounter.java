package io.convo.topology;

import io.convo.model.RateLimitScope;
import io.convo.rules.ActionWindows;
import io.convo.rules.Rejection;
import org.apache.kafka.streams.state.WindowStore;

/** L10 against a window store of per-second action counts under one scope's keys. */
final class ActionCounter {

    private final WindowStore<String, Long> store;
    private final RateLimitScope scope;
    private final int limit;

    ActionCounter(WindowStore<String, Long> store, RateLimitScope scope, int limit) {
        this.store = store;
        this.scope = scope;
        this.limit = limit;
    }

    /** Counts the action and returns null when its window has room, else the rejection (not counted). */
    Rejection admit(String key, long timestamp) {
        long retryAfter = ActionWindows.retryAfterMs(timestamp, limit, start -> count(key, start));
        if (retryAfter > 0) {
            return Rejection.rateLimited(scope, limit, retryAfter);
        }
        long start = ActionWindows.windowStart(timestamp);
        store.put(key, count(key, start) + 1, start);
        return null;
    }

    private long count(String key, long windowStart) {
        Long n = store.fetch(key, windowStart);
        return n == null ? 0 : n;
    }
}
