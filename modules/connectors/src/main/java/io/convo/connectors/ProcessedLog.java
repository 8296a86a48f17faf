package io.convo.connectors;

import io.convo.model.Channel;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processed-delivery log of one channel's connector: the compacted topic {@code delivery-processed}, keyed by
 * {@link DeliveryId#key()}, written in the same transaction as the delivery's receipt and its offset, and read back
 * (committed records only) when the connector is assigned a partition. A delivery record of source partition
 * {@code p} is logged to partition {@code p mod n} of the log, so loading the log for an assigned partition reads
 * one log partition, never the whole topic; several channels share the topic, each keeping only its own keys.
 */
final class ProcessedLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessedLog.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final String topic;
    private final Channel channel;
    private final Consumer<String, byte[]> reader;
    private final ProcessedDeliveries deliveries;
    private final Duration loadTimeout;
    private final Set<Integer> assignedSources = new HashSet<>();
    private int logPartitions = -1;

    /**
     * @param reader a consumer without a group, reading committed records only; this log closes it
     */
    ProcessedLog(String topic, Channel channel, Consumer<String, byte[]> reader, Duration retention, Duration loadTimeout) {
        this.topic = topic;
        this.channel = channel;
        this.reader = reader;
        this.deliveries = new ProcessedDeliveries(retention);
        this.loadTimeout = loadTimeout;
    }

    /** The log partition that holds the markers of source partition {@code sourcePartition}. */
    int logPartition(int sourcePartition) {
        if (logPartitions < 0) {
            List<PartitionInfo> infos = reader.partitionsFor(topic, loadTimeout);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist: create it (compacted) or set "
                        + ConnectorConfig.CREATE_TOPICS + "=true");
            }
            logPartitions = infos.size();
        }
        return sourcePartition % logPartitions;
    }

    void assigned(Collection<Integer> sourcePartitions) {
        assignedSources.addAll(sourcePartitions);
    }

    /** Forgets the log partitions no assigned source partition needs any more: another instance owns them now. */
    void revoked(Collection<Integer> sourcePartitions) {
        assignedSources.removeAll(sourcePartitions);
        Set<Integer> needed = new HashSet<>();
        for (int source : assignedSources) {
            needed.add(logPartition(source));
        }
        for (int source : sourcePartitions) {
            int logPartition = logPartition(source);
            if (!needed.contains(logPartition)) {
                deliveries.drop(logPartition);
            }
        }
    }

    /**
     * Reads the log partition of {@code sourcePartition} from its start to its last committed record, unless it is
     * loaded already. Called before the first record of a newly assigned partition is handled.
     *
     * @throws TimeoutException when the log cannot be read within the load timeout
     */
    void ensureLoaded(int sourcePartition) {
        int logPartition = logPartition(sourcePartition);
        if (deliveries.isLoaded(logPartition)) {
            return;
        }
        TopicPartition tp = new TopicPartition(topic, logPartition);
        List<TopicPartition> only = List.of(tp);
        reader.assign(only);
        reader.seekToBeginning(only);
        long end = reader.endOffsets(only, loadTimeout).get(tp); // the last stable offset: committed records only
        long deadline = System.nanoTime() + loadTimeout.toNanos();
        deliveries.reset(logPartition);
        int read = 0;
        while (reader.position(tp, loadTimeout) < end) {
            if (System.nanoTime() > deadline) {
                deliveries.drop(logPartition);
                throw new TimeoutException("reading " + tp + " up to offset " + end + " took more than "
                        + loadTimeout.toSeconds() + " s");
            }
            long now = System.currentTimeMillis();
            for (ConsumerRecord<String, byte[]> record : reader.poll(POLL)) {
                if (DeliveryId.keyOf(record.key(), channel)) {
                    deliveries.add(logPartition, record.key(), record.timestamp(), now);
                    read++;
                }
            }
        }
        reader.assign(List.of());
        LOG.info("{} connector: processed-delivery log {} loaded, {} {} deliveries within the retention window",
                channel, tp, read, channel);
    }

    boolean contains(int sourcePartition, String key) {
        return deliveries.contains(logPartition(sourcePartition), key, System.currentTimeMillis());
    }

    /** Records a delivery whose marker was committed. */
    void add(int sourcePartition, String key, long timestamp) {
        deliveries.add(logPartition(sourcePartition), key, timestamp, System.currentTimeMillis());
    }

    @Override
    public void close() {
        reader.close();
    }
}
