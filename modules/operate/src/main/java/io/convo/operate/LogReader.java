package io.convo.operate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads whole topics from offset 0, committed records only, without a consumer group, in steps: each
 * {@link #readToEnd} reads up to the end the topics have when it is called, and the next call continues from there.
 * Not thread-safe.
 */
public final class LogReader implements AutoCloseable {

    /** What a long read reports now and then: records read so far, and roughly how many this call reads in all. */
    public interface Progress {
        void report(long read, long total);
    }

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration STALL = Duration.ofSeconds(60);
    private static final long PROGRESS_NANOS = 2_000_000_000L;

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();

    /**
     * @throws MissingTopicsException when some of the topics do not exist
     */
    LogReader(Properties config, List<String> topics) {
        consumer = new KafkaConsumer<>(OperateConfig.consumerConfig(config), new StringDeserializer(),
                new ByteArrayDeserializer());
        try {
            Map<String, List<PartitionInfo>> existing = consumer.listTopics(Duration.ofSeconds(30));
            Set<String> missing = new TreeSet<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = existing.get(topic);
                if (infos == null) {
                    missing.add(topic);
                } else {
                    infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                }
            }
            if (!missing.isEmpty()) {
                throw new MissingTopicsException(missing);
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
    }

    /** Some topics a reader needs do not exist. */
    static final class MissingTopicsException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final Set<String> topics;

        MissingTopicsException(Set<String> topics) {
            super("missing topics " + topics);
            this.topics = Set.copyOf(topics);
        }

        Set<String> topics() {
            return topics;
        }
    }

    /**
     * Hands every record up to the topics' current end to {@code handler}, in log order within each partition.
     *
     * @return how many records were read
     * @throws IllegalStateException when no record arrives for a minute although the end is not reached
     */
    long readToEnd(Consumer<ConsumerRecord<String, byte[]>> handler, Progress progress) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        long total = 0;
        for (TopicPartition p : partitions) {
            total += Math.max(0, ends.get(p) - consumer.position(p));
        }
        long read = 0;
        long lastProgress = System.nanoTime();
        long lastRecord = System.nanoTime();
        while (!reached(ends)) {
            var records = consumer.poll(POLL);
            for (ConsumerRecord<String, byte[]> record : records) {
                handler.accept(record);
                read++;
            }
            long now = System.nanoTime();
            if (!records.isEmpty()) {
                lastRecord = now;
            } else if (now - lastRecord > STALL.toNanos()) {
                throw new IllegalStateException("no record for " + STALL.toSeconds() + " s before the end of "
                        + partitions + " was reached; is the broker reachable?");
            }
            if (progress != null && now - lastProgress > PROGRESS_NANOS) {
                progress.report(read, total);
                lastProgress = now;
            }
        }
        return read;
    }

    /**
     * Waits up to {@code timeout} for records past what was read (a fetch that the broker answers as soon as there are
     * some), and hands those that came to {@code handler}.
     *
     * @return how many records were read
     */
    long readMore(Consumer<ConsumerRecord<String, byte[]>> handler, Duration timeout) {
        long read = 0;
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            handler.accept(record);
            read++;
        }
        return read;
    }

    /** Makes a read in progress on another thread end with a {@code WakeupException}; safe from any thread. */
    void wakeup() {
        consumer.wakeup();
    }

    private boolean reached(Map<TopicPartition, Long> ends) {
        for (TopicPartition p : partitions) {
            if (consumer.position(p) < ends.get(p)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
