package io.convo.rules;

import io.convo.internal.ActionWindowCounts;
import io.convo.model.RateLimitScope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * L10: actions per second in 1-second tumbling windows aligned to the second of the command's timestamp. A scope's
 * key (a conversation, a service) keeps its own recent windows in one {@link ActionWindowCounts} value and drops
 * those more than {@link #HORIZON} before its latest one: retention follows the key's own commands, not the task's
 * stream time, so a conversation whose commands wait behind checks while others race ahead keeps its counts.
 */
public final class ActionWindows {

    public static final long WINDOW_MS = 1_000;

    /**
     * How far behind its scope's latest action a command's window may be. A service's actions come from many
     * conversations on many partitions, which may lag behind one another (a task restoring, a backlog): an hour
     * keeps them exact through that, at the cost of up to an hour of per-second counts in a busy scope's value.
     */
    public static final Duration HORIZON = Duration.ofHours(1);

    /** The outcome of one admission: the counts to keep when it was admitted, else the rejection. */
    public record Admission(ActionWindowCounts counted, Rejection rejection) {

        public boolean admitted() {
            return rejection == null;
        }
    }

    private final RateLimitScope scope;
    private final int limit;
    private final long horizonMs;

    public ActionWindows(RateLimitScope scope, int limit, Duration horizon) {
        this.scope = scope;
        this.limit = limit;
        this.horizonMs = horizon.toMillis();
    }

    public static long windowStart(long timestamp) {
        return Math.floorDiv(timestamp, WINDOW_MS) * WINDOW_MS;
    }

    /**
     * Counts an action at {@code timestamp} against a key's windows ({@code current}, null when it has none):
     * admitted with the new counts when its window has room, else rejected and nothing counted. A command whose
     * window is older than the key's horizon is rejected {@code INVALID_COMMAND}: its count is no longer known.
     * {@code current} is not changed.
     */
    public Admission admit(ActionWindowCounts current, long timestamp) {
        List<Long> starts = current == null ? List.of() : current.getStarts();
        List<Integer> counts = current == null ? List.of() : current.getCounts();
        long start = windowStart(timestamp);
        if (!starts.isEmpty() && start < starts.get(starts.size() - 1) - horizonMs) {
            return new Admission(null, Rejection.invalid("timestamp " + timestamp + " is more than " + horizonMs / 1000
                    + " s before this " + scope + "'s latest action; its rate window is gone"));
        }
        long retryAfter = retryAfterMs(timestamp, limit, s -> count(starts, counts, s));
        if (retryAfter > 0) {
            return new Admission(null, Rejection.rateLimited(scope, limit, retryAfter));
        }
        return new Admission(increment(starts, counts, start), null);
    }

    /**
     * How long after {@code timestamp} the first window with room starts, given the counts of the windows from
     * the command's own onwards (a later window may already be full when commands arrive out of order); 0 when
     * the command's own window has room.
     *
     * @param countAt the number of actions counted in the window starting at the given time
     */
    public static long retryAfterMs(long timestamp, int limit, LongUnaryOperator countAt) {
        long start = windowStart(timestamp);
        if (countAt.applyAsLong(start) < limit) {
            return 0;
        }
        long next = start + WINDOW_MS;
        while (countAt.applyAsLong(next) >= limit) {
            next += WINDOW_MS;
        }
        return next - timestamp;
    }

    private static long count(List<Long> starts, List<Integer> counts, long start) {
        int i = starts.indexOf(start);
        return i < 0 ? 0 : counts.get(i);
    }

    /** New counts with one more in the window, starts kept ascending, windows past the newest's horizon dropped. */
    private ActionWindowCounts increment(List<Long> oldStarts, List<Integer> oldCounts, long start) {
        List<Long> starts = new ArrayList<>(oldStarts);
        List<Integer> counts = new ArrayList<>(oldCounts);
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
        int drop = 0;
        while (starts.get(drop) < oldest) {
            drop++;
        }
        return new ActionWindowCounts(new ArrayList<>(starts.subList(drop, starts.size())),
                new ArrayList<>(counts.subList(drop, counts.size())));
    }
}
