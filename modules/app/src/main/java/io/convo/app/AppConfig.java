package io.convo.app;

import io.convo.app.read.ReadApi;
import io.convo.connectors.ConnectorConfig;
import io.convo.gateway.GatewayConfig;
import io.convo.model.Sha256;
import io.convo.model.config.ConfigKey;
import io.convo.model.config.ConfigLoader;
import io.convo.model.config.TopicsConfig;
import io.convo.model.serde.ConvoSerdes;
import io.convo.operate.RunFile;
import io.convo.rest.RestConfig;
import io.convo.rules.Limits;
import io.convo.topology.BoundedRocksDbMemory;
import io.convo.topology.ConvoConfig;
import io.convo.topology.RecordFailures;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The application's own configuration keys, in one table ({@link #KEYS}), the defaults {@code convo run} applies
 * under the user's configuration, and every key an environment variable may set. The topology's keys live in
 * {@link ConvoConfig}, the shared topic keys in {@link TopicsConfig}, the serde's in {@link ConvoSerdes}, the
 * read API's in {@link ReadApi}; this class adds what the process needs around them.
 */
public final class AppConfig {

    public static final ConfigKey<Integer> BROKER_PORT = ConfigKey.integer("convo.broker.port", 9092,
            "Port of the embedded broker on 127.0.0.1 (0 picks a free one).");
    public static final ConfigKey<String> BROKER_DATA_DIR = ConfigKey.text("convo.broker.data.dir", "var/broker",
            "Data directory of the embedded broker; reused with its topics and offsets.");
    public static final ConfigKey<String> REGISTRY_HOME = ConfigKey.text("convo.registry.home", null,
            "Folder of the unpacked Apicurio Registry server used by --with-registry (bin/convo sets it).");
    public static final ConfigKey<String> RUN_CONNECTORS = ConfigKey.text("convo.run.connectors", "",
            "Channels whose connectors convo run runs in its own process, e.g. sms,mms,whatsapp,chat.");
    public static final ConfigKey<Boolean> RUN_GATEWAY = ConfigKey.flag("convo.run.gateway", false,
            "Run the chat gateway inside convo run (its keys are convo.gateway.*).");
    public static final ConfigKey<Boolean> METRICS_ENABLED = ConfigKey.flag("convo.metrics.enabled", false,
            "Serve /metrics (Prometheus), /health/live and /health/ready.");
    public static final ConfigKey<String> METRICS_HOST = ConfigKey.text("convo.metrics.host", "127.0.0.1",
            "Address of the metrics and health endpoints.");
    public static final ConfigKey<Integer> METRICS_PORT = ConfigKey.integer("convo.metrics.port", 9464,
            "Port of the metrics and health endpoints (0: any free port).");
    public static final ConfigKey<Integer> FAILURE_MAX_ATTEMPTS = ConfigKey.integer("convo.failures.max-attempts",
            RecordFailures.DEFAULT_MAX_ATTEMPTS, "How many times processing one input record may fail (each failure"
            + " replaces a stream thread) before the record is dead-lettered instead of processed again.");
    public static final ConfigKey<Integer> HEALTH_THREAD_FAILURES = ConfigKey.integer("convo.health.thread-failures", 5,
            "/health/live fails once this many stream-thread failures not pinned on a record happen within the window.");
    public static final ConfigKey<Duration> HEALTH_THREAD_FAILURE_WINDOW = ConfigKey.millis(
            "convo.health.thread-failure-window-ms", Duration.ofSeconds(60),
            "The window of convo.health.thread-failures.");

    public static final ConfigKey<Boolean> STATIC_MEMBERSHIP = ConfigKey.flag("convo.static-membership", true,
            "Join the consumer group as a static member (group.instance.id from convo.instance.id), so that a"
                    + " restarted instance takes its tasks back at once instead of after a rebalance.");
    public static final ConfigKey<String> INSTANCE_ID = ConfigKey.text("convo.instance.id", null,
            "This instance's stable member id; default <application.id>-<host>-<8 hex digits of the state.dir path>,"
                    + " the same at every start of the same instance and different for each state directory.");

    /** The application's own keys. */
    public static final List<ConfigKey<?>> KEYS = List.of(BROKER_PORT, BROKER_DATA_DIR, REGISTRY_HOME, RUN_CONNECTORS,
            RUN_GATEWAY, RunFile.PATH, METRICS_ENABLED, METRICS_HOST, METRICS_PORT, FAILURE_MAX_ATTEMPTS,
            HEALTH_THREAD_FAILURES, HEALTH_THREAD_FAILURE_WINDOW, STATIC_MEMBERSHIP, INSTANCE_ID);

    /** The consumer's (internal) switch for sending LeaveGroup on close, which Kafka Streams turns off. */
    static final String LEAVE_GROUP_ON_CLOSE = "internal.leave.group.on.close";

