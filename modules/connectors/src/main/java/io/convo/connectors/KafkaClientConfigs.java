package io.convo.connectors;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The settings of the connectors' Kafka clients: the config's Kafka client keys ({@code bootstrap.servers},
 * security, …), then the connectors' defaults, then {@code convo.connector.consumer.*} / {@code .producer.*}, and
 * last the settings the no-double-send design depends on, which cannot be overridden.
 */
final class KafkaClientConfigs {

    /** Chosen per client below, never taken from the shared config. */
    private static final Set<String> OWN = Set.of(ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, ConsumerConfig.CLIENT_ID_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);

    private KafkaClientConfigs() {
    }

    /** The delivery consumer: committed records only, offsets committed only inside the connector's transactions. */
    static Map<String, Object> deliveryConsumer(Map<String, ?> config, String groupId, String clientId) {
        Map<String, Object> consumer = shared(config, ConsumerConfig.configNames());
        // A new group delivers what is on the topic, not only what arrives after it first starts.
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Records are fetched in bulk anyway; a small batch means a slow provider delays the next poll (and so a
        // rebalance) by 50 deliveries at most, not 500.
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
        consumer.putAll(ConnectorConfig.withPrefix(config, ConnectorConfig.CONSUMER_PREFIX));
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return consumer;
    }

    /** A consumer without a group that reads committed records only: the processed-log and event readers. */
    static Map<String, Object> reader(Map<String, ?> config, String clientId) {
        Map<String, Object> reader = shared(config, ConsumerConfig.configNames());
        reader.putAll(ConnectorConfig.withPrefix(config, ConnectorConfig.CONSUMER_PREFIX));
        reader.remove(ConsumerConfig.GROUP_ID_CONFIG);
        reader.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        reader.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        reader.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        reader.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return reader;
    }

    /**
     * A producer with acks=all and idempotence; transactional when {@code transactionalId} is not null.
     */
    static Map<String, Object> producer(Map<String, ?> config, String transactionalId, String clientId) {
        Map<String, Object> producer = shared(config, ProducerConfig.configNames());
        producer.putAll(ConnectorConfig.withPrefix(config, ConnectorConfig.PRODUCER_PREFIX));
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        if (transactionalId != null) {
            producer.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return producer;
    }

    static Map<String, Object> admin(Map<String, ?> config) {
        Map<String, Object> admin = shared(config, AdminClientConfig.configNames());
        admin.remove(AdminClientConfig.CLIENT_ID_CONFIG);
        return admin;
    }

    private static Map<String, Object> shared(Map<String, ?> config, Set<String> names) {
        Map<String, Object> shared = new HashMap<>();
        config.forEach((key, value) -> {
            if (names.contains(key) && !OWN.contains(key) && value != null) {
                shared.put(key, value);
            }
        });
        return shared;
    }
}
