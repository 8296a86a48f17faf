package io.convo.connectors;

import io.convo.model.serde.ConvoSerdes;
import io.convo.testkit.KafkaTestClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Producing and reading the connectors' records on the embedded broker, with the model's serdes. Records get the
 * current time as their timestamp, which every broker accepts.
 */
final class KafkaRecords {

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private KafkaRecords() {
    }

    /** A topic prefix no other test uses, so each test has its own topics, group and transactional ids. */
    static String uniquePrefix() {
        return "t" + PREFIXES.incrementAndGet() + "-" + System.nanoTime() % 100_000 + ".";
    }

    /** The connector settings every integration test starts from. */
    static Map<String, Object> connectorConfig(String bootstrapServers, String prefix) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put(ConnectorConfig.TOPICS_PREFIX, prefix);
        config.put(ConnectorConfig.HTTP_PORT, "0");
        config.put(ConnectorConfig.MAX_PER_SECOND, "1000");
        // Generous: other builds share these two cores.
        config.put(ConnectorConfig.CONSUMER_PREFIX + "session.timeout.ms", "30000");
        return config;
    }

    @SafeVarargs
    static <T extends SpecificRecord> void produce(String bootstrapServers, String topic, Class<T> type,
            java.util.function.Function<T, String> key, T... values) {
        List<T> list = new ArrayList<>(values.length);
        for (T value : values) {
            list.add(value);
        }
        produce(bootstrapServers, topic, type, key, list);
    }

    static <T extends SpecificRecord> void produce(String bootstrapServers, String topic, Class<T> type,
            java.util.function.Function<T, String> key, List<T> values) {
        Serializer<T> serializer = ConvoSerdes.valueSerde(type, Map.of()).serializer();
        try (KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(bootstrapServers, new StringSerializer(),
                new ByteArraySerializer(), Map.of())) {
            for (T value : values) {
                producer.send(new ProducerRecord<>(topic, key.apply(value), serializer.serialize(topic, value)));
            }
            producer.flush();
        }
    }

    static void produceBytes(String bootstrapServers, String topic, String key, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(bootstrapServers, new StringSerializer(),
                new ByteArraySerializer(), Map.of())) {
            producer.send(new ProducerRecord<>(topic, key, value));
            producer.flush();
        }
    }

    /** Every committed record of {@code topic}, read to the end as it is now. */
    static List<ConsumerRecord<String, byte[]>> readAll(String bootstrapServers, String topic) {
        try (KafkaConsumer<String, byte[]> consumer = KafkaTestClients.consumer(bootstrapServers, new StringDeserializer(),
                new ByteArrayDeserializer(), Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!ends.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                ends.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
            }
            return records;
        }
    }

    /** The values of every committed record of {@code topic}. */
    static <T extends SpecificRecord> List<T> readAllValues(String bootstrapServers, String topic, Class<T> type) {
        var deserializer = ConvoSerdes.valueSerde(type, Map.of()).deserializer();
        return readAll(bootstrapServers, topic).stream().map(r -> deserializer.deserialize(topic, r.value())).toList();
    }

    /** Polls {@code topic} (committed records only) until {@code count} values arrived or the timeout passed. */
    static <T extends SpecificRecord> List<T> awaitValues(String bootstrapServers, String topic, Class<T> type, int count,
            Duration timeout) {
        var deserializer = ConvoSerdes.valueSerde(type, Map.of()).deserializer();
        try (KafkaConsumer<String, byte[]> consumer = KafkaTestClients.consumer(bootstrapServers, new StringDeserializer(),
                new ByteArrayDeserializer(), Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            return KafkaTestClients.consumeUntil(consumer, List.of(topic), count, timeout).stream()
                    .map(r -> deserializer.deserialize(topic, r.value())).toList();
        }
    }
}
