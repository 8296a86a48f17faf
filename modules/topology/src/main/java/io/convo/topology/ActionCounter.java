package io.convo.topology;

import io.convo.internal.ActionWindowCounts;
import io.convo.model.RateLimitScope;
import io.convo.rules.ActionWindows;
import io.convo.rules.Rejection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * L10 against the per-second action counts of one scope's keys. Each key keeps its own recent windows and drops
 * those more than {@code horizon} before its latest one: retention follows the key's own commands, not the task's
 * stream time, so a conversation whose commands wait behind checks while others race ahead keeps its counts.
 */
final class ActionCounter {

    private final KeyValueStore<String, ActionWindowCounts> store;
    private final RateLimitScope scope;
    private final int limit;
    private final long horizonMs;

    ActionCounter(KeyValueStore<String, ActionWindowCounts> store, RateLimitScope scope, int limit, Duration horizon) {
        this.store = store;
        this.scope = scope;
        this.limit = limit;
        this.horizonMs = horizon.toMillis();
    }

    /**
     * Counts the action and returns null when its window has room; else the rejection, and nothing is counted. A
     * command whose window is older than the key's horizon is rejected: its count is no longer known.
     */
    Rejection admit(String key, long timestamp) {
        ActionWindowCounts windows = store.get(key);
        if (windows == null) {
            windows = new ActionWindowCounts(new ArrayList<>(), new ArrayList<>());
        }
        List<Long> starts = windows.getStarts();
        long start = ActionWindows.windowStart(timestamp);
        if (!starts.isEmpty() && start < starts.get(starts.size() - 1) - horizonMs) {
            return Rejection.invalid("timestamp " + timestamp + " is more than " + horizonMs / 1000
                    + " s before this " + scope + "'s latest action; its rate window is gone");
        }
        ActionWindowCounts counted = windows;
        long retryAfter = ActionWindows.retryAfterMs(timestamp, limit, s -> count(counted, s));
        if (retryAfter > 0) {
            return Rejection.rateLimited(scope, limit, retryAfter);
        }
        increment(windows, start);
        store.put(key, windows);
        return null;
    }

    private static long count(ActionWindowCounts windows, long start) {
        int i = windows.getStarts().indexOf(start);
        return i < 0 ? 0 : windows.getCounts().get(i);
    }

    /** Adds one to the window, keeping starts ascending, and drops windows past the horizon of the newest. */
    private void increment(ActionWindowCounts windows, long start) {
        List<Long> starts = windows.getStarts();
        List<Integer> counts = windows.getCounts();
        int i = starts.indexOf(start);
        if (i >= 0) {
            counts.set(i, counts.get(i) + 1);
        } else {
            int at = 0;
            while (at < starts.size() && starts.get(at) < start) {
                at++;
            }
            starts.add(at, start);
            counts.add(at, 1);
        }
        long oldest = starts.get(starts.size() - 1) - horizonMs;
        while (starts.get(0) < oldest) {
            starts.remove(0);
            counts.remove(0);
        }
    }
}
