package io.convo.gateway;

import java.util.Arrays;

/** Latencies in nanoseconds, summarised in milliseconds, for the load tool. Thread-safe. */
final class LatencyLog {
    private long[] values = new long[1 << 16];
    private int size;

    synchronized void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    synchronized int count() {
        return size;
    }

    synchronized String summary() {
        if (size == 0) {
            return "no samples";
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return String.format("p50 %.1f, p90 %.1f, p99 %.1f, max %.1f (n=%d)", ms(sorted, 0.50), ms(sorted, 0.90),
                ms(sorted, 0.99), sorted[size - 1] / 1e6, size);
    }

    private static double ms(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}

