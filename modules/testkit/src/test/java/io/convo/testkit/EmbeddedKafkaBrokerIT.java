package io.convo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The broker contract against {@link EmbeddedKafkaBroker}, plus what only the embedded broker offers. */
class EmbeddedKafkaBrokerIT extends BrokerContract {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @Override
    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Test
    void listensOnLoopbackOnly() {
        assertThat(kafka.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
    }

    @Test
    void keepsRecordsAndAddressAcrossStopAndRestart() throws Exception {
        String topic = uniqueTopic("restart");
        kafka.createTopics(2, topic);
        send(kafka.bootstrapServers(), topic, "before", 20);
        String address = kafka.bootstrapServers();

        kafka.broker().stop();
        assertThat(kafka.broker().isRunning()).isFalse();
        kafka.broker().restart();

        assertThat(kafka.broker().isRunning()).isTrue();
        assertThat(kafka.bootstrapServers()).isEqualTo(address);
        send(kafka.bootstrapServers(), topic, "after", 20);
        assertThat(values(consumeAll(kafka.bootstrapServers(), topic, 40)))
                .hasSize(40).contains("before-0", "before-19", "after-0", "after-19");
    }

    @Test
    void deliversRecordsSentWhileStoppedOnceRestarted() throws Exception {
        String topic = uniqueTopic("outage");
        kafka.createTopics(1, topic);
        try (KafkaProducer<String, String> producer = KafkaTestClients.producer(kafka.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topic, "k", "before")).get();
            kafka.broker().stop();
            // A client that has lost its only broker re-bootstraps and forgets the topic, so send() blocks until
            // the broker is back (up to max.block.ms): send from another thread while this one restarts it.
            CompletableFuture<List<Future<RecordMetadata>>> sending = CompletableFuture.supplyAsync(() -> {
                List<Future<RecordMetadata>> acks = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    acks.add(producer.send(new ProducerRecord<>(topic, "k", "during-" + i)));
                }
                return acks;
            });
            kafka.broker().restart();
            for (Future<RecordMetadata> ack : sending.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                ack.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
        assertThat(values(consumeAll(kafka.bootstrapServers(), topic, 11)))
                .startsWith("before", "during-0").endsWith("during-9").hasSize(11);
    }

    @Test
    void reusesAFormattedDataDirWithItsTopicsAndRecords(@TempDir Path dataDir) throws Exception {
        String topic = uniqueTopic("durable");
        int port = EmbeddedKafkaBroker.freePort();
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(dataDir, port)) {
            assertThat(first.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            first.createTopics(1, topic);
            send(first.bootstrapServers(), topic, "kept", 5);
        }
        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(dataDir)) {
            second.createTopics(1, topic); // already there: ignored
            assertThat(values(consumeAll(second.bootstrapServers(), topic, 5)))
                    .containsExactly("kept-0", "kept-1", "kept-2", "kept-3", "kept-4");
        }
    }

    @Test
    void temporaryBrokerDeletesItsDataOnCloseAndClosesOnlyOnce() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary();
        Path dataDir = broker.dataDir();
        assertThat(dataDir.resolve(EmbeddedKafkaBroker.PROPERTIES_FILE)).exists();

        broker.close();
        broker.close();

        assertThat(Files.exists(dataDir)).isFalse();
        assertThat(broker.isRunning()).isFalse();
    }

    @Test
    void consumeUntilReturnsWhatArrivedWhenTheTimeoutExpires() throws Exception {
        String topic = uniqueTopic("short");
        kafka.createTopics(1, topic);
        send(kafka.bootstrapServers(), topic, "only", 3);
        try (KafkaConsumer<String, String> consumer = KafkaTestClients.consumer(kafka.bootstrapServers())) {
            List<ConsumerRecord<String, String>> records =
                    KafkaTestClients.consumeUntil(consumer, List.of(topic), 4, Duration.ofSeconds(3));
            assertThat(values(records)).containsExactly("only-0", "only-1", "only-2");
        }
    }

    private static void send(String bootstrapServers, String topic, String prefix, int count)
            throws ExecutionException, InterruptedException {
        try (KafkaProducer<String, String> producer = KafkaTestClients.producer(bootstrapServers)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, prefix + "-" + i)).get();
            }
        }
    }

    private static List<ConsumerRecord<String, String>> consumeAll(String bootstrapServers, String topic, int count) {
        try (KafkaConsumer<String, String> consumer = KafkaTestClients.consumer(bootstrapServers)) {
            return KafkaTestClients.consumeUntil(consumer, List.of(topic), count, TIMEOUT);
        }
    }

    private static List<String> values(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
