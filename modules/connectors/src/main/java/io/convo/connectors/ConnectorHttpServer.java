package io.convo.connectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's HTTP endpoints for providers, on the JDK's built-in server ({@code com.sun.net.httpserver}):
 * {@code POST /v1/status} (status callbacks), {@code POST /v1/inbound} (inbound messages) and {@code GET /health}.
 * Callbacks are small, infrequent JSON posts behind the operator's TLS-terminating proxy, so the JDK server (no
 * dependency, a bounded thread pool) is enough; it has no body limit of its own, so one is enforced here (413).
 * When a token is configured every POST must carry {@code Authorization: Bearer <token>} (else 401).
 */
public final class ConnectorHttpServer implements AutoCloseable {

    public static final String STATUS_PATH = "/v1/status";
    public static final String INBOUND_PATH = "/v1/inbound";
    public static final String HEALTH_PATH = "/health";

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorHttpServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final byte[] token;
    private final int maxBodyBytes;

    /**
     * Binds the server (not started yet).
     *
     * @param token   the bearer token POSTs must carry, or null for none
     * @param inbound the inbound endpoint, or null to answer 404 on {@value #INBOUND_PATH}
     * @throws IOException when the address cannot be bound
     */
    ConnectorHttpServer(InetSocketAddress address, String token, int threads, int maxBodyBytes, JsonEndpoint status,
            JsonEndpoint inbound, Supplier<Map<String, Object>> health) throws IOException {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.maxBodyBytes = maxBodyBytes;
        this.server = HttpServer.create(address, 64);
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "convo-connector-http-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext(STATUS_PATH, exchange -> post(exchange, STATUS_PATH, status));
        if (inbound != null) {
            server.createContext(INBOUND_PATH, exchange -> post(exchange, INBOUND_PATH, inbound));
        }
        server.createContext(HEALTH_PATH, exchange -> {
            if (!exchange.getRequestURI().getPath().equals(HEALTH_PATH)) {
                write(exchange, JsonReply.error(404, "NOT_FOUND", "no such endpoint"));
                return;
            }
            write(exchange, JsonReply.of(200, health.get()));
        });
        server.createContext("/", exchange -> write(exchange, JsonReply.error(404, "NOT_FOUND", "no such endpoint; POST "
                + STATUS_PATH + " or " + INBOUND_PATH)));
    }

    void start() {
        server.start();
        LOG.info("Connector HTTP endpoints on http://{}:{} ({}, {})", address().getHostString(), address().getPort(),
                STATUS_PATH, INBOUND_PATH);
    }

    /** The bound address, with the actual port when 0 was asked for. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void post(HttpExchange exchange, String path, JsonEndpoint endpoint) throws IOException {
        JsonReply reply;
        try {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                reply = JsonReply.error(404, "NOT_FOUND", "no such endpoint");
            } else if (!"POST".equals(exchange.getRequestMethod())) {
                reply = new JsonReply(405, JsonReply.error(405, "METHOD_NOT_ALLOWED", "use POST").body(),
                        Map.of("Allow", "POST"));
            } else if (!authorized(exchange)) {
                reply = new JsonReply(401, JsonReply.error(401, "UNAUTHORIZED", "missing or wrong bearer token").body(),
                        Map.of("WWW-Authenticate", "Bearer"));
            } else {
                byte[] body = readLimited(exchange.getRequestBody());
                reply = body == null
                        ? JsonReply.error(413, "BODY_TOO_LARGE", "bodies are limited to " + maxBodyBytes + " bytes")
                        : endpoint.handle(body);
            }
        } catch (InvalidRequestException e) {
            reply = JsonReply.error(400, "INVALID_REQUEST", e.field(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply = JsonReply.unavailable("UNAVAILABLE", "the connector is stopping");
        } catch (RuntimeException e) {
            LOG.error("{} failed", path, e);
            reply = JsonReply.error(500, "INTERNAL", "the request could not be handled");
        }
        write(exchange, reply);
    }

    private boolean authorized(HttpExchange exchange) {
        if (token == null) {
            return true;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        // Constant-time, so the token cannot be guessed byte by byte from response times.
        return MessageDigest.isEqual(token, header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8));
    }

    /** The body, or null when it is larger than the limit. */
    private byte[] readLimited(InputStream in) throws IOException {
        byte[] body = in.readNBytes(maxBodyBytes + 1);
        return body.length > maxBodyBytes ? null : body;
    }

    private static void write(HttpExchange exchange, JsonReply reply) throws IOException {
        byte[] bytes = JsonBodies.render(reply.body()).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
