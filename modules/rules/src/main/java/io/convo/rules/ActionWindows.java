package io.convo.rules;

import java.util.function.LongUnaryOperator;

/**
 * L10: actions per second in 1-second tumbling windows aligned to the second of the command's timestamp. The
 * counts live in a store under the scope's key; this class only does the arithmetic.
 */
public final class ActionWindows {

    public static final long WINDOW_MS = 1_000;

    private ActionWindows() {
    }

    public static long windowStart(long timestamp) {
        return Math.floorDiv(timestamp, WINDOW_MS) * WINDOW_MS;
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
}
