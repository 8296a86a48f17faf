package io.convo.topology;

import io.convo.model.serde.RegistrySerde;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ProcessorStateException;

/**
 * The safety net's memory: which input record (topic, partition, offset) failed how many times, so that a failure
 * that repeats on one record ends in a dead letter instead of a crash loop. The exception handlers pin failures on
 * records ({@link #failed}); the decoder in front of every source asks what to do with a record ({@link #next}) before
 * anything else touches it. One instance per application, in memory: a restart counts again from zero, which costs
 * each poison record at most {@code maxAttempts} more thread replacements.
 *
 * <p>Under exactly_once_v2 a failed attempt aborts its transaction, so nothing an attempt wrote is ever seen; the
 * next attempt starts from the last commit and meets the record again, in the decoder.
 */
public final class RecordFailures {

    /** The key under which the application passes its instance to the handlers and decoders, in the Streams config. */
    public static final String CONFIG = "convo.internal.record-failures";
    public static final int DEFAULT_MAX_ATTEMPTS = 2;
    /** Records remembered at most; the oldest are forgotten first (poison records are few, and soon dead-lettered). */
    static final int REMEMBERED = 10_000;

    /** Where a record was read from. */
    public record Source(String topic, int partition, long offset) {
        @Override
        public String toString() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    /** What the decoder does with a record, by the failures pinned on it so far. */
    public enum Next {
        /** Fewer than {@code maxAttempts} failures: process it (again). */
        PROCESS,
        /** {@code maxAttempts} failures: dead-letter it, cut to fit, instead of processing it. */
        DEAD_LETTER,
        /** The dead letter failed too: dead-letter its headers only, a pointer to where the original is kept. */
        POINTER,
        /** Even the pointer failed: skip it, with an error in the log and in the metrics. */
        SKIP
    }

    /** Counts per input partition, for the metrics. */
    public record PartitionCounts(String topic, int partition, long failures, Map<String, Long> deadLetters,
                                  long skipped, long lastDeadLetterOffset) {
    }

