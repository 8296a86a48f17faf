package io.convo.tools.chaos;

import io.convo.model.CommandRejected;
import io.convo.model.ConversationEvent;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.ServiceEvent;
import io.convo.model.TopicNames;
import io.convo.model.json.JsonLines;
import io.convo.model.serde.ConvoSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every outcome topic with {@code read_committed}: what the application has decided, as output JSON lines
 * (the form `simulate` prints), grouped by topic and key in log order.
 */
final class OutcomeLog implements AutoCloseable {

    private final TopicNames topics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Function<byte[], SpecificRecord>> decoders = new HashMap<>();
    /** topic → key → lines, in the order read. */
    private final Map<String, Map<String, List<String>>> lines = new LinkedHashMap<>();
    private long commandOutcomes;
    private final Map<String, Long> rejectionsByCode = new TreeMap<>();

    OutcomeLog(String bootstrapServers, TopicNames topics) {
        this.topics = topics;
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> serdes = Map.of();
        decoder(topics.conversationEvents(), ConversationEvent.class, serdes);
        decoder(topics.serviceEvents(), ServiceEvent.class, serdes);
        decoder(topics.commandRejections(), CommandRejected.class, serdes);
        for (String t : List.of(topics.deliveryChat(), topics.deliverySms(), topics.deliveryMms(), topics.deliveryWhatsapp())) {
            decoder(t, Delivery.class, serdes);
        }
        decoder(topics.deliveryReceipts(), DeliveryReceipt.class, serdes);
        // Assigned, not subscribed: a group without committed offsets would start over from the earliest offset
        // whenever it is reassigned, e.g. after a broker restart, and count every outcome twice.
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : decoders.keySet()) {
            consumer.partitionsFor(topic, Duration.ofMinutes(1))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    private <T extends SpecificRecord> void decoder(String topic, Class<T> type, Map<String, Object> serdes) {
        var deserializer = ConvoSerdes.valueSerde(type, serdes).deserializer();
        decoders.put(topic, bytes -> deserializer.deserialize(topic, bytes));
    }

    /** Reads what is there now; returns how many records came. */
    int poll(Duration timeout) {
        int n = 0;
        for (ConsumerRecord<String, byte[]> r : consumer.poll(timeout)) {
            SpecificRecord value = decoders.get(r.topic()).apply(r.value());
            lines.computeIfAbsent(r.topic(), t -> new LinkedHashMap<>())
                    .computeIfAbsent(r.key(), k -> new ArrayList<>())
                    .add(JsonLines.outputLine(r.topic(), r.key(), value));
            if (isCommandOutcome(r.topic(), value)) {
                commandOutcomes++;
            }
            if (value instanceof CommandRejected rejected) {
                rejectionsByCode.merge(rejected.getCode(), 1L, Long::sum);
            }
            n++;
        }
        return n;
    }

    /** Reads until every partition is read up to its last committed offset as of now. */
    void readToEnd(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<TopicPartition> assigned = consumer.assignment();
        Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
        while (System.nanoTime() < deadline) {
            boolean done = true;
            for (TopicPartition tp : assigned) {
                if (consumer.position(tp) < end.get(tp)) {
                    done = false;
                    break;
                }
            }
            if (done) {
                return;
            }
            poll(Duration.ofMillis(200));
        }
        throw new IllegalStateException("outcome topics not read to their end within " + timeout);
    }

    /** Events caused by commands and rejections: exactly one per command produced. */
    long commandOutcomes() {
        return commandOutcomes;
    }

    /** Rejections read so far, by code in code order: which limits the stream reached, and how often. */
    Map<String, Long> rejectionsByCode() {
        return Collections.unmodifiableMap(new TreeMap<>(rejectionsByCode));
    }

    Map<String, Map<String, List<String>>> lines() {
        return lines;
    }

    private boolean isCommandOutcome(String topic, SpecificRecord value) {
        if (topic.equals(topics.commandRejections()) || topic.equals(topics.serviceEvents())) {
            return true;
        }
        return topic.equals(topics.conversationEvents())
                && ((ConversationEvent) value).getEvent() instanceof SpecificRecord event
                && event.getSchema().getField("commandId") != null;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
