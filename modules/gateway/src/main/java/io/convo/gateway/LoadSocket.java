package io.convo.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One load-tool connection: hands each frame, as JSON, to the scenario's callback. Public only because Jetty
 * invokes the listener methods reflectively.
 */
public final class LoadSocket implements Session.Listener.AutoDemanding {

    private static final Logger LOG = LoggerFactory.getLogger(LoadSocket.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private volatile Session session;
    private volatile Consumer<JsonNode> onFrame;
    private volatile boolean closed;

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String text) {
        Consumer<JsonNode> handler = onFrame;
        if (handler != null) {
            try {
                handler.accept(JSON.readTree(text));
            } catch (IOException e) {
                LOG.warn("frame is not JSON: {}", text);
            }
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        closed = true;
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        closed = true;
    }

    /** Where this socket's frames go from now on. */
    void onFrame(Consumer<JsonNode> handler) {
        this.onFrame = handler;
    }

    boolean isOpen() {
        return !closed && session != null && session.isOpen();
    }

    void send(String frame) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.sendText(frame, Callback.NOOP);
        }
    }

    void close() {
        Session s = session;
        if (s != null) {
            s.close(1000, "done", Callback.NOOP);
        }
    }
}
