package io.convo.gateway;

/**
 * The upstream request limits of one connection (SPEC §7): its own window and its subaccount's, shared with the
 * subaccount's other connections. Every upstream frame is a request, whatever it holds; a refused one counts against
 * neither window.
 */
final class RequestLimiter {

    /** A refused request: which limit, and the nanoseconds until the window that admits it. */
    record Refusal(String scope, int limit, long retryAfterNanos) {
    }

    private final WindowLimiter connection;
    private final WindowLimiter subaccount;

    RequestLimiter(WindowLimiter connection, WindowLimiter subaccount) {
        this.connection = connection;
        this.subaccount = subaccount;
    }

    /** Null when admitted. */
    Refusal tryRequest() {
        long wait = connection.tryAcquire();
        if (wait > 0) {
            return new Refusal("connection", connection.limit(), wait);
        }
        wait = subaccount.tryAcquire();
        if (wait > 0) {
            connection.refund();
            return new Refusal("subaccount", subaccount.limit(), wait);
        }
        return null;
    }
}
