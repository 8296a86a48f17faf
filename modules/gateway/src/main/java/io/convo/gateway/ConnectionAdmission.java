package io.convo.gateway;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides whether a new connection may open, by the connection limits of SPEC §7 on this instance: concurrent
 * connections per subaccount and overall, then new connections per second per subaccount and overall. A refused
 * attempt counts against nothing. Exact under concurrency: one subaccount's counts change only inside its map entry's
 * {@code compute}, the overall count by compare-and-set.
 */
final class ConnectionAdmission {

    /** What {@link #admit} decided. */
    sealed interface Decision permits Admitted, Refused {
    }

    /** Admitted: release the ticket when the connection ends. */
    record Admitted(Ticket ticket) implements Decision {
    }

    /** Refused, with how long to wait and why. */
    record Refused(long retryAfterNanos, String reason) implements Decision {
    }

    /** A subaccount's open connections and its two windows; entries with nothing open are swept. */
    static final class Subaccount {
        private final String name;
        private final WindowLimiter connects;
        private final WindowLimiter requests;
        private int open; // guarded by the map entry's compute
        private long lastAdmittedMs;

        private Subaccount(String name, ConnectionLimits limits, Clock clock) {
            this.name = name;
            this.connects = new WindowLimiter(limits.connectsPerSecondPerSubaccount(), clock);
            this.requests = new WindowLimiter(limits.requestsPerSecondPerSubaccount(), clock);
        }

        String name() {
            return name;
        }

        /** The subaccount's request window, shared by all its connections. */
        WindowLimiter requests() {
            return requests;
        }
    }

    /** One admitted connection's hold on the counts; {@link #release()} is idempotent. */
    final class Ticket {
        private final Subaccount subaccount;
        private final AtomicBoolean released = new AtomicBoolean();

        private Ticket(Subaccount subaccount) {
            this.subaccount = subaccount;
        }

        Subaccount subaccount() {
            return subaccount;
        }

        /** Counts the connection out; true the first time only. */
        boolean release() {
            if (!released.compareAndSet(false, true)) {
                return false;
            }
            subaccounts.computeIfPresent(subaccount.name, (k, s) -> {
                s.open--;
                return s;
            });
            openOverall.decrementAndGet();
            return true;
        }
    }

    /** How long an idle subaccount entry is kept: longer than a window, so its connect window stays exact. */
    private static final long IDLE_ENTRY_MS = 2_000;

    private final ConnectionLimits limits;
    private final Clock clock;
    private final Map<String, Subaccount> subaccounts = new ConcurrentHashMap<>();
    private final AtomicInteger openOverall = new AtomicInteger();
    private final WindowLimiter connectsOverall;

    ConnectionAdmission(ConnectionLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.connectsOverall = new WindowLimiter(limits.connectsPerSecondOverall(), clock);
    }

    Decision admit(String subaccount) {
        Decision[] decision = new Decision[1];
        subaccounts.compute(subaccount, (name, existing) -> {
            Subaccount s = existing != null ? existing : new Subaccount(name, limits, clock);
            decision[0] = admit(s);
            return s;
        });
        return decision[0];
    }

    /** Inside the subaccount's compute: the checks in order, undoing what an earlier check took when a later one refuses. */
    private Decision admit(Subaccount s) {
        if (s.open >= limits.concurrentPerSubaccount()) {
            return full("subaccount " + s.name + " has " + s.open + " open connections (limit "
                    + limits.concurrentPerSubaccount() + ")");
        }
        if (!takeOverallSlot()) {
            return full("the account has " + openOverall.get() + " open connections (limit "
                    + limits.concurrentOverall() + ")");
        }
        long wait = s.connects.tryAcquire();
        if (wait > 0) {
            openOverall.decrementAndGet();
            return new Refused(wait, "subaccount " + s.name + " opened " + limits.connectsPerSecondPerSubaccount()
                    + " connections this second (limit " + limits.connectsPerSecondPerSubaccount() + "/s)");
        }
        wait = connectsOverall.tryAcquire();
        if (wait > 0) {
            s.connects.refund();
            openOverall.decrementAndGet();
            return new Refused(wait, "the account opened " + limits.connectsPerSecondOverall()
                    + " connections this second (limit " + limits.connectsPerSecondOverall() + "/s)");
        }
        s.open++;
        s.lastAdmittedMs = clock.millis();
        return new Admitted(new Ticket(s));
    }

    private boolean takeOverallSlot() {
        while (true) {
            int open = openOverall.get();
            if (open >= limits.concurrentOverall()) {
                return false;
            }
            if (openOverall.compareAndSet(open, open + 1)) {
                return true;
            }
        }
    }

    private Refused full(String reason) {
        return new Refused(TimeUnit.MILLISECONDS.toNanos(limits.fullRetryAfterMs()), reason);
    }

    /** Forgets subaccounts with no open connection and no recent admission, so the map does not grow forever. */
    void sweep() {
        long now = clock.millis();
        for (String name : subaccounts.keySet()) {
            subaccounts.computeIfPresent(name, (k, s) -> s.open == 0 && now - s.lastAdmittedMs > IDLE_ENTRY_MS ? null : s);
        }
    }

    int openOverall() {
        return openOverall.get();
    }

    int open(String subaccount) {
        Subaccount s = subaccounts.get(subaccount);
        return s == null ? 0 : s.open;
    }
}
