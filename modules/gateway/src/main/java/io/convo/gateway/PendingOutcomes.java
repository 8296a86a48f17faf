package io.convo.gateway;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The commands produced for clients whose outcome has not come back yet, by record key, commandId and timestamp:
 * the gateway stamps each command with its own clock, and the topology copies the command's timestamp into its
 * event or rejection, so the three together name one produced command even if a client reuses a commandId. An
 * entry whose outcome never comes is forgotten after the outcome timeout.
 */
final class PendingOutcomes {

    private record Pending(ChatConnection connection, long expiresAtNanos) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final long timeoutNanos;

    PendingOutcomes(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    void register(String key, String commandId, long timestamp, ChatConnection connection) {
        pending.put(id(key, commandId, timestamp), new Pending(connection, System.nanoTime() + timeoutNanos));
    }

    /** The connection waiting for this outcome, removed; null if none (not ours, or expired). */
    ChatConnection take(String key, String commandId, long timestamp) {
        Pending p = pending.remove(id(key, commandId, timestamp));
        return p == null ? null : p.connection();
    }

    void forget(String key, String commandId, long timestamp) {
        pending.remove(id(key, commandId, timestamp));
    }

    void expire() {
        long now = System.nanoTime();
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (now - p.expiresAtNanos() > 0 || !p.connection().isOpen()) {
                it.remove();
            }
        }
    }

    int size() {
        return pending.size();
    }

    private static String id(String key, String commandId, long timestamp) {
        return key + '\u0000' + commandId + '\u0000' + timestamp;
    }
}
