package io.convo.operate;

import io.convo.model.config.TopicsConfig;
import io.convo.model.TopicNames;
import io.convo.model.serde.ConvoSerdes;
import io.convo.model.config.ConfigLoader;
import io.convo.topology.ConvoConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The configuration the operating tools read, the same way {@code convo run} reads it: a Properties file (by
 * default {@code config/convo.properties} when it exists), then {@code CONVO_*} environment variables on top
 * ({@code bootstrap.servers} ← {@code CONVO_BOOTSTRAP_SERVERS}, {@code convo.topics.prefix} ←
 * {@code CONVO_TOPICS_PREFIX}), then command-line options, and last, for the keys still unset, what a running
 * {@code convo run} wrote in its {@link RunFile}.
 */
public final class OperateConfig {

    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:9092";


    private OperateConfig() {
    }

    /**
     * The configuration from {@code file} (or the default file when {@code file} is null and it exists) with the
     * environment's overrides applied, knowing only the operating tools' keys.
     *
     * @throws IllegalArgumentException if {@code file} is given but does not exist
     */
    public static Properties load(Path file, Map<String, String> environment) {
        return new ConfigLoader(environment, knownKeys()).load(file);
    }

    /** The keys the operating tools read. */
    static Set<String> knownKeys() {
        Set<String> keys = new LinkedHashSet<>();
        keys.add(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        keys.add(StreamsConfig.APPLICATION_ID_CONFIG);
        keys.add(StreamsConfig.STATE_DIR_CONFIG);
        keys.add(StreamsConfig.APPLICATION_SERVER_CONFIG);
        keys.add(TopicsConfig.PREFIX.name());
        keys.add(TopicsConfig.PARTITIONS.name());
        keys.add(ConvoSerdes.SERDE_CONFIG);
        keys.add(ConvoSerdes.REGISTRY_URL_CONFIG);
        keys.add(RunFile.PATH.name());
        keys.addAll(ProducerConfig.configNames());
        keys.addAll(ConsumerConfig.configNames());
        keys.addAll(AdminClientConfig.configNames());
        return keys;
    }

    public static String bootstrapServers(Properties config) {
        String servers = config.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        return servers == null || servers.isBlank() ? DEFAULT_BOOTSTRAP_SERVERS : servers.trim();
    }

    public static String applicationId(Properties config) {
        return config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG, ConvoConfig.DEFAULT_APPLICATION_ID).trim();
    }

    public static TopicNames topics(Properties config) {
        return TopicNames.withPrefix(TopicsConfig.PREFIX.from(config));
    }

    /** The config as the map the serdes read ({@code convo.serde}, the registry URL, a custom serde's keys). */
    public static Map<String, Object> serdeConfig(Properties config) {
        Map<String, Object> map = new HashMap<>();
        for (String key : config.stringPropertyNames()) {
            map.put(key, config.getProperty(key));
        }
        return map;
    }

    /** Producer settings: the config's producer keys (security included), bootstrap servers, acks=all, idempotence. */
    public static Map<String, Object> producerConfig(Properties config) {
        Map<String, Object> map = pick(config, ProducerConfig.configNames());
        map.put(ProducerConfig.ACKS_CONFIG, "all");
        map.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return map;
    }

    /** Consumer settings: the config's consumer keys, bootstrap servers, read_committed, no group commits. */
    public static Map<String, Object> consumerConfig(Properties config) {
        Map<String, Object> map = pick(config, ConsumerConfig.configNames());
        // Outputs of an exactly-once application: only committed transactions are real.
        map.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        map.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        map.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return map;
    }

    public static Map<String, Object> adminConfig(Properties config) {
        return pick(config, AdminClientConfig.configNames());
    }

    private static Map<String, Object> pick(Properties config, Set<String> names) {
        Map<String, Object> map = new HashMap<>();
        for (String key : config.stringPropertyNames()) {
            if (names.contains(key)) {
                map.put(key, config.getProperty(key));
            }
        }
        map.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(config));
        return map;
    }
}
