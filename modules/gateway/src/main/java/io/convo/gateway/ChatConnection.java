package io.convo.gateway;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's WebSocket: who it is (its verified token), its hold on the connection counts, its request windows,
 * and the order of what it sends and receives. Jetty calls it one event at a time; frames that must wait (for the
 * membership index to catch up, or a catch-up to finish) queue here so that a connection's frames are handled in the
 * order they came. Ending the connection, for whatever reason, counts it out once. Public only because Jetty
 * invokes the listener methods reflectively; nothing else of it is API.
 */
public final class ChatConnection implements Session.Listener.AutoDemanding {

    /** What the gateway does with a connection's events. */
    interface Handler {
        void opened(ChatConnection connection);

        void text(ChatConnection connection, String text);

        void ended(ChatConnection connection, int statusCode, String reason);
    }

    private static final Logger LOG = LoggerFactory.getLogger(ChatConnection.class);
    private static final AtomicLong IDS = new AtomicLong();
    private static final ByteBuffer PING = ByteBuffer.allocate(0);

    private final long id = IDS.incrementAndGet();
    private final AccessToken token;
    private final ConnectionAdmission.Ticket ticket;
    private final RequestLimiter limiter;
    private final int shard;
    private final Handler handler;
    private final long createdNanos = System.nanoTime();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile Session session;
    private volatile long lastReceivedNanos = createdNanos;
    private volatile long lastPingNanos;

    // Upstream order: guarded by itself.
    private final ArrayDeque<UpstreamFrame> waiting = new ArrayDeque<>();
    private boolean blocked;

    // Downstream order per conversation, after a catch-up: confined to the dispatcher thread.
    private final Map<String, DeliveryOrder> orders = new HashMap<>();

    ChatConnection(AccessToken token, ConnectionAdmission.Ticket ticket, RequestLimiter limiter, int shard,
                   Handler handler) {
        this.token = token;
        this.ticket = ticket;
        this.limiter = limiter;
        this.shard = shard;
        this.handler = handler;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        lastReceivedNanos = System.nanoTime();
        handler.opened(this);
    }

    @Override
    public void onWebSocketText(String text) {
        lastReceivedNanos = System.nanoTime();
        handler.text(this, text);
    }

    /**
     * A binary frame is a request like a text frame: bounded by {@code max-frame-bytes} (Jetty closes with 1009 past
     * it, before anything is buffered beyond the bound), read as the same JSON line in UTF-8, counted against the
     * request limits and answered. Bytes that are not UTF-8 JSON get {@code INVALID_COMMAND}, as any such text does
     * (malformed sequences decode to U+FFFD, which no command parses).
     */
    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        lastReceivedNanos = System.nanoTime();
        String text = StandardCharsets.UTF_8.decode(payload).toString();
        callback.succeed();
        handler.text(this, text);
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        lastReceivedNanos = System.nanoTime();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        handler.ended(this, statusCode, reason);
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.debug("connection {} of {}: {}", id, token.identity(), cause.toString());
        handler.ended(this, -1, cause.toString());
    }

    /** Sends a text frame without waiting; a client that does not read its frames is closed (1013). */
    void send(String frame) {
        Session s = session;
        if (s == null || !s.isOpen()) {
            return;
        }
        s.sendText(frame, Callback.from(() -> { }, failure -> {
            if (s.isOpen()) {
                LOG.info("connection {} of {} closed: cannot send ({})", id, token.identity(), failure.toString());
                close(CloseCodes.TRY_AGAIN_LATER, "too many frames waiting to be sent");
            }
        }));
    }

    void ping() {
        Session s = session;
        if (s != null && s.isOpen()) {
            lastPingNanos = System.nanoTime();
            s.sendPing(PING.duplicate(), Callback.NOOP);
        }
    }

    void close(int code, String reason) {
        Session s = session;
        if (s != null) {
            s.close(code, reason, Callback.NOOP);
        }
    }

    /** Drops the TCP connection without a close handshake: for a peer that stopped answering. */
    void disconnect() {
        Session s = session;
        if (s != null) {
            s.disconnect();
        }
    }

    /** Marks the connection ended; true the first time only, when its counts must be released. */
    boolean end() {
        return ended.compareAndSet(false, true);
    }

    boolean isEnded() {
        return ended.get();
    }

    boolean isOpen() {
        Session s = session;
        return !ended.get() && s != null && s.isOpen();
    }

    boolean isOpened() {
        return session != null;
    }

    // --- upstream order ---

    /** Queues {@code frame} if earlier frames are waiting; false when the caller may handle it now. */
    boolean queueIfBlocked(UpstreamFrame frame) {
        synchronized (waiting) {
            if (blocked) {
                waiting.add(frame);
                return true;
            }
            return false;
        }
    }

    /** Later frames wait until {@link #nextWaiting()} finds none. */
    void block() {
        synchronized (waiting) {
            blocked = true;
        }
    }

    /** The next queued frame, or null, in which case the connection is unblocked. */
    UpstreamFrame nextWaiting() {
        synchronized (waiting) {
            UpstreamFrame next = waiting.poll();
            if (next == null) {
                blocked = false;
            }
            return next;
        }
    }

    // --- downstream order (dispatcher thread only) ---

    DeliveryOrder order(String conversationSid) {
        return orders.get(conversationSid);
    }

    DeliveryOrder orderFor(String conversationSid) {
        return orders.computeIfAbsent(conversationSid, k -> new DeliveryOrder());
    }

    // --- accessors ---

    long id() {
        return id;
    }

    AccessToken token() {
        return token;
    }

    ConnectionAdmission.Ticket ticket() {
        return ticket;
    }

    RequestLimiter limiter() {
        return limiter;
    }

    int shard() {
        return shard;
    }

    long createdNanos() {
        return createdNanos;
    }

    long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    long lastPingNanos() {
        return lastPingNanos;
    }

    @Override
    public String toString() {
        return "connection " + id + " of " + token.identity() + " (" + token.subaccount() + ")";
    }
}
