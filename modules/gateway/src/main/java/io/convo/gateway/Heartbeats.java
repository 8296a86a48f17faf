package io.convo.gateway;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the connection count honest: a connection that sent nothing (no frame, no pong) for the heartbeat interval
 * is pinged; one silent for the heartbeat timeout is dropped and counted out at once, without waiting for TCP to
 * notice. An admitted upgrade that never opened is counted out too. Also sweeps idle subaccount entries.
 */
final class Heartbeats implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeats.class);
    /** An admitted upgrade that has not opened by then never will. */
    private static final long OPEN_TIMEOUT_NANOS = Duration.ofSeconds(30).toNanos();

    private final ConnectionRegistry registry;
    private final ConnectionAdmission admission;
    private final long intervalNanos;
    private final long timeoutNanos;
    private final Consumer<ChatConnection> drop;
    private final ScheduledExecutorService scheduler;

    /** @param drop ends a connection: counts it out and disconnects it */
    Heartbeats(ConnectionRegistry registry, ConnectionAdmission admission, Duration interval, Duration timeout,
               Consumer<ChatConnection> drop) {
        this.registry = registry;
        this.admission = admission;
        this.intervalNanos = interval.toNanos();
        this.timeoutNanos = timeout.toNanos();
        this.drop = drop;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gateway-heartbeats");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        // Sweeping five times per interval bounds how late a ping or a drop can be to a fifth of the interval.
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(20), Math.min(intervalNanos, timeoutNanos) / 5);
        scheduler.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }

    void sweep() {
        try {
            long now = System.nanoTime();
            for (ChatConnection c : registry.all()) {
                if (!c.isOpened()) {
                    if (now - c.createdNanos() > OPEN_TIMEOUT_NANOS) {
                        drop.accept(c);
                    }
                    continue;
                }
                long silent = now - c.lastReceivedNanos();
                if (silent >= timeoutNanos) {
                    LOG.info("{} silent for {} ms: dropped", c, TimeUnit.NANOSECONDS.toMillis(silent));
                    drop.accept(c);
                } else if (silent >= intervalNanos && now - c.lastPingNanos() >= intervalNanos) {
                    c.ping();
                }
            }
            admission.sweep();
        } catch (RuntimeException e) {
            LOG.error("heartbeat sweep failed", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
