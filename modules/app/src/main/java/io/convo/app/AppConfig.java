package io.convo.app;

import io.convo.model.serde.ConvoSerdes;
import io.convo.operate.ConfigLoader;
import io.convo.rules.Limits;
import io.convo.topology.ConvoConfig;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The application's own configuration keys and the defaults {@code convo run} applies under the user's
 * configuration. The topology's keys live in {@link ConvoConfig}; this class only adds what the process needs
 * around it (the embedded broker and registry) and lists every key an environment variable may set.
 */
public final class AppConfig {

    /** Port of the embedded broker, started when no {@code bootstrap.servers} is configured. */
    public static final String BROKER_PORT = "convo.broker.port";
    /** Data directory of the embedded broker; an existing one is reused with its topics and offsets. */
    public static final String BROKER_DATA_DIR = "convo.broker.data.dir";
    /** Folder of the unpacked Apicurio Registry server for the embedded registry (bin/convo sets it). */
    public static final String REGISTRY_HOME = "convo.registry.home";
    /** Channels whose connectors {@code convo run} runs in its own process, e.g. {@code sms,chat}; none by default. */
    public static final String RUN_CONNECTORS = "convo.run.connectors";
    /** Whether {@code convo run} runs the chat gateway in its own process (configured by convo.gateway.*). */
    public static final String RUN_GATEWAY = "convo.run.gateway";
    /** Whether {@code convo run} serves the HTTP read API (at convo.read.host:convo.read.port) next to its streams. */
    public static final String READ_ENABLED = "convo.read.enabled";
    /** Whether {@code convo run} serves /metrics (Prometheus), /health/live and /health/ready. */
    public static final String METRICS_ENABLED = "convo.metrics.enabled";
    public static final String METRICS_HOST = "convo.metrics.host";
    public static final String METRICS_PORT = "convo.metrics.port";

    public static final int DEFAULT_BROKER_PORT = 9092;
    public static final String DEFAULT_BROKER_DATA_DIR = "var/broker";
    public static final String DEFAULT_STATE_DIR = "var/state";
    /** The consumer's (internal) switch for sending LeaveGroup on close, which Kafka Streams turns off. */
    static final String LEAVE_GROUP_ON_CLOSE = "internal.leave.group.on.close";

    /**
     * What {@code convo run} adds to {@link ConvoConfig#streamsDefaults()} (exactly once, 100 ms commits,
     * acks=all, …) unless the user's config says otherwise.
     */
    static final String[][] RUN_DEFAULTS = {
        {StreamsConfig.STATE_DIR_CONFIG, DEFAULT_STATE_DIR},
        {ConvoConfig.STORE_TYPE, "rocksdb"},
        // Kafka Streams keeps a closed member in its group until the session times out (45 s), so that a quick
        // restart keeps its tasks; but the restarted process joins as a new member and waits those 45 s anyway.
        // Leaving on a clean close hands the tasks over at once, to this process's next start or to the others.
        {StreamsConfig.mainConsumerPrefix(LEAVE_GROUP_ON_CLOSE), "true"},
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
        return merged;
    }

    /** The gateway names its keys as constants (its README has their table): every one of them. */
    private static Set<String> constantsStartingWith(Class<?> holder, String prefix) {
        Set<String> keys = new LinkedHashSet<>();
        for (java.lang.reflect.Field field : holder.getFields()) {
            if (java.lang.reflect.Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    String value = (String) field.get(null);
                    if (value != null && value.startsWith(prefix)) {
                        keys.add(value);
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return keys;
    }

    /** convo's own keys, in the order of the README's table. */
    public static Set<String> convoKeys() {
        Set<String> keys = new LinkedHashSet<>();
        keys.add(BROKER_PORT);
        keys.add(BROKER_DATA_DIR);
        keys.add(ConvoConfig.TOPICS_PREFIX);
        keys.add(ConvoConfig.TOPICS_PARTITIONS);
        keys.add(ConvoConfig.TOPICS_REPLICATION_FACTOR);
        keys.add(ConvoConfig.STORE_TYPE);
        keys.add(ConvoConfig.IDEMPOTENCY_RETENTION_MS);
        keys.add(ConvoConfig.MAX_CLOCK_SKEW_MS);
        keys.add(ConvoSerdes.SERDE_CONFIG);
        keys.add(ConvoSerdes.REGISTRY_URL_CONFIG);
        keys.add(ConvoSerdes.SERIALIZER_CONFIG);
        keys.add(ConvoSerdes.DESERIALIZER_CONFIG);
        keys.add(REGISTRY_HOME);
        keys.add(RUN_CONNECTORS);
        keys.add(RUN_GATEWAY);
        keys.add(READ_ENABLED);
        keys.add(METRICS_ENABLED);
        keys.add(METRICS_HOST);
        keys.add(METRICS_PORT);
        keys.add(io.convo.operate.OperateConfig.READ_HOST);
        keys.add(io.convo.operate.OperateConfig.READ_PORT);
        for (String limit : Limits.KEYS) {
            keys.add(Limits.CONFIG_PREFIX + limit);
        }
        return keys;
    }

    /** The loader every command of {@code convo} reads its configuration with: the file, then CONVO_* variables. */
    public static ConfigLoader loader() {
        return new ConfigLoader(System.getenv(), knownKeys());
    }

    /**
     * Every key an environment variable can set without the key appearing in the config file: convo's keys,
     * and the Kafka Streams, producer, consumer and admin keys, plain and with Streams' {@code producer.},
     * {@code consumer.} and {@code admin.} prefixes.
     */
    public static Set<String> knownKeys() {
        Set<String> keys = new LinkedHashSet<>(convoKeys());
        keys.addAll(io.convo.connectors.ConnectorConfig.keys());
        keys.addAll(constantsStartingWith(io.convo.gateway.GatewayConfig.class, "convo.gateway."));
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
