package io.convo.topology;

import io.convo.model.TopicNames;
import io.convo.model.config.ConfigKey;
import io.convo.model.config.TopicsConfig;
import io.convo.rules.Limits;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The topology's configuration keys, each with its default and parsing in one table ({@link #KEYS}), and the typed
 * view of a {@link Properties} the topology needs. Keys of convo start with {@code convo.}; every other key (e.g.
 * {@code bootstrap.servers}, {@code commit.interval.ms}) goes to Kafka Streams and the clients unchanged. The topic
 * keys are {@link TopicsConfig}'s, the serde keys {@code ConvoSerdes}', the limits {@link Limits}'.
 */
public final class ConvoConfig {

    /** How state stores are kept. */
    public enum StoreType {
        ROCKSDB, IN_MEMORY, IN_MEMORY_UNLOGGED;

        static StoreType parse(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "rocksdb" -> ROCKSDB;
                case "in-memory", "memory" -> IN_MEMORY;
                case "in-memory-unlogged" -> IN_MEMORY_UNLOGGED;
                default -> throw new IllegalArgumentException("must be rocksdb, in-memory or in-memory-unlogged");
            };
        }
    }

    public static final ConfigKey<StoreType> STORE_TYPE = new ConfigKey<>("convo.store.type", StoreType.ROCKSDB,
            StoreType::parse, "rocksdb (the running application), in-memory (changelogged, restored on restart), or"
            + " in-memory-unlogged (simulate: nothing survives the process, and nothing is written twice).");
    public static final ConfigKey<Duration> IDEMPOTENCY_RETENTION = ConfigKey.millis("convo.idempotency.retention.ms",
            Duration.ofHours(24), "How long a commandId is remembered for DUPLICATE_COMMAND.");
    /**
     * A year by default: generous for clients with odd clocks and for scenario files, yet it keeps a timestamp of
     * the year 3000 from advancing the stores' stream time, which would expire every other key's windows at once.
     */
    public static final ConfigKey<Duration> MAX_CLOCK_SKEW = ConfigKey.millis("convo.commands.max-clock-skew-ms",
            Duration.ofDays(365), "How far a command's timestamp may be from the wall clock, either way; 0 turns the"
            + " check off (simulate does: its verdicts must not depend on when it runs).");

    /**
     * 32 by default: a check round trip is about three commit intervals (~250 ms), so 32 in flight let a conversation
     * add chat participants faster than L10's 30 actions per second allows, while a conversation's waiting entries
     * stay few.
     */
    public static final ConfigKey<Integer> MAX_CHECKS_IN_FLIGHT = ConfigKey.integer("convo.checks.max-in-flight", 32,
            "How many identity checks one conversation may have out at once (chat adds of different identities run"
            + " ahead of the older ones' answers; outcomes keep command order); 1 waits for each answer in turn.");

    /** The topology's own keys. */
    public static final List<ConfigKey<?>> KEYS = List.of(STORE_TYPE, IDEMPOTENCY_RETENTION, MAX_CLOCK_SKEW,
            MAX_CHECKS_IN_FLIGHT);

    public static final String DEFAULT_APPLICATION_ID = "convo";
    /** Where the running application keeps its RocksDB stores unless {@code state.dir} says otherwise. */
    public static final String DEFAULT_STATE_DIR = "var/state";

    /** What {@code buildTopology} needs: names, limits, store type, idempotency retention and serde settings. */
    public record TopologySettings(TopicNames topics, Limits limits, StoreType storeType,
                                   Duration idempotencyRetention, Duration maxClockSkew, int maxChecksInFlight,
                                   Map<String, Object> serdeConfig) {
    }

    private ConvoConfig() {
    }

    /**
     * Topic-level settings for every convo topic. A command's timestamp is business time and becomes its record
     * timestamp (SPEC §8); Kafka 4 brokers refuse records more than an hour ahead of their clock by default, so
     * convo's topics accept any timestamp.
     */
    public static Map<String, String> topicConfig() {
        return Map.of(
                TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, String.valueOf(Long.MAX_VALUE),
                TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, String.valueOf(Long.MAX_VALUE));
    }

    /**
     * The Kafka Streams settings convo runs with unless configured otherwise: exactly once, a 100 ms commit
     * interval, acks=all, and {@link #topicConfig()} for the changelog topics Streams creates.
     */
    public static Properties streamsDefaults() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, DEFAULT_APPLICATION_ID);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class.getName());
        topicConfig().forEach((k, v) -> p.put(StreamsConfig.topicPrefix(k), v));
        return p;
    }

    public static TopologySettings topologySettings(Properties props) {
        Map<String, String> map = new HashMap<>();
        Map<String, Object> serdeConfig = new HashMap<>();
        for (String name : props.stringPropertyNames()) {
            map.put(name, props.getProperty(name));
            serdeConfig.put(name, props.getProperty(name));
        }
        return new TopologySettings(
                TopicNames.withPrefix(TopicsConfig.PREFIX.from(map)),
                Limits.from(map),
                STORE_TYPE.from(map),
                IDEMPOTENCY_RETENTION.from(map),
                MAX_CLOCK_SKEW.from(map),
                MAX_CHECKS_IN_FLIGHT.from(map),
                serdeConfig);
    }

    public static int partitions(Properties props) {
        return TopicsConfig.PARTITIONS.from(props);
    }

    public static short replicationFactor(Properties props) {
        return TopicsConfig.REPLICATION_FACTOR.from(props);
    }
}
