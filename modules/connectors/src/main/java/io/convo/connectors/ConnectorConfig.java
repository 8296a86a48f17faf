package io.convo.connectors;

import io.convo.model.Channel;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every configuration key of the connectors, named once. Keys marked per channel are read as
 * {@code convo.connector.<channel>.<name>} first, then {@code convo.connector.<name>} (all channels), then the
 * default here; see {@link ChannelSettings}. Kafka client settings of the config ({@code bootstrap.servers},
 * {@code security.protocol}, …) apply to the connectors' clients too; {@link #CONSUMER_PREFIX} and
 * {@link #PRODUCER_PREFIX} override them for the connectors alone.
 */
public final class ConnectorConfig {

    /** Prefix of every connector key. */
    public static final String PREFIX = "convo.connector.";

    /** Channels {@link ConnectorRunner} runs, comma-separated: {@code chat,sms,mms,whatsapp}. Default: all four. */
    public static final String CHANNELS = PREFIX + "channels";
    /**
     * This instance's id, unique among the instances of one channel's connector: it names the transactional id,
     * so a restarted instance with the same id fences its predecessor and aborts its open transaction at once.
     */
    public static final String INSTANCE_ID = PREFIX + "instance-id";
    /** Whether a connector creates its own topics ({@code delivery-processed}, {@code delivery-dlq}) when missing. */
    public static final String CREATE_TOPICS = PREFIX + "create-topics";
    /** How long {@link ChannelConnector#close()} lets the delivery in flight finish before interrupting it. */
    public static final String CLOSE_TIMEOUT_MS = PREFIX + "close-timeout.ms";
    /** Kafka consumer settings for the connectors only, e.g. {@code convo.connector.consumer.max.poll.records}. */
    public static final String CONSUMER_PREFIX = PREFIX + "consumer.";
    /** Kafka producer settings for the connectors only, e.g. {@code convo.connector.producer.linger.ms}. */
    public static final String PRODUCER_PREFIX = PREFIX + "producer.";

    // Per channel: convo.connector.<channel>.<name>, falling back to convo.connector.<name>.
    /** {@code log}, {@code webhook}, or the class name of a {@link Transport}. Per channel. */
    public static final String TRANSPORT = "transport";
    /** Deliveries handed to the transport per second, at most (carriers throttle). Per channel. */
    public static final String MAX_PER_SECOND = "max-per-second";
    /** The consumer group of a channel's connector; default {@code <topic prefix>convo-connector-<channel>}. Per channel. */
    public static final String GROUP_ID = "group-id";
    /** How long the processed-delivery log remembers a delivery, in ms. Per channel. */
    public static final String PROCESSED_RETENTION_MS = "processed.retention.ms";
    /** Log transport: the file each delivery is appended to as a JSON line; unset: an SLF4J log line. Per channel. */
    public static final String LOG_FILE = "log.file";
    /** Webhook transport: the provider URL deliveries are POSTed to. Required for {@code webhook}. Per channel. */
    public static final String WEBHOOK_URL = "webhook.url";
    /** Webhook transport: value of the {@code Authorization} header, e.g. {@code Bearer …}. Per channel. */
    public static final String WEBHOOK_AUTHORIZATION = "webhook.authorization";
    /** Webhook transport: timeout of one attempt (request sent to response received), ms. Per channel. */
    public static final String WEBHOOK_TIMEOUT_MS = "webhook.timeout.ms";
    /** Webhook transport: TCP connect timeout, ms. Per channel. */
    public static final String WEBHOOK_CONNECT_TIMEOUT_MS = "webhook.connect-timeout.ms";
    /** Webhook transport: attempts per delivery, the first included. Per channel. */
    public static final String WEBHOOK_MAX_ATTEMPTS = "webhook.retry.max-attempts";
    /** Webhook transport: delay before the first retry, ms; doubled per retry. Per channel. */
    public static final String WEBHOOK_INITIAL_DELAY_MS = "webhook.retry.initial-delay.ms";
    /** Webhook transport: longest delay between two attempts, ms (also caps a provider's Retry-After). Per channel. */
    public static final String WEBHOOK_MAX_DELAY_MS = "webhook.retry.max-delay.ms";
    /** Webhook transport: jitter factor in [0, 1): each delay is randomly moved by up to this fraction. Per channel. */
    public static final String WEBHOOK_JITTER = "webhook.retry.jitter";

    /** Whether {@link ConnectorRunner} serves the status-callback and inbound endpoints. */
    public static final String HTTP_ENABLED = PREFIX + "http.enabled";
    /** Address the HTTP endpoints bind to. */
    public static final String HTTP_HOST = PREFIX + "http.host";
    /** Port of the HTTP endpoints; 0 picks a free one. */
    public static final String HTTP_PORT = PREFIX + "http.port";
    /** When set, every POST must carry {@code Authorization: Bearer <token>}. */
    public static final String HTTP_TOKEN = PREFIX + "http.token";
    /** Threads serving HTTP requests. */
    public static final String HTTP_THREADS = PREFIX + "http.threads";
    /** Largest request body accepted, bytes; larger ones are answered 413. */
    public static final String HTTP_MAX_BODY_BYTES = PREFIX + "http.max-body-bytes";
    /**
     * How much the status endpoint remembers to check callbacks: messages, the recipients their deliveries name and
     * departed participants, one entry each; a callback for a message older than that is answered 404.
     */
    public static final String HTTP_STATUS_MAX_ENTRIES = PREFIX + "http.status.max-entries";

    /** Topic prefix, shared with the topology ({@code ConvoConfig.TOPICS_PREFIX}). */
    public static final String TOPICS_PREFIX = "convo.topics.prefix";
    /** Partitions for topics the connector creates when their source topic cannot be described. */
    public static final String TOPICS_PARTITIONS = "convo.topics.partitions";
    /** Replication factor of topics the connector creates; unset: the broker's default. */
    public static final String TOPICS_REPLICATION_FACTOR = "convo.topics.replication.factor";

    public static final String DEFAULT_TRANSPORT = "log";
    public static final double DEFAULT_MAX_PER_SECOND = 100;
    public static final String DEFAULT_INSTANCE_ID = "0";
    public static final long DEFAULT_CLOSE_TIMEOUT_MS = 30_000;
    /** As long as a command id is remembered (SPEC §4), so a day's redelivery or replay is never sent twice. */
    public static final long DEFAULT_PROCESSED_RETENTION_MS = 24L * 60 * 60 * 1000;
    public static final long DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_WEBHOOK_CONNECT_TIMEOUT_MS = 5_000;
    public static final int DEFAULT_WEBHOOK_MAX_ATTEMPTS = 4;
    public static final long DEFAULT_WEBHOOK_INITIAL_DELAY_MS = 500;
    public static final long DEFAULT_WEBHOOK_MAX_DELAY_MS = 30_000;
    public static final double DEFAULT_WEBHOOK_JITTER = 0.25;
    public static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    public static final int DEFAULT_HTTP_PORT = 8090;
    public static final int DEFAULT_HTTP_THREADS = 4;
    public static final int DEFAULT_HTTP_MAX_BODY_BYTES = 256 * 1024;
    /**
     * Hours of callbacks at a busy connector's pace; about 32 MB of heap (measured: 100,000 messages with one SMS
     * recipient each); see {@link MessageRecipients}.
     */
    public static final long DEFAULT_HTTP_STATUS_MAX_ENTRIES = 200_000;
    public static final int DEFAULT_PARTITIONS = 4;

    private ConnectorConfig() {
    }

    /** The per-channel names, in the order of the README's table. */
    public static final List<String> PER_CHANNEL = List.of(TRANSPORT, MAX_PER_SECOND, GROUP_ID, PROCESSED_RETENTION_MS,
            LOG_FILE, WEBHOOK_URL, WEBHOOK_AUTHORIZATION, WEBHOOK_TIMEOUT_MS, WEBHOOK_CONNECT_TIMEOUT_MS,
            WEBHOOK_MAX_ATTEMPTS, WEBHOOK_INITIAL_DELAY_MS, WEBHOOK_MAX_DELAY_MS, WEBHOOK_JITTER);

    /**
     * Every key of the connectors, for the README's table and for environment overrides: the global ones, and
     * each per-channel name both for all channels and for each channel.
     */
    public static Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>(List.of(CHANNELS, INSTANCE_ID, CREATE_TOPICS, CLOSE_TIMEOUT_MS,
                HTTP_ENABLED, HTTP_HOST, HTTP_PORT, HTTP_TOKEN, HTTP_THREADS, HTTP_MAX_BODY_BYTES,
                HTTP_STATUS_MAX_ENTRIES));
        for (String name : PER_CHANNEL) {
            keys.add(PREFIX + name);
        }
        for (Channel channel : Channel.values()) {
            for (String name : PER_CHANNEL) {
                keys.add(PREFIX + channel.name() + "." + name);
            }
        }
        return keys;
    }

    /** The channels named by {@link #CHANNELS}, all four when unset. */
    public static Set<Channel> channels(Map<String, ?> config) {
        Object value = config.get(CHANNELS);
        if (value == null || String.valueOf(value).isBlank()) {
            return EnumSet.allOf(Channel.class);
        }
        Set<Channel> channels = EnumSet.noneOf(Channel.class);
        for (String name : String.valueOf(value).split(",")) {
            channels.add(channel(CHANNELS, name));
        }
        return channels;
    }

    /** The channel named {@code name} ({@code chat}, {@code sms}, {@code mms}, {@code whatsapp}), case-insensitive. */
    public static Channel channel(String key, String name) {
        String trimmed = name.trim().toLowerCase(Locale.ROOT);
        for (Channel channel : Channel.values()) {
            if (channel.name().equals(trimmed)) {
                return channel;
            }
        }
        throw new ConfigException(key, name, "expected one of chat, sms, mms, whatsapp");
    }

    /** A copy of {@code properties} as the {@code Map<String, Object>} the connectors take. */
    public static Map<String, Object> toMap(Properties properties) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            map.put(key, properties.getProperty(key));
        }
        return map;
    }

    static String string(Map<String, ?> config, String key, String defaultValue) {
        Object value = config.get(key);
        return value == null || String.valueOf(value).isBlank() ? defaultValue : String.valueOf(value).trim();
    }

    static boolean bool(Map<String, ?> config, String key, boolean defaultValue) {
        String value = string(config, key, null);
        if (value == null) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new ConfigException(key, value, "expected true or false");
    }

    static long number(Map<String, ?> config, String key, long defaultValue, long min) {
        String value = string(config, key, null);
        if (value == null) {
            return defaultValue;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "expected a whole number");
        }
        if (parsed < min) {
            throw new ConfigException(key, value, "expected at least " + min);
        }
        return parsed;
    }

    /** The entries whose key starts with {@code prefix}, with the prefix removed. */
    static Map<String, Object> withPrefix(Map<String, ?> config, String prefix) {
        Map<String, Object> stripped = new LinkedHashMap<>();
        config.forEach((key, value) -> {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                stripped.put(key.substring(prefix.length()), value);
            }
        });
        return stripped;
    }
}