    /**
     * What {@code convo run} adds to {@link ConvoConfig#streamsDefaults()} (exactly once, 100 ms commits,
     * acks=all, …) unless the user's config says otherwise.
     */
    static final String[][] RUN_DEFAULTS = {
        {StreamsConfig.STATE_DIR_CONFIG, ConvoConfig.DEFAULT_STATE_DIR},
        {ConvoConfig.STORE_TYPE.name(), "rocksdb"},
        // Kafka Streams keeps a closed member in its group until the session times out (45 s), so that a quick
        // restart keeps its tasks; but the restarted process joins as a new member and waits those 45 s anyway.
        // Leaving on a clean close hands the tasks over at once, to this process's next start or to the others.
        {StreamsConfig.mainConsumerPrefix(LEAVE_GROUP_ON_CLOSE), "true"},
        // Fast failover (issue 17): a killed instance that does not come back is noticed within 10 s (Kafka's 45 s
        // otherwise), and its tasks resume on another instance from a warm standby copy instead of a full restore.
        {StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), "10000"},
        {StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), "1000"},
        {StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1"},
    };

    private AppConfig() {
    }

    /** {@code user} over {@link #RUN_DEFAULTS} over {@link ConvoConfig#streamsDefaults()}; {@code user} is unchanged. */
    public static Properties withRunDefaults(Properties user) {
        Properties merged = ConvoConfig.streamsDefaults();
        for (String[] entry : RUN_DEFAULTS) {
            merged.setProperty(entry[0], entry[1]);
        }
        for (String key : user.stringPropertyNames()) {
            merged.setProperty(key, user.getProperty(key));
        }
        String memberId = StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        if (STATIC_MEMBERSHIP.from(merged) && !merged.containsKey(memberId)) {
            // Kafka Streams adds each stream thread's number to it.
            merged.setProperty(memberId, instanceId(merged));
        }
        return merged;
    }

    /**
     * {@link #INSTANCE_ID}, or the default derived from where the instance runs: a restart of the same instance
     * (same host, same state directory) comes back as the same static member and gets its tasks back without a
     * rebalance, while two instances never share an id (two cannot share a state directory: Streams locks it).
     */
    static String instanceId(Properties config) {
        String configured = INSTANCE_ID.from(config);
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        String stateDir = Path.of(config.getProperty(StreamsConfig.STATE_DIR_CONFIG, ConvoConfig.DEFAULT_STATE_DIR))
                .toAbsolutePath().normalize().toString();
        return config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG) + "-" + hostName() + "-"
                + Sha256.hex(stateDir, 8);
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** convo's own keys, in the order of the README's table. */
    public static Set<String> convoKeys() {
        Set<String> keys = new LinkedHashSet<>();
        names(keys, List.of(BROKER_PORT, BROKER_DATA_DIR));
        names(keys, TopicsConfig.KEYS);
        names(keys, ConvoConfig.KEYS);
        names(keys, BoundedRocksDbMemory.KEYS);
        names(keys, ConvoSerdes.KEYS);
        names(keys, List.of(REGISTRY_HOME, RUN_CONNECTORS, RUN_GATEWAY, RunFile.PATH));
        names(keys, ReadApi.KEYS);
        names(keys, RestConfig.KEYS);
        names(keys, List.of(METRICS_ENABLED, METRICS_HOST, METRICS_PORT, FAILURE_MAX_ATTEMPTS, HEALTH_THREAD_FAILURES,
                HEALTH_THREAD_FAILURE_WINDOW, STATIC_MEMBERSHIP, INSTANCE_ID));
        for (String limit : Limits.KEYS) {
            keys.add(Limits.CONFIG_PREFIX + limit);
        }
        return keys;
    }

    private static void names(Set<String> into, List<ConfigKey<?>> keys) {
        keys.forEach(k -> into.add(k.name()));
    }

    /** The loader every command of {@code convo} reads its configuration with: the file, then CONVO_* variables. */
    public static ConfigLoader loader() {
        return new ConfigLoader(System.getenv(), knownKeys());
    }

    /**
     * Every key an environment variable can set without the key appearing in the config file: convo's keys, the
     * connectors' and the gateway's, and the Kafka Streams, producer, consumer and admin keys, plain and with
     * Streams' {@code producer.}, {@code consumer.} and {@code admin.} prefixes.
     */
    public static Set<String> knownKeys() {
        Set<String> keys = new LinkedHashSet<>(convoKeys());
        keys.addAll(ConnectorConfig.keys());
        keys.addAll(GatewayConfig.keys());
        keys.add(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        keys.addAll(StreamsConfig.configDef().names());
        for (String name : ProducerConfig.configNames()) {
            keys.add(name);
            keys.add(StreamsConfig.producerPrefix(name));
        }
        for (String name : ConsumerConfig.configNames()) {
            keys.add(name);
            keys.add(StreamsConfig.consumerPrefix(name));
        }
        for (String name : AdminClientConfig.configNames()) {
            keys.add(name);
            keys.add(StreamsConfig.adminClientPrefix(name));
        }
        return keys;
    }
}
