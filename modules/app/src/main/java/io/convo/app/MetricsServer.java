package io.convo.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.convo.topology.RecordFailures;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metrics and health over HTTP, on the JDK's server (three small endpoints need no framework):
 * {@code /metrics}, every Kafka Streams metric in Prometheus format through Micrometer's Kafka Streams binder,
 * convo's own among them ({@code convo-commands}, {@code convo-rejections}, {@code convo-checks}) and Streams'
 * end-to-end latency per node, and the safety net's ({@code convo_dead_letters_total},
 * {@code convo_record_failures_total}, {@code convo_records_skipped_total}, {@code convo_last_dead_letter_offset} by
 * input topic and partition; {@code convo_stream_thread_failures_total}); {@code /health/live}, 200 unless Kafka
 * Streams failed or stopped, or stream threads keep failing ({@link StreamThreadFailures#live});
 * {@code /health/ready}, 200 only while Kafka Streams is RUNNING (503 while it starts or rebalances).
 */
final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final KafkaStreams streams;
    private final RecordFailures recordFailures;
    private final StreamThreadFailures threadFailures;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final KafkaStreamsMetrics binder;
    private final RebindOnScrape rebinder = new RebindOnScrape();
    private final HttpServer server;

    MetricsServer(KafkaStreams streams, RecordFailures recordFailures, StreamThreadFailures threadFailures, String host,
                  int port) {
        this.streams = streams;
        this.recordFailures = recordFailures;
        this.threadFailures = threadFailures;
        this.binder = new KafkaStreamsMetrics(streams, List.of(), rebinder);
        binder.bindTo(registry);
        bindThreadFailures();
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port, e);
        }
        server.createContext("/metrics", exchange -> {
            rebinder.rebind();
            bindRecordFailures();
            answer(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
        });
        server.createContext("/health/live", exchange -> health(exchange, live()));
        server.createContext("/health/ready", exchange -> health(exchange, streams.state() == KafkaStreams.State.RUNNING));
        server.start();
        LOG.info("metrics and health on http://{}:{} (/metrics, /health/live, /health/ready)", host, port());
    }

    int port() {
        return server.getAddress().getPort();
    }

    /**
     * The binder's scheduler, which also runs its re-binding at each scrape. Micrometer binds the Kafka metrics that
     * appear after the start (convo's own sensors among them: they are created as commands come) once a minute, so a
     * scrape could miss for up to 60 s a meter whose first command was long decided; tests waited that minute.
     */
    private static final class RebindOnScrape extends ScheduledThreadPoolExecutor {
        private volatile Runnable rebind;

        RebindOnScrape() {
            super(1, r -> {
                Thread t = new Thread(r, "convo-metrics-rebind");
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            rebind = command;
            return super.scheduleAtFixedRate(command, initialDelay, period, unit);
        }

        /** Runs the re-binding now, on the scheduler's thread like the scheduled runs, so that none overlap. */
        void rebind() {
            Runnable r = rebind;
            if (r == null) {
                return;
            }
            try {
                submit(r).get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("re-binding the Kafka metrics before a scrape failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean live() {
        KafkaStreams.State state = streams.state();
        return state != KafkaStreams.State.ERROR && state != KafkaStreams.State.NOT_RUNNING && threadFailures.live();
    }

    private void health(HttpExchange exchange, boolean ok) throws IOException {
        answer(exchange, ok ? 200 : 503, "application/json",
                "{\"status\":\"" + (ok ? "UP" : "DOWN") + "\",\"streams\":\"" + streams.state()
                        + "\",\"threadFailures\":" + threadFailures.recent() + ",\"threadFailureLimit\":"
                        + threadFailures.limit() + ",\"threadFailureWindowSeconds\":" + threadFailures.window().toSeconds()
                        + "}");
    }

    private void bindThreadFailures() {
        FunctionCounter.builder("convo.stream.thread.failures", threadFailures, StreamThreadFailures::pinnedTotal)
                .tag("pinned", "true").description("Stream threads replaced after a failure pinned on an input record")
                .register(registry);
        FunctionCounter.builder("convo.stream.thread.failures", threadFailures, StreamThreadFailures::unpinnedTotal)
                .tag("pinned", "false").description("Stream threads replaced after any other failure")
                .register(registry);
        Gauge.builder("convo.stream.thread.failures.recent", threadFailures, StreamThreadFailures::recent)
                .description("Failures not pinned on a record within the liveness window").register(registry);
    }

    /**
     * The safety net's counts by input topic and partition: meters appear as partitions have failures or dead
     * letters, each reading the live count.
     */
    private void bindRecordFailures() {
        for (RecordFailures.PartitionCounts row : recordFailures.counts()) {
            String topic = row.topic();
            String partition = String.valueOf(row.partition());
            once("failures/" + topic + "/" + partition, () -> FunctionCounter.builder("convo.record.failures",
                            recordFailures, f -> count(f, topic, row.partition(), "failures"))
                    .tags("topic", topic, "partition", partition)
                    .description("Failed attempts to process an input record, pinned on the record").register(registry));
            once("skipped/" + topic + "/" + partition, () -> FunctionCounter.builder("convo.records.skipped",
                            recordFailures, f -> count(f, topic, row.partition(), "skipped"))
                    .tags("topic", topic, "partition", partition)
                    .description("Records skipped because not even a pointer to them could be dead-lettered")
                    .register(registry));
            once("last/" + topic + "/" + partition, () -> Gauge.builder("convo.last.dead.letter.offset",
                            recordFailures, f -> count(f, topic, row.partition(), "last"))
                    .tags("topic", topic, "partition", partition)
                    .description("Offset of the last input record dead-lettered").register(registry));
            for (String kind : row.deadLetters().keySet()) {
                once("letters/" + topic + "/" + partition + "/" + kind, () -> FunctionCounter.builder(
                                "convo.dead.letters", recordFailures, f -> count(f, topic, row.partition(), kind))
                        .tags("topic", topic, "partition", partition, "kind", kind)
                        .description("Input records dead-lettered, by kind").register(registry));
            }
        }
    }

    private void once(String id, Runnable register) {
        if (registered.add(id)) {
            register.run();
        }
    }

    private static double count(RecordFailures failures, String topic, int partition, String what) {
        for (RecordFailures.PartitionCounts row : failures.counts()) {
            if (row.topic().equals(topic) && row.partition() == partition) {
                return switch (what) {
                    case "failures" -> row.failures();
                    case "skipped" -> row.skipped();
                    case "last" -> row.lastDeadLetterOffset();
                    default -> row.deadLetters().getOrDefault(what, 0L);
                };
            }
        }
        return 0;
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
        rebinder.shutdownNow();
        registry.close();
    }
}
