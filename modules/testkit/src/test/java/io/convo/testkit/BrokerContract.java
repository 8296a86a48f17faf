package io.convo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * What convo needs from any Kafka broker, checked over a real socket: records come back with their keys and
 * values in per-partition order, and read_committed consumers see committed transactions only. Subclasses
 * provide the broker.
 */
abstract class BrokerContract {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The broker's bootstrap address. */
    abstract String bootstrapServers();

    static String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    void createTopics(int partitions, String... names) {
        KafkaTestClients.createTopics(bootstrapServers(), partitions, names);
    }

    @Test
    void returnsProducedRecordsWithTheirKeysAndValuesInOrderPerPartition() throws Exception {
        String topic = uniqueTopic("orders");
        createTopics(3, topic);
        int count = 600;

        Map<Integer, List<String>> sentByPartition = new LinkedHashMap<>();
        try (KafkaProducer<String, String> producer = KafkaTestClients.producer(bootstrapServers())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, "key-" + (i % 17), "value-" + i)));
            }
            for (int i = 0; i < count; i++) {
                int partition = acks.get(i).get().partition();
                sentByPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add("key-" + (i % 17) + "=value-" + i);
            }
        }

        List<ConsumerRecord<String, String>> received;
        try (KafkaConsumer<String, String> consumer = KafkaTestClients.consumer(bootstrapServers())) {
            received = KafkaTestClients.consumeUntil(consumer, List.of(topic), count, TIMEOUT);
        }

        assertThat(received).hasSize(count);
        assertThat(sentByPartition).hasSize(3);
        Map<Integer, List<String>> receivedByPartition = received.stream().collect(Collectors.groupingBy(
                ConsumerRecord::partition, Collectors.mapping(r -> r.key() + "=" + r.value(), Collectors.toList())));
        assertThat(receivedByPartition).isEqualTo(sentByPartition);
    }

    @Test
    void readCommittedConsumerSeesCommittedTransactionsOnlyInOrder() throws ExecutionException, InterruptedException {
        String topic = uniqueTopic("events");
        createTopics(1, topic);

        try (KafkaProducer<String, String> producer =
                     KafkaTestClients.transactionalProducer(bootstrapServers(), "contract-" + UUID.randomUUID())) {
            sendInTransaction(producer, topic, "committed-a", 5, true);
            sendInTransaction(producer, topic, "aborted", 5, false);
            sendInTransaction(producer, topic, "committed-b", 5, true);
        }

        List<String> committed = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = KafkaTestClients.consumer(bootstrapServers(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            KafkaTestClients.consumeUntil(consumer, List.of(topic), 10, TIMEOUT).forEach(r -> committed.add(r.value()));
        }
        List<String> everything = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = KafkaTestClients.consumer(bootstrapServers(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"))) {
            KafkaTestClients.consumeUntil(consumer, List.of(topic), 15, TIMEOUT).forEach(r -> everything.add(r.value()));
        }

        assertThat(committed).containsExactly(
                "committed-a-0", "committed-a-1", "committed-a-2", "committed-a-3", "committed-a-4",
                "committed-b-0", "committed-b-1", "committed-b-2", "committed-b-3", "committed-b-4");
        assertThat(everything).hasSize(15).contains("aborted-0", "aborted-4");
    }

    private static void sendInTransaction(
            KafkaProducer<String, String> producer, String topic, String prefix, int count, boolean commit)
            throws ExecutionException, InterruptedException {
        producer.beginTransaction();
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(topic, "conversation-1", prefix + "-" + i)).get();
        }
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
    }
}
