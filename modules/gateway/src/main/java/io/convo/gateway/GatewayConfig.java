package io.convo.gateway;

import io.convo.model.config.TopicsConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The gateway's configuration keys, named once, and {@link Settings}, their typed view. Keys of the gateway start
 * with {@code convo.gateway.}; {@code convo.topics.*} and {@code convo.serde*} are shared with the topology; any key
 * that a Kafka producer, consumer or admin client knows (e.g. {@code bootstrap.servers}, {@code security.protocol})
 * goes to the gateway's clients unchanged.
 */
public final class GatewayConfig {

    public static final String HOST = "convo.gateway.host";
    public static final String PORT = "convo.gateway.port";
    /** The URL clients are told to use for this instance (cluster mode); default {@code ws://<host>:<port>/v1/connect}. */
    public static final String ADVERTISED_URL = "convo.gateway.advertised-url";
    /** The HS256 secret: text (its UTF-8 bytes) or {@code base64:<bytes>}; at least 32 bytes (RFC 7518 §3.2). */
    public static final String TOKEN_SECRET = "convo.gateway.token.secret";
    public static final String TOKEN_CLOCK_SKEW_MS = "convo.gateway.token.clock-skew-ms";
    /** Optional: the only service whose tokens this gateway accepts. */
    public static final String SERVICE_SID = "convo.gateway.service-sid";
    public static final String HEARTBEAT_INTERVAL_MS = "convo.gateway.heartbeat.interval-ms";
    public static final String HEARTBEAT_TIMEOUT_MS = "convo.gateway.heartbeat.timeout-ms";
    public static final String CATCHUP_MAX_MESSAGES = "convo.gateway.catchup.max-messages-per-conversation";
    public static final String CATCHUP_MAX_AGE_MS = "convo.gateway.catchup.max-age-ms";
    public static final String OUTCOME_TIMEOUT_MS = "convo.gateway.outcome-timeout-ms";
    public static final String MEMBERSHIP_WAIT_MS = "convo.gateway.membership-wait-ms";
    public static final String MAX_FRAME_BYTES = "convo.gateway.max-frame-bytes";
    public static final String MAX_QUEUED_FRAMES = "convo.gateway.max-queued-frames";
    public static final String SHUTDOWN_GRACE_MS = "convo.gateway.shutdown-grace-ms";
    public static final String CLUSTER_ENABLED = "convo.gateway.cluster.enabled";
    public static final String CLUSTER_GROUP_ID = "convo.gateway.cluster.group-id";
    public static final String CLUSTER_SHARDS = "convo.gateway.cluster.shards";
    public static final String CLUSTER_SESSION_TIMEOUT_MS = "convo.gateway.cluster.session-timeout-ms";
    public static final String CLUSTER_INSTANCE_ID = "convo.gateway.cluster.instance-id";

    /** The topology's Kafka Streams application id, shared with {@code convo run}: not a key of the gateway's own. */
    public static final String APPLICATION_ID = "application.id";
    public static final String DEFAULT_APPLICATION_ID = "convo";

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8090;
    public static final String CONNECT_PATH = "/v1/connect";
    /** RFC 7518 §3.2: an HS256 key must have at least 256 bits. */
    public static final int MIN_SECRET_BYTES = 32;

    /** Cluster mode: subaccounts are owned by one instance each, through a consumer group on the shard topic. */
    public record Cluster(boolean enabled, String groupId, int shards, Duration sessionTimeout, String instanceId) {
    }

    /** Everything the gateway needs, typed, with defaults applied. */
    public record Settings(
            String host,
            int port,
            String advertisedUrl,
            byte[] tokenSecret,
            Duration tokenClockSkew,
            String serviceSid,
            ConnectionLimits limits,
            Duration heartbeatInterval,
            Duration heartbeatTimeout,
            int catchUpMaxMessages,
            Duration catchUpMaxAge,
            Duration outcomeTimeout,
            Duration membershipWait,
            int maxFrameBytes,
            int maxQueuedFrames,
            Duration shutdownGrace,
            GatewayTopics topics,
            String applicationId,
            short replicationFactor,
            Cluster cluster,
            Map<String, Object> kafka,
            Map<String, Object> all) {

        /** The URL of {@code /v1/connect} on this instance once it listens on {@code boundPort}. */
        public String advertisedUrl(int boundPort) {
            return advertisedUrl != null ? advertisedUrl : "ws://" + host + ":" + boundPort + CONNECT_PATH;
        }
    }

    private GatewayConfig() {
    }

