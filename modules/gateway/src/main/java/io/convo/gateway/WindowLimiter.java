package io.convo.gateway;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * At most {@code limit} admissions per tumbling one-second window aligned to the epoch second, on Bucket4j: a bucket
 * of {@code limit} tokens refilled to full, all at once, at every whole second ("intervally aligned" refill). A
 * greedy token bucket would let up to twice the limit through across a window boundary; this one is exact per
 * calendar second, the same windows the topology uses for APS (SPEC §3), and answers how long until the window
 * that admits. Thread-safe and lock-free.
 */
final class WindowLimiter {

    private static final Duration WINDOW = Duration.ofSeconds(1);

    private final Bucket bucket;
    private final int limit;

    WindowLimiter(int limit, Clock clock) {
        this.limit = limit;
        Instant nextSecond = Instant.ofEpochSecond(clock.instant().getEpochSecond() + 1);
        this.bucket = Bucket.builder()
                .addLimit(l -> l.capacity(limit).refillIntervallyAligned(limit, WINDOW, nextSecond))
                .withCustomTimePrecision(new ClockTimeMeter(clock))
                .build();
    }

    /** Takes one admission: 0 when admitted, else the nanoseconds until the next window (at least 1). */
    long tryAcquire() {
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, probe.getNanosToWaitForRefill());
    }

    /**
     * Gives back an admission taken by {@link #tryAcquire()} when a later check refused the same attempt, so a
     * refused attempt never counts. Bucket4j caps the tokens at the limit, so a refund that lands in the next
     * window cannot raise that window above the limit.
     */
    void refund() {
        bucket.addTokens(1);
    }

    int limit() {
        return limit;
    }

    /** Whole seconds for an HTTP {@code Retry-After}, rounded up, at least 1. */
    static long retryAfterSeconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    /** Milliseconds, rounded up, at least 1. */
    static long retryAfterMillis(long nanos) {
        return Math.max(1, (nanos + 999_999L) / 1_000_000L);
    }

    /** Bucket4j's time source on a {@link Clock}, so that tests can hold time still at a window boundary. */
    private record ClockTimeMeter(Clock clock) implements TimeMeter {

        @Override
        public long currentTimeNanos() {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true; // aligned refill needs wall-clock time
        }
    }
}
