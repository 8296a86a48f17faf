package io.convo.operate;

import io.convo.model.TopicNames;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * How many committed commands the application has not processed yet (its consumer group's committed offsets
 * against the inputs' ends). A state compared while this is not 0 is still changing.
 */
final class ApplicationLag {

    private ApplicationLag() {
    }

    /** The lag summed over the application's input topics; -1 when it cannot be told. */
    static long of(Properties config, Duration timeout) {
        TopicNames topics = OperateConfig.topics(config);
        // Only the command topics: the others are written in the application's own transactions, whose commit
        // markers take offsets that no record has, so a finished consumer still looks one behind on them.
        List<String> inputs = List.of(topics.conversationCommands(), topics.serviceCommands());
        try (Admin admin = Admin.create(OperateConfig.adminConfig(config))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(OperateConfig.applicationId(config)).partitionsToOffsetAndMetadata()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, TopicDescription> described = admin.describeTopics(inputs).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            described.values().forEach(d -> d.partitions().forEach(
                    p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
            var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long lag = 0;
            for (var end : ends.entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                lag += Math.max(0, end.getValue().offset() - (done == null ? 0 : done.offset()));
            }
            return lag;
        } catch (ExecutionException | TimeoutException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
