package io.convo.rest;

import io.convo.operate.CommittedReadModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of the REST front (Jetty 12): it reads each request's method, path, query and form body and hands
 * them to {@link TwilioApi}, and writes the answer as JSON. A request waits on its thread for its command's outcome,
 * so the pool is sized for that.
 */
final class RestServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);
    private static final int MAX_THREADS = 200;
    /** The largest form body read: a command is at most 1 MB, and a body is at most a command's fields. */
    static final int MAX_BODY_BYTES = 2 << 20;
    /** Twilio's own header is honoured too, as a synonym. */
    private static final List<String> IDEMPOTENCY_HEADERS = List.of("Idempotency-Key", "I-Twilio-Idempotency-Token");

    private final Server server;
    private final ServerConnector connector;

    /**
     * Binds {@code host:port} (0 picks a free port), so that the port is known before {@link #start}.
     *
     * @throws IllegalStateException when the address cannot be bound
     */
    RestServer(String host, int port) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS);
        threads.setName("convo-rest");
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        try {
            connector.open();
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the REST API to " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Starts answering requests with {@code api}. */
    void start(TwilioApi api) {
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                write(response, callback, answer(api, request));
                return true;
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the REST API on " + connector.getHost() + ":" + port() + ": "
                    + e.getMessage(), e);
        }
    }

    int port() {
        return connector.getLocalPort();
    }

    private static TwilioApi.Answer answer(TwilioApi api, Request request) {
        try {
            String method = request.getMethod();
            Map<String, List<String>> form = Map.of();
            if (method.equals("POST")) {
                byte[] body;
                try (InputStream in = Content.Source.asInputStream(request)) {
                    body = in.readNBytes(MAX_BODY_BYTES + 1);
                }
                if (body.length > MAX_BODY_BYTES) {
                    return TwilioApi.Answer.error(new TwilioError(413, 413, "the request body is over "
                            + MAX_BODY_BYTES + " bytes", null));
                }
                form = Form.parse(new String(body, StandardCharsets.UTF_8));
            }
            String idempotencyKey = null;
            for (String header : IDEMPOTENCY_HEADERS) {
                if (idempotencyKey == null) {
                    idempotencyKey = request.getHeaders().get(header);
                }
            }
            return api.answer(method, segments(request.getHttpURI().getDecodedPath()),
                    Form.parse(request.getHttpURI().getQuery()), form,
                    request.getHeaders().get(HttpHeader.AUTHORIZATION), idempotencyKey);
        } catch (CommittedReadModel.NotReady e) {
            return TwilioApi.Answer.error(new TwilioError(503, TwilioError.UNAVAILABLE, e.getMessage() + "; retry shortly",
                    1));
        } catch (IllegalArgumentException e) {
            return TwilioApi.Answer.error(TwilioError.invalid("the request's parameters cannot be read: " + e.getMessage()));
        } catch (IOException | RuntimeException e) {
            LOG.error("REST API: {} {} failed", request.getMethod(), request.getHttpURI(), e);
            return TwilioApi.Answer.error(new TwilioError(500, TwilioError.INTERNAL, "internal error: " + e, null));
        }
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                segments.add(s);
            }
        }
        return segments;
    }

    private static void write(Response response, Callback callback, TwilioApi.Answer answer) {
        response.setStatus(answer.status());
        if (answer.status() == 401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"convo\"");
        }
        if (answer.retryAfterSeconds() != null) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, answer.retryAfterSeconds().toString());
        }
        if (answer.body() == null) {
            response.write(true, ByteBuffer.allocate(0), callback);
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        byte[] json;
        try {
            json = Resources.JSON.writeValueAsBytes(answer.body());
        } catch (IOException e) {
            callback.failed(e);
            return;
        }
        response.write(true, ByteBuffer.wrap(json), callback);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("REST API: stopping the server failed", e);
        }
    }
}
