package io.convo.connectors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the connectors' own topics when missing, idempotently: {@code delivery-processed} (compacted, and
 * deleted after the processed-log retention) and {@code delivery-dlq}, each with the partition count of the
 * delivery topic. Existing topics are left as they are. The topology's topics are not created here.
 */
public final class ConnectorTopicCreator {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorTopicCreator.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ConnectorTopicCreator() {
    }

    /** The topic settings of {@code delivery-processed}. */
    public static Map<String, String> processedTopicConfig(Duration retention) {
        return Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + ","
                + TopicConfig.CLEANUP_POLICY_DELETE, TopicConfig.RETENTION_MS_CONFIG, String.valueOf(retention.toMillis()));
    }

    /**
     * Makes sure the processed log and the DLQ exist.
     *
     * @param sourceTopic the delivery topic whose partition count the new topics take; when it cannot be
     *                    described, {@value ConnectorConfig#TOPICS_PARTITIONS} (default 4) is used
     */
    public static void ensure(Map<String, ?> config, ConnectorTopics topics, String sourceTopic, Duration retention) {
        try (Admin admin = Admin.create(KafkaClientConfigs.admin(config))) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (existing.contains(topics.processed()) && existing.contains(topics.dlq())) {
                return;
            }
            int partitions = partitions(admin, sourceTopic, config);
            Optional<Short> replication = config.get(ConnectorConfig.TOPICS_REPLICATION_FACTOR) == null ? Optional.empty()
                    : Optional.of((short) ConnectorConfig.number(config, ConnectorConfig.TOPICS_REPLICATION_FACTOR, 1, 1));
            List<NewTopic> missing = new ArrayList<>();
            if (!existing.contains(topics.processed())) {
                missing.add(new NewTopic(topics.processed(), Optional.of(partitions), replication)
                        .configs(processedTopicConfig(retention)));
            }
            if (!existing.contains(topics.dlq())) {
                missing.add(new NewTopic(topics.dlq(), Optional.of(partitions), replication));
            }
            for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(missing).values().entrySet()) {
                try {
                    created.getValue().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    LOG.info("Created topic {} with {} partitions", created.getKey(), partitions);
                } catch (ExecutionException e) {
                    // Another connector starting at the same moment created it: the idempotent outcome.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + created.getKey() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the connectors' topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list topics: " + e.getMessage(), e);
        }
    }

    private static int partitions(Admin admin, String sourceTopic, Map<String, ?> config)
            throws InterruptedException, TimeoutException, ExecutionException {
        try {
            TopicDescription source = admin.describeTopics(List.of(sourceTopic)).allTopicNames()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(sourceTopic);
            return source.partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                int partitions = (int) ConnectorConfig.number(config, ConnectorConfig.TOPICS_PARTITIONS,
                        ConnectorConfig.DEFAULT_PARTITIONS, 1);
                LOG.warn("Delivery topic {} does not exist yet; its connector will wait for it. The connector's own"
                        + " topics get {} partitions", sourceTopic, partitions);
                return partitions;
            }
            throw e;
        }
    }
}
