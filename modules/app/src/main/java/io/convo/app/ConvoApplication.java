package io.convo.app;

import io.convo.app.read.ReadApi;
import io.convo.model.serde.ConvoSerdes;
import io.convo.model.serde.RegistrySubjects;
import io.convo.rest.RestConfig;
import io.convo.rest.RestFront;
import io.convo.rules.Limits;
import io.convo.rules.RecordBounds;
import io.convo.testkit.EmbeddedApicurioRegistry;
import io.convo.testkit.EmbeddedKafkaBroker;
import io.convo.topology.ConvoConfig;
import io.convo.topology.ConvoConfig.TopologySettings;
import io.convo.topology.ConvoTopology;
import io.convo.topology.DeadLetters;
import io.convo.topology.ProcessingFailureHandler;
import io.convo.topology.ProductionFailureHandler;
import io.convo.topology.RecordFailures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * convo as one process: the embedded broker when no {@code bootstrap.servers} is configured, the embedded
 * registry when the registry serde has no URL, convo's topics, and Kafka Streams on
 * {@link ConvoTopology#buildTopology}. {@code convo run} and the integration tests both use it, so the tests run
 * exactly what ships. Not restartable: build a new one after {@link #close()}.
 *
 * <p>No record stops it: every source is decoded first and dead-letters what it cannot read, and under it a safety
 * net (its {@link RecordFailures}, convo's processing and production exception handlers, {@link StreamThreadFailures}
 * as the uncaught exception handler) pins a failure on the input record it happened on, replaces the thread, and
 * dead-letters the record once it has failed {@code convo.failures.max-attempts} times.
 *
 * <p>It stops in the reverse order of start: the parts {@link #attach attached} on top of it (connectors, the
 * gateway), then the read API and metrics, Kafka Streams, the registry, and last the broker, so that nothing is left
 * talking to a broker that is already gone.
 */
public final class ConvoApplication implements AutoCloseable {

    /** How long {@link #close()} gives Kafka Streams to commit and leave; the whole process must stop within 10 s. */
    static final Duration STREAMS_CLOSE_TIMEOUT = Duration.ofSeconds(5);
    static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ADMIN_CLOSE_TIMEOUT = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger(ConvoApplication.class);

    private final Properties config;
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;
    private long startedNanos;
    private EmbeddedKafkaBroker broker;
    private EmbeddedApicurioRegistry registry;
    private KafkaStreams streams;
    private ReadApi readApi;
    private RestFront restFront;
    private MetricsServer metricsServer;
    private StaticMemberRelease memberRelease;
    private RecordFailures recordFailures;
    private StreamThreadFailures threadFailures;
    private final List<AutoCloseable> parts = new ArrayList<>();

    /** @param userConfig the user's configuration (file and environment); run defaults are applied beneath it */
    public ConvoApplication(Properties userConfig) {
        this.config = AppConfig.withRunDefaults(userConfig);
    }

    /**
     * Starts whatever is needed and then Kafka Streams; returns once the streams are starting, not running
     * (see {@link #awaitRunning}).
     *
     * @throws IllegalArgumentException if the configuration is invalid (e.g. an unknown limit)
     * @throws IllegalStateException    if a part cannot start (topics inconsistent, broker unreachable, …); what
     *                                  was started is closed again
     */
    public synchronized void start() {
        if (streams != null || closing) {
            throw new IllegalStateException("a ConvoApplication starts once");
        }
        startedNanos = System.nanoTime();
        try {
            // A bad limit or store type fails now, before a broker starts; so do limits that allow a record above
            // the producer's max.request.size (the topics' max.message.bytes is checked once they exist).
            refuseUnfitLimits(ConvoConfig.topologySettings(config).limits(), Long.MAX_VALUE);
            recordFailures = new RecordFailures(AppConfig.FAILURE_MAX_ATTEMPTS.from(config));
            threadFailures = new StreamThreadFailures(recordFailures, AppConfig.HEALTH_THREAD_FAILURES.from(config),
                    AppConfig.HEALTH_THREAD_FAILURE_WINDOW.from(config));
            startBrokerIfNeeded();
            startRegistryIfNeeded();
            // Built once the registry URL is known: the serdes are configured when the topology is built.
            TopologySettings settings = ConvoConfig.topologySettings(config);
            registerSubjects(settings);
            Topology topology = ConvoTopology.buildTopology(settings);
            createTopics(settings, topology);
            startStreams(topology);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Waits until Kafka Streams is RUNNING for the first time; false on timeout or if it stopped first. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (running.await(Math.min(100, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (stopped.getCount() == 0) {
                return false;
            }
        }
        return running.getCount() == 0;
    }

    /** Blocks until Kafka Streams stops: closed, or failed (state ERROR). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /** Whether Kafka Streams ended in ERROR rather than being closed. */
    public boolean failed() {
        KafkaStreams s = streams;
        return s != null && s.state() == KafkaStreams.State.ERROR;
    }

    /** The configuration in force: the user's, the run defaults, and the addresses of embedded servers. */
    public synchronized Properties config() {
        Properties copy = new Properties();
        copy.putAll(config);
        return copy;
    }

    /** Kafka's bootstrap servers, embedded or configured; null before {@link #start()}. */
    public synchronized String bootstrapServers() {
        return config.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    /** Kafka Streams' state; null before {@link #start()}. */
    public KafkaStreams.State state() {
        KafkaStreams s = streams;
        return s == null ? null : s.state();
    }

    /**
     * Bytes convo's producers have sent so far (every record it writes: events, deliveries, checks, rejections,
     * changelogs; Kafka's {@code producer-metrics outgoing-byte-total}, request overhead included); 0 before
     * {@link #start()}.
     */
    public double bytesWritten() {
        KafkaStreams s = streams;
        if (s == null) {
            return 0;
        }
        return s.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("producer-metrics")
                        && e.getKey().name().equals("outgoing-byte-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    /**
     * Makes {@code part} (something started on top of this application and using its broker: connectors, the
     * gateway) close first when the application closes, before Kafka Streams and the broker. A part attached to a
     * closed application is closed at once.
     */
    public void attach(AutoCloseable part) {
        synchronized (this) {
            if (!closing) {
                parts.add(part);
                return;
            }
        }
        closeParts(List.of(part));
    }

    /**
     * Closes the attached parts (all at once: they do not depend on each other, only on the broker), then Kafka
     * Streams (committing what it processed), then the embedded registry and broker. Idempotent.
     */
    @Override
    public void close() {
        closing = true; // lets a start() in progress give up between steps
        synchronized (this) {
            if (!parts.isEmpty()) {
                closeParts(List.copyOf(parts));
                parts.clear();
            }
            if (restFront != null) {
                restFront.close();
                restFront = null;
            }
            if (readApi != null) {
                readApi.close();
                readApi = null;
            }
            if (metricsServer != null) {
                metricsServer.close();
                metricsServer = null;
            }
            if (streams != null) {
                long begin = System.nanoTime();
                boolean clean = streams.close(STREAMS_CLOSE_TIMEOUT);
                if (!clean) {
                    LOG.warn("Kafka Streams did not close within {} s; uncommitted work is redone on the next start",
                            STREAMS_CLOSE_TIMEOUT.toSeconds());
                }
                LOG.info("Kafka Streams closed in {} ms", (System.nanoTime() - begin) / 1_000_000);
                streams = null;
            }
            if (memberRelease != null) {
                memberRelease.close();
                memberRelease = null;
            }
            if (registry != null) {
                registry.close();
                registry = null;
            }
            if (broker != null) {
                broker.close();
                broker = null;
            }
            stopped.countDown();
        }
    }

    /** Closes {@code toClose} side by side, so stopping takes as long as the slowest part, not their sum. */
    private static void closeParts(List<AutoCloseable> toClose) {
        long begin = System.nanoTime();
        List<Thread> closing = new ArrayList<>();
        for (AutoCloseable part : toClose) {
            Thread t = new Thread(() -> {
                try {
                    part.close();
                } catch (Exception e) {
                    LOG.warn("Closing {} failed", part, e);
                }
            }, "convo-close-" + part.getClass().getSimpleName());
            t.start();
            closing.add(t);
        }
        boolean interrupted = false;
        for (Thread t : closing) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true; // keep closing in order: Streams and the broker must not go first
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Closed {} in {} ms", toClose.stream().map(p -> p.getClass().getSimpleName()).toList(),
                (System.nanoTime() - begin) / 1_000_000);
    }

    private void startBrokerIfNeeded() {
        String servers = config.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (servers != null && !servers.isBlank()) {
            return;
        }
        abortIfClosing();
        Path dataDir = Path.of(AppConfig.BROKER_DATA_DIR.from(config));
        int port = AppConfig.BROKER_PORT.from(config);
        LOG.info("No bootstrap.servers configured: starting the embedded Kafka broker (data in {})", dataDir.toAbsolutePath());
        broker = EmbeddedKafkaBroker.start(dataDir, port);
        config.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    }

    private void startRegistryIfNeeded() {
        boolean registrySerde = ConvoSerdes.REGISTRY.equals(config.getProperty(ConvoSerdes.SERDE_CONFIG, "").trim());
        String url = config.getProperty(ConvoSerdes.REGISTRY_URL_CONFIG);
        if (!registrySerde || (url != null && !url.isBlank())) {
            return;
        }
        abortIfClosing();
        LOG.info("convo.serde=registry and no convo.registry.url: starting the embedded Apicurio Registry");
        String home = AppConfig.REGISTRY_HOME.from(config);
        registry = home == null || home.isBlank()
                ? EmbeddedApicurioRegistry.start()
                : EmbeddedApicurioRegistry.start(Path.of(home.trim()));
        config.setProperty(ConvoSerdes.REGISTRY_URL_CONFIG, registry.url());
    }

    /**
     * With the registry serde, registers every public topic's value schema under {@code <topic>-value} before any
     * record is written, so that clients find each subject, also those convo never writes (the commands).
     */
    private void registerSubjects(TopologySettings settings) {
        if (!RegistrySubjects.applies(settings.serdeConfig())) {
            return;
        }
        abortIfClosing();
        Map<String, Long> ids = RegistrySubjects.register(RegistrySubjects.valueTypes(settings.topics()),
                settings.serdeConfig());
        LOG.info("Schema registry {}: value subjects registered (topic=schema id) {}",
                config.getProperty(ConvoSerdes.REGISTRY_URL_CONFIG), ids);
    }

    private void createTopics(TopologySettings settings, Topology topology) {
        abortIfClosing();
        Admin admin = Admin.create(adminConfig());
        try {
            TopicCreator topics = new TopicCreator(admin, TOPIC_TIMEOUT);
            topics.ensureTopics(settings.topics(), TopicCreator.coPartitioned(topology),
                    ConvoConfig.partitions(config), ConvoConfig.replicationFactor(config));
            // The topics convo writes decided records to; dead letters are cut to fit or replaced by a pointer.
            List<String> written = new ArrayList<>(settings.topics().outcomes());
            written.remove(settings.topics().commandsDlq());
            written.addAll(settings.topics().checkLoop());
            refuseUnfitLimits(settings.limits(), topics.smallestMaxMessageBytes(written));
        } finally {
            // Without a timeout, close() waits for calls still retrying against an unreachable broker (60 s).
            admin.close(ADMIN_CLOSE_TIMEOUT);
        }
    }

    /**
     * Refuses to start, naming the limit, when the configured limits let a legal command produce a record that the
     * producer ({@code max.request.size}) or a topic ({@code maxMessageBytes}) would refuse: such a record fails its
     * transaction on every retry (issue 12).
     */
    private void refuseUnfitLimits(Limits limits, long maxMessageBytes) {
        Map<String, Object> streams = new HashMap<>();
        config.forEach((k, v) -> streams.put(k.toString(), v));
        String refusal = RecordBounds.refusal(limits, DeadLetters.maxRecordBytes(streams), maxMessageBytes);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
    }

    private void startStreams(Topology topology) {
        abortIfClosing();
        boolean reads = ReadApi.ENABLED.from(config);
        Properties streamsConfig = config();
        // The safety net: the handlers pin failures on records in the instance the decoders consult. Always convo's:
        // other handlers would leave a failing record to crash the thread for ever.
        streamsConfig.put(RecordFailures.CONFIG, recordFailures);
        streamsConfig.setProperty(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                ProcessingFailureHandler.class.getName());
        streamsConfig.setProperty(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
                ProductionFailureHandler.class.getName());
        String memberId = streamsConfig.getProperty(StreamsConfig.mainConsumerPrefix(
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        if (memberId != null) {
            memberRelease = new StaticMemberRelease(streamsConfig.getProperty(StreamsConfig.APPLICATION_ID_CONFIG),
                    memberId, adminConfig());
            threadFailures.onReplace(memberRelease::threadFailed);
        }
        KafkaStreams kafkaStreams = new KafkaStreams(topology, streamsConfig);
        kafkaStreams.setUncaughtExceptionHandler(threadFailures);
        kafkaStreams.setStateListener((now, before) -> onStateChange(now, before));
        streams = kafkaStreams;
        kafkaStreams.start();
        if (reads) {
            readApi = ReadApi.start(kafkaStreams, config);
        }
        if (RestConfig.ENABLED.from(config)) {
            restFront = new RestFront(config);
        }
        if (AppConfig.METRICS_ENABLED.from(config)) {
            metricsServer = new MetricsServer(kafkaStreams, recordFailures, threadFailures,
                    AppConfig.METRICS_HOST.from(config), AppConfig.METRICS_PORT.from(config));
        }
    }

    /** The base URL of the Twilio-compatible REST API, or null when it is off. */
    public synchronized String restUrl() {
        return restFront == null ? null : restFront.url();
    }

    /** The port of the metrics and health endpoints, or -1 when they are off. */
    public synchronized int metricsPort() {
        return metricsServer == null ? -1 : metricsServer.port();
    }

    private void onStateChange(KafkaStreams.State now, KafkaStreams.State before) {
        if (now == KafkaStreams.State.RUNNING && running.getCount() > 0) {
            LOG.info("convo is running ({}; bootstrap.servers={}, application.id={}, serde={}, stores={}, "
                            + "started in {} ms)",
                    broker != null ? "embedded broker" : "external broker",
                    config.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG),
                    config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG),
                    config.getProperty(ConvoSerdes.SERDE_CONFIG, ConvoSerdes.SINGLE_OBJECT),
                    ConvoConfig.STORE_TYPE.from(config),
                    (System.nanoTime() - startedNanos) / 1_000_000);
            running.countDown();
        } else if (now == KafkaStreams.State.ERROR) {
            LOG.error("Kafka Streams stopped with an error (was {}); convo is not processing", before);
            stopped.countDown();
        } else if (now == KafkaStreams.State.NOT_RUNNING) {
            stopped.countDown();
        } else {
            LOG.info("Kafka Streams: {} -> {}", before, now);
        }
    }

    /** The admin client's keys of the config (security settings included), plus Streams' {@code admin.} ones. */
    private Map<String, Object> adminConfig() {
        Map<String, Object> admin = new HashMap<>();
        String prefix = StreamsConfig.ADMIN_CLIENT_PREFIX;
        for (String key : config.stringPropertyNames()) {
            if (AdminClientConfig.configNames().contains(key)) {
                admin.putIfAbsent(key, config.getProperty(key));
            }
        }
        for (String key : config.stringPropertyNames()) {
            if (key.startsWith(prefix)) {
                admin.put(key.substring(prefix.length()), config.getProperty(key));
            }
        }
        return admin;
    }

    private void abortIfClosing() {
        if (closing) {
            throw new IllegalStateException("convo is shutting down");
        }
    }
}
