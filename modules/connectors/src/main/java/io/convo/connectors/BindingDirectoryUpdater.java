package io.convo.connectors;

import io.convo.model.ConversationEvent;
import io.convo.model.serde.ConvoSerdes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link BindingDirectory} up to date: reads every partition of {@code conversation-events} (committed
 * events only) from the start, then follows it. {@link #ready()} turns true once it has read up to where the log
 * ended when it started, so the inbound endpoint does not answer 404 for a sender it simply has not read yet.
 */
final class BindingDirectoryUpdater implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BindingDirectoryUpdater.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration WAIT_FOR_TOPIC = Duration.ofSeconds(2);

    private final String topic;
    private final BindingDirectory directory;
    private final Consumer<String, byte[]> consumer;
    private final Deserializer<ConversationEvent> events;
    private final Thread thread;
    private volatile boolean ready;
    private volatile boolean stopping;

    BindingDirectoryUpdater(Map<String, ?> config, String topic, BindingDirectory directory) {
        this.topic = topic;
        this.directory = directory;
        this.events = ConvoSerdes.valueSerde(ConversationEvent.class, config).deserializer();
        this.consumer = new KafkaConsumer<>(KafkaClientConfigs.reader(config, "convo-connector-bindings"),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "convo-connector-bindings");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean ready() {
        return ready;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = awaitTopic();
            if (partitions == null) {
                return;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
            while (!stopping) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    apply(record);
                }
                if (!ready) {
                    ends.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
                    if (ends.isEmpty()) {
                        ready = true;
                        LOG.info("Inbound bindings loaded from {}: {} bindings", topic, directory.size());
                    }
                }
            }
        } catch (WakeupException | InterruptException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("Following {} for inbound bindings stopped", topic, e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    /** The topic's partitions, waiting for the topic to be created; null when closed first. */
    private List<TopicPartition> awaitTopic() {
        boolean warned = false;
        while (!stopping) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, WAIT_FOR_TOPIC);
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            }
            if (!warned) {
                LOG.warn("Topic {} does not exist yet; inbound messages are answered 503 until it does", topic);
                warned = true;
            }
        }
        return null;
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        ConversationEvent event;
        try {
            event = events.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            LOG.warn("Event {}-{}@{} unreadable, skipped for inbound bindings: {}", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            return;
        }
        if (event != null) {
            directory.apply(event);
        }
    }

    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
