package io.convo.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metrics and health over HTTP, on the JDK's server (three small endpoints need no framework):
 * {@code /metrics}, every Kafka Streams metric in Prometheus format through Micrometer's Kafka Streams binder,
 * convo's own among them ({@code convo-commands}, {@code convo-rejections}, {@code convo-checks}) and Streams'
 * end-to-end latency per node; {@code /health/live}, 200 unless Kafka Streams failed or stopped;
 * {@code /health/ready}, 200 only while Kafka Streams is RUNNING (503 while it starts or rebalances).
 */
final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final KafkaStreams streams;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final KafkaStreamsMetrics binder;
    private final HttpServer server;

    MetricsServer(KafkaStreams streams, String host, int port) {
        this.streams = streams;
        this.binder = new KafkaStreamsMetrics(streams);
        binder.bindTo(registry);
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port, e);
        }
        server.createContext("/metrics", exchange -> answer(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                registry.scrape()));
        server.createContext("/health/live", exchange -> health(exchange, live()));
        server.createContext("/health/ready", exchange -> health(exchange, streams.state() == KafkaStreams.State.RUNNING));
        server.start();
        LOG.info("metrics and health on http://{}:{} (/metrics, /health/live, /health/ready)", host, port());
    }

    int port() {
        return server.getAddress().getPort();
    }

    private boolean live() {
        KafkaStreams.State state = streams.state();
        return state != KafkaStreams.State.ERROR && state != KafkaStreams.State.NOT_RUNNING;
    }

    private void health(HttpExchange exchange, boolean ok) throws IOException {
        answer(exchange, ok ? 200 : 503, "application/json",
                "{\"status\":\"" + (ok ? "UP" : "DOWN") + "\",\"streams\":\"" + streams.state() + "\"}");
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        binder.close();
        registry.close();
    }
}
