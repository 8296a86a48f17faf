package io.convo.app;

import io.convo.topology.RecordFailures;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * convo's stream-thread policy and the liveness rule on top of it. A thread that fails is always replaced: its tasks
 * restart from their last commit on a new thread (exactly once keeps that safe). A failure pinned on an input record
 * (see {@link RecordFailures}) is progress of a kind, as that record is dead-lettered within
 * {@code convo.failures.max-attempts} failures; any other failure (the registry or the broker unreachable, a failing
 * commit, state that cannot be written) may repeat for ever, so {@link #live} turns false once {@code limit} of them
 * happen within {@code window}, and true again when the window has fewer.
 */
final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailures.class);

    private final RecordFailures records;
    private final int limit;
    private final Duration window;
    private final LongSupplier nanoTime;
    private final Deque<Long> recent = new ArrayDeque<>();
    private final AtomicLong pinned = new AtomicLong();
    private final AtomicLong unpinned = new AtomicLong();
    private volatile Consumer<String> onReplace = threadName -> { };

    StreamThreadFailures(RecordFailures records, int limit, Duration window) {
        this(records, limit, window, System::nanoTime);
    }

    /** What else to do when a thread is replaced, given the failing thread's name (the handler runs on it). */
    void onReplace(Consumer<String> action) {
        this.onReplace = action;
    }

    StreamThreadFailures(RecordFailures records, int limit, Duration window, LongSupplier nanoTime) {
        if (limit < 1) {
            throw new IllegalArgumentException(AppConfig.HEALTH_THREAD_FAILURES.name() + " must be at least 1: " + limit);
        }
        this.records = records;
        this.limit = limit;
        this.window = window;
        this.nanoTime = nanoTime;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable failure) {
        if (records.threadFailed()) {
            pinned.incrementAndGet();
            LOG.warn("A stream thread failed on a record the safety net holds (see the error above); replacing it");
        } else {
            unpinned.incrementAndGet();
            int count;
            synchronized (this) {
                recent.addLast(nanoTime.getAsLong());
                count = trim();
            }
            LOG.error("A stream thread failed ({} of {} such failures within {} s before /health/live fails);"
                    + " replacing it", count, limit, window.toSeconds(), failure);
        }
        onReplace.accept(Thread.currentThread().getName());
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** False while {@code limit} or more failures not pinned on a record happened within the window. */
    synchronized boolean live() {
        return trim() < limit;
    }

    /** Failures not pinned on a record within the window. */
    synchronized int recent() {
        return trim();
    }

    long pinnedTotal() {
        return pinned.get();
    }

    long unpinnedTotal() {
        return unpinned.get();
    }

    int limit() {
        return limit;
    }

    Duration window() {
        return window;
    }

    private int trim() {
        long oldest = nanoTime.getAsLong() - window.toNanos();
        while (!recent.isEmpty() && recent.peekFirst() - oldest < 0) {
            recent.removeFirst();
        }
        return recent.size();
    }
}
