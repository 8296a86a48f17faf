package io.convo.operate;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the read API answers from: the committed events of {@code conversation-events} and {@code service-events}
 * (read with {@code isolation.level=read_committed}), folded through the rules' own folds ({@link EventLogReplay},
 * the same projection {@code convo replay} builds). A transaction that aborts is never seen: Kafka Streams'
 * interactive queries, which this replaces, read the stores as a stream thread leaves them, writes of a
 * transaction that may still abort included (issue 12: a read answered {@code nextMessageIndex} 25, then 6).
 *
 * <p>Each instance keeps the projection of every partition, in memory, so any instance answers any read without
 * forwarding; it holds live state (what the folds keep), not the log. It is built from offset 0 when the instance
 * starts and follows the log from then on, a fetch behind the engines' commits. Until it has first
 * reached the log's end, reads are refused ({@link NotReady}) rather than answered from a partial state.
 */
public final class CommittedReadModel implements AutoCloseable {

    /** The read model has not reached the log's end since it started. */
    public static final class NotReady extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotReady() {
            super("the read model is still reading the event log");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(CommittedReadModel.class);
    /**
     * How long one wait for new events lasts at most once the log's end is reached; the broker answers the fetch as soon
     * as a commit lands, so this bounds only how often an idle model asks for the log's end again.
     */
    private static final Duration IDLE = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final EventLogReplay replay;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Thread follower;
    private volatile boolean ready;
    private volatile boolean closing;

    /**
     * Starts following the event log of {@code config} (its {@code bootstrap.servers}, {@code convo.topics.prefix}
     * and serde).
     *
     * @throws IllegalStateException when the event topics do not exist
     */
    public CommittedReadModel(Properties config) {
        this(config, null);
    }

    /**
     * As {@link #CommittedReadModel(Properties)}, with an observer told of each event as it is applied, under the
     * projection's write lock (so what it keeps changes together with the projection), and of each rejection.
     */
    public CommittedReadModel(Properties config, EventLogReplay.Observer observer) {
        replay = new EventLogReplay(config, observer);
        follower = new Thread(this::follow, "convo-read-model");
        follower.setDaemon(true);
        follower.start();
    }

    /** Whether the read model has reached the log's end once since it started. */
    public boolean ready() {
        return ready;
    }

    /**
     * {@code read} applied to the projection, which no event changes meanwhile (nor what the observer keeps).
     *
     * @throws NotReady before the read model first reached the log's end
     */
    public <T> T read(Function<StoreSnapshot, T> read) {
        if (!ready) {
            throw new NotReady();
        }
        lock.readLock().lock();
        try {
            return read.apply(replay.projection().state());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Events applied since the start. */
    public long applied() {
        lock.readLock().lock();
        try {
            return replay.projection().applied();
        } finally {
            lock.readLock().unlock();
        }
    }

    private void follow() {
        try {
            while (!closing) {
                try {
                    long read = replay.catchUp(null, lock.writeLock());
                    if (!ready) {
                        ready = true;
                        LOG.info("read model: {} events read, following the event log", replay.projection().applied());
                    }
                    if (read == 0) {
                        // At the end: wait for the next commit in a fetch the broker answers as soon as it lands.
                        replay.readMore(IDLE, lock.writeLock());
                    }
                } catch (RuntimeException e) {
                    if (closing) {
                        break;
                    }
                    // The broker is away or the read stalled: what was applied stays, and reading resumes where it was.
                    LOG.warn("read model: reading the event log failed; retrying in {} ms", RETRY.toMillis(), e);
                    Thread.sleep(RETRY.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // The consumer is confined to this thread: it closes it too.
            replay.close();
        }
    }

    @Override
    public void close() {
        closing = true;
        replay.wakeup();
        try {
            follower.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (follower.isAlive()) {
            follower.interrupt();
        }
    }
}
