package io.convo.topology;

import io.convo.model.TopicNames;
import io.convo.rules.Limits;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * convo's configuration keys, named once, and the typed view of a {@link Properties} the topology needs. Keys of
 * convo start with {@code convo.}; every other key (e.g. {@code bootstrap.servers}, {@code commit.interval.ms})
 * goes to Kafka Streams and the clients unchanged.
 */
public final class ConvoConfig {

    public static final String TOPICS_PREFIX = "convo.topics.prefix";
    public static final String TOPICS_PARTITIONS = "convo.topics.partitions";
    public static final String TOPICS_REPLICATION_FACTOR = "convo.topics.replication.factor";
    /**
     * {@code rocksdb} (the running application), {@code in-memory} (changelogged, restored on restart), or
     * {@code in-memory-unlogged} (simulate: nothing survives the process, and nothing is written twice).
     */
    public static final String STORE_TYPE = "convo.store.type";
    public static final String IDEMPOTENCY_RETENTION_MS = "convo.idempotency.retention.ms";
    /**
     * How far a command's timestamp may be from the wall clock, either way, in ms; 0 turns the check off (as
     * `simulate` does: its verdicts must not depend on when it runs).
     */
    public static final String MAX_CLOCK_SKEW_MS = "convo.commands.max-clock-skew-ms";
    /** {@code single-object} (default, no server), {@code registry} (Confluent wire format via Apicurio) or a Serde class. */
    public static final String SERDE = "convo.serde";
    public static final String REGISTRY_URL = "convo.registry.url";

    public static final String DEFAULT_APPLICATION_ID = "convo";
    public static final int DEFAULT_PARTITIONS = 4;
    public static final Duration DEFAULT_IDEMPOTENCY_RETENTION = Duration.ofHours(24);
    /**
     * A year: generous for clients with odd clocks and for scenario files, yet it keeps a timestamp of the year
     * 3000 from advancing the stores' stream time, which would expire every other key's windows at once.
     */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofDays(365);

    /** How state stores are kept. */
    public enum StoreType {
        ROCKSDB, IN_MEMORY, IN_MEMORY_UNLOGGED;

        static StoreType parse(String value) {
            return switch (value == null ? "rocksdb" : value.trim().toLowerCase()) {
                case "rocksdb" -> ROCKSDB;
                case "in-memory", "memory" -> IN_MEMORY;
                case "in-memory-unlogged" -> IN_MEMORY_UNLOGGED;
                default -> throw new IllegalArgumentException(
                        STORE_TYPE + " must be rocksdb, in-memory or in-memory-unlogged, not " + value);
            };
        }
    }

    /** What {@code buildTopology} needs: names, limits, store type, idempotency retention and serde settings. */
    public record TopologySettings(TopicNames topics, Limits limits, StoreType storeType,
                                   Duration idempotencyRetention, Duration maxClockSkew,
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
                TopicNames.withPrefix(map.getOrDefault(TOPICS_PREFIX, "")),
                Limits.from(map),
                StoreType.parse(map.get(STORE_TYPE)),
                millis(map.get(IDEMPOTENCY_RETENTION_MS), DEFAULT_IDEMPOTENCY_RETENTION),
                millis(map.get(MAX_CLOCK_SKEW_MS), DEFAULT_MAX_CLOCK_SKEW),
                serdeConfig);
    }

    private static Duration millis(String value, Duration otherwise) {
        return value == null ? otherwise : Duration.ofMillis(Long.parseLong(value.trim()));
    }

    public static int partitions(Properties props) {
        return Integer.parseInt(props.getProperty(TOPICS_PARTITIONS, String.valueOf(DEFAULT_PARTITIONS)).trim());
    }

    public static short replicationFactor(Properties props) {
        return Short.parseShort(props.getProperty(TOPICS_REPLICATION_FACTOR, "1").trim());
    }
}