    /** Every key of the gateway: the constants above and the connection limits' keys. */
    public static Set<String> keys() {
        Set<String> keys = new java.util.LinkedHashSet<>();
        for (java.lang.reflect.Field field : GatewayConfig.class.getFields()) {
            if (java.lang.reflect.Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    String value = (String) field.get(null);
                    if (value != null && value.startsWith("convo.gateway.")) {
                        keys.add(value);
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        keys.addAll(ConnectionLimits.keys());
        return keys;
    }

    public static Settings settings(Properties properties) {
        Map<String, Object> map = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
        return settings(map);
    }

    /**
     * The settings of a configuration.
     *
     * @throws IllegalArgumentException when a value is malformed, or the token secret is missing or too short
     */
    public static Settings settings(Map<String, ?> config) {
        Map<String, String> c = new HashMap<>();
        config.forEach((k, v) -> {
            if (v != null) {
                c.put(k, v.toString());
            }
        });
        Duration heartbeatInterval = millis(c, HEARTBEAT_INTERVAL_MS, 25_000);
        Duration heartbeatTimeout = millis(c, HEARTBEAT_TIMEOUT_MS, 60_000);
        if (heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException(HEARTBEAT_TIMEOUT_MS + " must be longer than " + HEARTBEAT_INTERVAL_MS
                    + " (a connection is pinged before it is dropped)");
        }
        Cluster cluster = new Cluster(
                Boolean.parseBoolean(c.getOrDefault(CLUSTER_ENABLED, "false").trim()),
                c.getOrDefault(CLUSTER_GROUP_ID, "convo-gateway"),
                (int) number(c, CLUSTER_SHARDS, 32),
                millis(c, CLUSTER_SESSION_TIMEOUT_MS, 10_000),
                c.getOrDefault(CLUSTER_INSTANCE_ID, "gateway-" + UUID.randomUUID()));
        return new Settings(
                c.getOrDefault(HOST, DEFAULT_HOST),
                (int) number(c, PORT, DEFAULT_PORT),
                blankToNull(c.get(ADVERTISED_URL)),
                secret(c.get(TOKEN_SECRET)),
                millis(c, TOKEN_CLOCK_SKEW_MS, 0),
                blankToNull(c.get(SERVICE_SID)),
                ConnectionLimits.from(c),
                heartbeatInterval,
                heartbeatTimeout,
                (int) number(c, CATCHUP_MAX_MESSAGES, 1_000),
                millis(c, CATCHUP_MAX_AGE_MS, Duration.ofHours(24).toMillis()),
                millis(c, OUTCOME_TIMEOUT_MS, 60_000),
                millis(c, MEMBERSHIP_WAIT_MS, 5_000),
                (int) number(c, MAX_FRAME_BYTES, 128 * 1024),
                (int) number(c, MAX_QUEUED_FRAMES, 4_096),
                millis(c, SHUTDOWN_GRACE_MS, 2_000),
                GatewayTopics.withPrefix(TopicsConfig.PREFIX.from(c)),
                // The topology's application.id: whose changelogs the gateway starts from (ChangelogSnapshot).
                c.getOrDefault(APPLICATION_ID, DEFAULT_APPLICATION_ID).trim(),
                TopicsConfig.REPLICATION_FACTOR.from(c),
                cluster,
                kafkaClientConfig(c),
                Map.copyOf(c));
    }

    /** The keys of {@code config} that a Kafka producer, consumer or admin client knows; each client ignores the rest. */
    static Map<String, Object> kafkaClientConfig(Map<String, String> config) {
        Set<String> known = new java.util.HashSet<>(ProducerConfig.configNames());
        known.addAll(ConsumerConfig.configNames());
        known.addAll(AdminClientConfig.configNames());
        // The topology's Streams settings (application.id, processing.guarantee, …) are not client settings, and
        // group.id / client.id / transactional.id are decided per client here.
        known.remove(ConsumerConfig.GROUP_ID_CONFIG);
        known.remove(ConsumerConfig.CLIENT_ID_CONFIG);
        known.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        Map<String, Object> kafka = new HashMap<>();
        config.forEach((k, v) -> {
            if (known.contains(k)) {
                kafka.put(k, v);
            }
        });
        return Map.copyOf(kafka);
    }

    private static byte[] secret(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(TOKEN_SECRET + " is required: the HS256 secret access tokens are signed with");
        }
        byte[] bytes = value.startsWith("base64:")
                ? Base64.getDecoder().decode(value.substring("base64:".length()).trim())
                : value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(TOKEN_SECRET + " has " + bytes.length + " bytes; HS256 needs at least "
                    + MIN_SECRET_BYTES + " (RFC 7518 §3.2)");
        }
        return bytes;
    }

    private static Duration millis(Map<String, String> c, String key, long fallback) {
        long ms = number(c, key, fallback);
        if (ms < 0) {
            throw new IllegalArgumentException(key + " must not be negative, not " + ms);
        }
        return Duration.ofMillis(ms);
    }

    private static long number(Map<String, String> c, String key, long fallback) {
        String value = c.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'", e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