    private final int maxAttempts;
    private final Map<Source, Failure> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Source, Failure> eldest) {
            return size() > REMEMBERED;
        }
    };
    /**
     * Counts stream-thread failures. One failure takes more than one path out of a dying thread: a failed send is
     * reported again for every later send of the same transactional producer (whatever record that send is for),
     * surfaces again in whichever processor sends next, and the broker reports its errors with one shared exception
     * instance. So only the first failure after each thread failure is pinned: it is the one that kills the thread.
     */
    private long generation;
    private long pinnedGeneration = -1;
    /**
     * The root cause of every refused send pinned, by identity, with the record it was pinned on. A producer whose send
     * failed keeps that exception and hands the very same instance to later sends, and those can come after the thread
     * that failed was replaced (the tasks a failed thread held are in Kafka Streams' hands until the group moves them):
     * seen on another record, the same instance is the first failure again, never a failure of that record. Weak keys:
     * an exception nothing refers to any more cannot be reported again (and a {@code Throwable} is equal only to itself).
     */
    private final Map<Throwable, Source> pinnedCauses = new WeakHashMap<>();
    private final ConcurrentMap<String, Counts> counts = new ConcurrentHashMap<>();

    /** @param maxAttempts how many times a record may fail before it is dead-lettered; at least 1 */
    public RecordFailures(int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
    }

    /** The application's instance from a Streams config, or null when there is none (topology tests, simulate). */
    public static RecordFailures from(Map<String, ?> configs) {
        Object value = configs == null ? null : configs.get(CONFIG);
        return value instanceof RecordFailures f ? f : null;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Pins a failure on the record it happened on, unless a failure was pinned already since the last thread failure:
     * then this one is its echo (see {@link #threadFailed}) and is not counted.
     *
     * @return how many times the record has failed now, or -1 when the failure was not pinned
     */
    public int failed(Source at, String where, Throwable failure) {
        return pin(at, where, failure, false);
    }

    /**
     * As {@link #failed}, for a send the producer refused on the stream thread while {@code at} was processed. Such a
     * refusal is a fresh exception each time ({@code KafkaProducer} makes it), except when the producer is in error
     * and hands its first error to every later send, which can come after the thread that failed was replaced: so the
     * very exception already pinned on another record is that echo too ({@link #pinnedCauses}). Only sends are judged
     * so: elsewhere one exception instance may stand for many records' failures (a cached one), and taking it for an
     * echo would let a failing record loop for ever.
     */
    public int failedToSend(Source at, String where, Throwable failure) {
        return pin(at, where, failure, true);
    }

    private int pin(Source at, String where, Throwable failure, boolean send) {
        int attempts;
        Throwable cause = rootCause(failure);
        synchronized (this) {
            Source pinnedOn = send ? pinnedCauses.get(cause) : null;
            if (pinnedGeneration == generation || pinnedOn != null && !pinnedOn.equals(at)) {
                return -1;
            }
            pinnedGeneration = generation;
            if (send) {
                pinnedCauses.put(cause, at);
            }
            Failure f = failures.computeIfAbsent(at, s -> new Failure());
            f.attempts++;
            f.last = describe(failure) + (where == null ? "" : " (in " + where + ")");
            attempts = f.attempts;
        }
        counts(at).failures.incrementAndGet();
        return attempts;
    }

    /**
     * A stream thread failed (the uncaught exception handler calls this once per failure): the failures that follow
     * are new ones.
     *
     * @return whether a failure had been pinned on a record since the previous thread failure, i.e. whether this
     *         thread failed on a record that the decoders will divert
     */
    public synchronized boolean threadFailed() {
        boolean pinned = pinnedGeneration == generation;
        generation++;
        return pinned;
    }

    /** What the next attempt at a record that has failed {@code attempts} times does, in words for the log. */
    public String nextStep(int attempts) {
        if (attempts < maxAttempts) {
            return "the record is retried (" + attempts + " of " + maxAttempts + " failures allowed)";
        }
        if (attempts == maxAttempts) {
            return "the record is dead-lettered (" + attempts + " failures)";
        }
        return attempts == maxAttempts + 1 ? "the record is dead-lettered as a pointer (its dead letter failed)"
                : "the record is skipped (not even its pointer could be written)";
    }

    /** What to do with the record read from {@code at}. */
    public Next next(Source at) {
        int attempts = attempts(at);
        if (attempts < maxAttempts) {
            return Next.PROCESS;
        }
        if (attempts == maxAttempts) {
            return Next.DEAD_LETTER;
        }
        return attempts == maxAttempts + 1 ? Next.POINTER : Next.SKIP;
    }

    public synchronized int attempts(Source at) {
        Failure f = failures.get(at);
        return f == null ? 0 : f.attempts;
    }

    /** The last failure pinned on the record, in words; null if none. */
    public synchronized String lastFailure(Source at) {
        Failure f = failures.get(at);
        return f == null ? null : f.last;
    }

    /** A dead letter written for the record at {@code at}, of a kind such as {@code unreadable} or {@code repeated-failure}. */
    public void deadLettered(Source at, String kind) {
        Counts c = counts(at);
        c.deadLetters.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        c.lastDeadLetterOffset.set(at.offset());
    }

    /** A record skipped because not even its pointer could be dead-lettered. */
    public void skipped(Source at) {
        counts(at).skipped.incrementAndGet();
    }

    /** The counts of every input partition that had a failure or a dead letter. */
    public List<PartitionCounts> counts() {
        List<PartitionCounts> rows = new ArrayList<>();
        for (Counts c : counts.values()) {
            Map<String, Long> letters = new LinkedHashMap<>();
            c.deadLetters.forEach((kind, n) -> letters.put(kind, n.get()));
            rows.add(new PartitionCounts(c.topic, c.partition, c.failures.get(), letters, c.skipped.get(),
                    c.lastDeadLetterOffset.get()));
        }
        return rows;
    }

    /**
     * Whether a failure says that something around the record is broken (the registry unreachable, a broker timeout,
     * local state), not the record: such failures are retried without ever being pinned on the record.
     */
    public static boolean infrastructure(Throwable failure) {
        if (RegistrySerde.registryUnreachable(failure)) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException || t instanceof ProcessorStateException) {
                return true;
            }
        }
        return false;
    }

    /** The exception and its root cause in one line. */
    static String describe(Throwable failure) {
        Throwable root = rootCause(failure);
        String text = failure.getClass().getName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        if (root != failure) {
            text += "; caused by " + root.getClass().getName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        }
        return text;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private Counts counts(Source at) {
        return counts.computeIfAbsent(at.topic() + "\u0000" + at.partition(), k -> new Counts(at.topic(), at.partition()));
    }

    private static final class Failure {
        int attempts;
        String last;
    }

    private static final class Counts {
        final String topic;
        final int partition;
        final AtomicLong failures = new AtomicLong();
        final ConcurrentMap<String, AtomicLong> deadLetters = new ConcurrentHashMap<>();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong lastDeadLetterOffset = new AtomicLong(-1);

        Counts(String topic, int partition) {
            this.topic = topic;
            this.partition = partition;
        }
    }
}
