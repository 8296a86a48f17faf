package io.convo.app.read;

import io.convo.model.config.ConfigKey;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * convo's read API: a small HTTP server (the JDK's) over Kafka Streams interactive queries, answering from any
 * instance. A request for a key this instance does not own is forwarded to the owner's read API, found through
 * {@link KafkaStreams#queryMetadataForKey} and the owners' {@code application.server}; so every instance must run a
 * read API at the host and port its {@code application.server} names. Reads are never rate-limited.
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
 * "message":…}}); a key whose owner is rebalancing or restoring is a 503 with {@code Retry-After}. It starts serving
 * when constructed.
 */
public final class ReadApi implements AutoCloseable {

    public static final ConfigKey<Boolean> ENABLED = ConfigKey.flag("convo.read.enabled", false,
            "Serve the HTTP read API next to the streams.");
    public static final ConfigKey<String> HOST = ConfigKey.text("convo.read.host", "127.0.0.1",
            "Address of the read API; also this instance's application.server, where other instances forward reads"
                    + " of keys it owns.");
    public static final ConfigKey<Integer> PORT = ConfigKey.integer("convo.read.port", 8081, "Port of the read API.");
    /** The read API's keys. */
    public static final List<ConfigKey<?>> KEYS = List.of(ENABLED, HOST, PORT);

    /** Marks a forwarded request, so that it is answered where it lands and never forwarded twice. */
    static final String FORWARDED_HEADER = "X-Convo-Forwarded-By";
    /** Names the instance whose stores answered ({@code host:port}), also on a forwarded answer. */
    public static final String SERVED_BY_HEADER = "X-Convo-Served-By";

    private static final Logger LOG = LoggerFactory.getLogger(ReadApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(10);
    private static final int THREADS = 4;

    private final KafkaStreams streams;
    private final LocalReads reads;
    private final HostInfo self;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final String servedBy;

    /**
     * Binds {@code host:port} and starts serving.
     *
     * @param config the application's configuration; its {@code application.server} is this instance's identity
     *               among the owners (when absent, the instance is taken to be the only one and answers everything
     *               from its own stores)
     * @throws UncheckedIOException when the address cannot be bound
     */
    public ReadApi(KafkaStreams streams, String host, int port, Properties config) {
        this.streams = streams;
        this.reads = new LocalReads(streams);
        String applicationServer = config.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG);
        this.self = applicationServer == null || applicationServer.isBlank()
                ? null
                : HostInfo.buildFromEndpoint(applicationServer.trim());
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "convo-read-api-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder().connectTimeout(FORWARD_TIMEOUT).build();
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            executor.shutdown();
            throw new UncheckedIOException("cannot bind the read API to " + host + ":" + port, e);
        }
        servedBy = self != null ? self.host() + ":" + self.port() : host + ":" + port();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        LOG.info("read API listening on http://{}:{} (application.server {})", host, port(), applicationServer);
    }

    /**
     * Starts a read API at the {@link #HOST} and {@link #PORT} of {@code config}. The
     * {@code KafkaStreams} must have been built from {@link #withApplicationServer}{@code (config)}.
     */
    public static ReadApi start(KafkaStreams streams, Properties config) {
        return new ReadApi(streams, readHost(config), readPort(config), withApplicationServer(config));
    }

    /**
     * {@code config} with {@code application.server} set to the read API's address, unless it is set already: the
     * address other instances forward requests to. Give the result to {@code KafkaStreams}. {@code config} is not
     * modified.
     */
    public static Properties withApplicationServer(Properties config) {
        Properties copy = new Properties();
        copy.putAll(config);
        String server = copy.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG);
        if (server == null || server.isBlank()) {
            copy.setProperty(StreamsConfig.APPLICATION_SERVER_CONFIG, readHost(config) + ":" + readPort(config));
        }
        return copy;
    }

    private static String readHost(Properties config) {
        return HOST.from(config);
    }

    private static int readPort(Properties config) {
        return PORT.from(config);
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
            if (route.store() == null || self == null) {
                send(exchange, reads.answer(route, null));
                return;
            }
            KeyQueryMetadata owner = streams.queryMetadataForKey(route.store(), route.partitionKey(),
                    Serdes.String().serializer());
            boolean forwarded = exchange.getRequestHeaders().containsKey(FORWARDED_HEADER);
            if (owner == null || owner.activeHost() == null || owner.activeHost().port() < 0
                    || owner == KeyQueryMetadata.NOT_AVAILABLE) {
                send(exchange, unavailable("no instance owns " + route.partitionKey() + " right now (rebalancing)"));
            } else if (owner.activeHost().equals(self) || forwarded) {
                send(exchange, reads.answer(route, owner.partition()));
            } else {
                forward(exchange, owner.activeHost(), rawPath);
            }
        } catch (InvalidStateStoreException e) {
            send(exchange, unavailable("the store is not queryable here now (" + e.getMessage() + ")"));
        } catch (RuntimeException e) {
            LOG.error("read API: {} failed", exchange.getRequestURI(), e);
            send(exchange, LocalReads.error(500, "INTERNAL_ERROR", String.valueOf(e.getMessage())));
        }
    }

    /** Hands the request to its owner and answers with the owner's answer, without holding a thread meanwhile. */
    private void forward(HttpExchange exchange, HostInfo owner, String rawPath) {
        String query = exchange.getRequestURI().getRawQuery();
        URI target = URI.create("http://" + owner.host() + ":" + owner.port() + rawPath + (query == null ? "" : "?" + query));
        HttpRequest request = HttpRequest.newBuilder(target).timeout(FORWARD_TIMEOUT)
                .header(FORWARDED_HEADER, self.host() + ":" + self.port()).GET().build();
        client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, failure) -> {
            if (failure != null) {
                send(exchange, LocalReads.error(502, "OWNER_UNREACHABLE", "the instance owning this key, "
                        + owner.host() + ":" + owner.port() + ", did not answer: " + failure.getMessage()));
                return;
            }
            for (String header : new String[] {"Retry-After", SERVED_BY_HEADER}) {
                response.headers().firstValue(header).ifPresent(v -> exchange.getResponseHeaders().set(header, v));
            }
            write(exchange, response.statusCode(), response.body());
        });
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
