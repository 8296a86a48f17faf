package io.convo.app.read;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.convo.model.config.ConfigKey;
import io.convo.operate.CommittedReadModel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * convo's read API: a small HTTP server (the JDK's) over the {@link CommittedReadModel}, which every instance keeps
 * whole: any instance answers any read, from committed state only. Reads are never rate-limited.
 *
 * <pre>
 * GET /v1/conversations/{conversationSid}
 * GET /v1/conversations/{conversationSid}/participants
 * GET /v1/conversations/{conversationSid}/participants/{participantSid}/unread
 * GET /v1/conversations/{conversationSid}/messages/{messageSid}/delivery
 * GET /v1/services/{serviceSid}/identities/{identity}/conversations
 * GET /v1/health
 * </pre>
 *
 * Answers are JSON; an unknown id is a 404 whose body names it ({@code {"status":404,"code":"CONVERSATION_NOT_FOUND",
 * "message":…}}); while the read model is still reading the log after a start, a 503 with {@code Retry-After}. It
 * starts serving when constructed.
 */
public final class ReadApi implements AutoCloseable {

    public static final ConfigKey<Boolean> ENABLED = ConfigKey.flag("convo.read.enabled", false,
            "Serve the HTTP read API next to the streams.");
    public static final ConfigKey<String> HOST = ConfigKey.text("convo.read.host", "127.0.0.1",
            "Address of the read API.");
    public static final ConfigKey<Integer> PORT = ConfigKey.integer("convo.read.port", 8081, "Port of the read API.");
    /** The read API's keys. */
    public static final List<ConfigKey<?>> KEYS = List.of(ENABLED, HOST, PORT);

    /** Names the instance that answered ({@code host:port}). */
    public static final String SERVED_BY_HEADER = "X-Convo-Served-By";

    private static final Logger LOG = LoggerFactory.getLogger(ReadApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int THREADS = 4;

    private final CommittedReadModel model;
    private final LocalReads reads;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String servedBy;

    /**
     * Starts the read model and binds {@code host:port}.
     *
     * @param config the application's configuration: where the event log is ({@code bootstrap.servers},
     *               {@code convo.topics.prefix}) and its serde
     * @throws UncheckedIOException  when the address cannot be bound
     * @throws IllegalStateException when the event topics do not exist
     */
    public ReadApi(KafkaStreams streams, String host, int port, Properties config) {
        this.model = new CommittedReadModel(config);
        this.reads = new LocalReads(streams, model);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "convo-read-api-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            executor.shutdown();
            model.close();
            throw new UncheckedIOException("cannot bind the read API to " + host + ":" + port, e);
        }
        servedBy = host + ":" + port();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        LOG.info("read API listening on http://{}:{}", host, port());
    }

    /** Starts a read API at the {@link #HOST} and {@link #PORT} of {@code config}. */
    public static ReadApi start(KafkaStreams streams, Properties config) {
        return new ReadApi(streams, HOST.from(config), PORT.from(config), config);
    }

    /** The port bound (useful when constructed with port 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        model.close();
    }

    private void handle(HttpExchange exchange) {
        try {
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                send(exchange, LocalReads.error(405, "METHOD_NOT_ALLOWED", "the read API answers GET only"));
                return;
            }
            String rawPath = exchange.getRequestURI().getRawPath();
            ReadRoute route = ReadRoute.parse(rawPath);
            if (route == null) {
                send(exchange, LocalReads.notFound("NOT_FOUND", "no such resource: " + rawPath));
                return;
            }
            send(exchange, reads.answer(route));
        } catch (CommittedReadModel.NotReady e) {
            send(exchange, unavailable(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("read API: {} failed", exchange.getRequestURI(), e);
            send(exchange, LocalReads.error(500, "INTERNAL_ERROR", String.valueOf(e.getMessage())));
        }
    }

    private static LocalReads.Response unavailable(String message) {
        LocalReads.Response r = LocalReads.error(503, "UNAVAILABLE", message + "; retry shortly");
        r.body().put("retryAfterMs", 1000);
        return r;
    }

    private void send(HttpExchange exchange, LocalReads.Response response) {
        exchange.getResponseHeaders().set(SERVED_BY_HEADER, servedBy);
        if (response.status() == 503) {
            exchange.getResponseHeaders().set("Retry-After", "1");
        }
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(exchange, response.status(), body);
    }

    private static void write(HttpExchange exchange, int status, byte[] body) {
        try (exchange; OutputStream out = exchange.getResponseBody()) {
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            out.write(body);
        } catch (IOException e) {
            LOG.debug("read API: the client went away before the answer to {}", exchange.getRequestURI(), e);
        }
    }
}
