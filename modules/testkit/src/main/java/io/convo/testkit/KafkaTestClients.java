package io.convo.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Factories for the Kafka clients that tests need (String or byte[] keys and values), topic creation, and
 * {@link #consumeUntil} which polls until the expected records arrived instead of sleeping. Not thread-safe
 * in the way the clients themselves are not: give each thread its own client.
 */
public final class KafkaTestClients {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTestClients.class);

    /** How long {@link #createTopics} waits for the broker to serve new topics. */
    private static final Duration TOPIC_READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private KafkaTestClients() {
    }

    /** An idempotent producer with acks=all and String keys and values. */
    public static KafkaProducer<String, String> producer(String bootstrapServers) {
        return producer(bootstrapServers, Map.of());
    }

    /** An idempotent producer with acks=all and String keys and values; {@code overrides} win. */
    public static KafkaProducer<String, String> producer(String bootstrapServers, Map<String, ?> overrides) {
        return producer(bootstrapServers, new StringSerializer(), new StringSerializer(), overrides);
    }

    /** An idempotent producer with acks=all and byte[] keys and values. */
    public static KafkaProducer<byte[], byte[]> bytesProducer(String bootstrapServers) {
        return producer(bootstrapServers, new ByteArraySerializer(), new ByteArraySerializer(), Map.of());
    }

    /** A transactional producer with String keys and values, already initialised ({@code initTransactions()}). */
    public static KafkaProducer<String, String> transactionalProducer(String bootstrapServers, String transactionalId) {
        KafkaProducer<String, String> producer =
                producer(bootstrapServers, Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId));
        producer.initTransactions();
        return producer;
    }

    /** An idempotent producer with acks=all and the given serializers; {@code overrides} win. */
    public static <K, V> KafkaProducer<K, V> producer(
            String bootstrapServers, Serializer<K> keySerializer, Serializer<V> valueSerializer, Map<String, ?> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.putAll(overrides);
        return new KafkaProducer<>(config, keySerializer, valueSerializer);
    }

    /**
     * A consumer with String keys and values in a new consumer group that starts at the earliest offset and
     * does not commit.
     */
    public static KafkaConsumer<String, String> consumer(String bootstrapServers) {
        return consumer(bootstrapServers, Map.of());
    }

    /** As {@link #consumer(String)}; {@code overrides} win, e.g. {@code isolation.level=read_committed}. */
    public static KafkaConsumer<String, String> consumer(String bootstrapServers, Map<String, ?> overrides) {
        return consumer(bootstrapServers, new StringDeserializer(), new StringDeserializer(), overrides);
    }

    /** As {@link #consumer(String)} with byte[] keys and values. */
    public static KafkaConsumer<byte[], byte[]> bytesConsumer(String bootstrapServers) {
        return consumer(bootstrapServers, new ByteArrayDeserializer(), new ByteArrayDeserializer(), Map.of());
    }

    /** As {@link #consumer(String)} with the given deserializers; {@code overrides} win. */
    public static <K, V> KafkaConsumer<K, V> consumer(String bootstrapServers, Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer, Map<String, ?> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "testkit-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putAll(overrides);
        return new KafkaConsumer<>(config, keyDeserializer, valueDeserializer);
    }

    /** An admin client; the caller closes it. */
    public static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /**
     * Polls {@code consumer} until it has received {@code count} records or {@code timeout} has passed, and
     * returns the records received, in arrival order (which is log order within each partition). Subscribes
     * to {@code topics} unless the consumer is already subscribed or assigned. Returns fewer records than
     * {@code count} on timeout, so callers assert on the size; more if a poll brought more.
     */
    public static <K, V> List<ConsumerRecord<K, V>> consumeUntil(
            Consumer<K, V> consumer, Collection<String> topics, int count, Duration timeout) {
        if (consumer.subscription().isEmpty() && consumer.assignment().isEmpty()) {
            consumer.subscribe(topics);
        }
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.size() < count) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            Duration poll = Duration.ofNanos(Math.min(remaining, POLL_INTERVAL.toNanos()));
            consumer.poll(poll).forEach(records::add);
        }
        return records;
    }

    /**
     * Creates the topics that do not exist yet (replication factor 1) and waits until the broker serves all
     * their partitions, so that a consumer subscribing right after sees them at once.
     */
    public static void createTopics(String bootstrapServers, int partitions, String... names) {
        try (Admin admin = admin(bootstrapServers)) {
            List<NewTopic> topics = Arrays.stream(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList();
            admin.createTopics(topics).values().forEach((name, future) -> {
                try {
                    future.get(TOPIC_READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + name + " at " + bootstrapServers, e.getCause());
                    }
                } catch (InterruptedException | TimeoutException e) {
                    throw failure("Cannot create topic " + name + " at " + bootstrapServers, e);
                }
            });
            awaitServed(admin, Set.of(names), bootstrapServers).forEach((name, description) -> {
                if (description.partitions().size() != partitions) {
                    // Co-partitioned Kafka Streams sources fail at start if counts differ: say so early.
                    LOG.warn("Topic {} already exists with {} partitions, not {}",
                            name, description.partitions().size(), partitions);
                }
            });
        }
    }

    /** Waits until describing the topics (answered from the broker's metadata cache) shows a leader everywhere. */
    private static Map<String, TopicDescription> awaitServed(Admin admin, Set<String> names, String bootstrapServers) {
        long deadline = System.nanoTime() + TOPIC_READY_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames()
                        .get(TOPIC_READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                boolean allLed = descriptions.values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (allLed) {
                    return descriptions;
                }
            } catch (ExecutionException e) {
                last = e; // typically UnknownTopicOrPartitionException until the broker has the new metadata
            } catch (InterruptedException | TimeoutException e) {
                throw failure("Waiting for topics " + names + " at " + bootstrapServers, e);
            }
            pause();
        }
        throw new IllegalStateException("Topics " + names + " not served by " + bootstrapServers + " within "
                + TOPIC_READY_TIMEOUT.toSeconds() + " s", last);
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis() / 2);
        } catch (InterruptedException e) {
            throw failure("Interrupted", e);
        }
    }

    private static IllegalStateException failure(String message, Exception cause) {
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new IllegalStateException(message, cause);
    }
}
