package io.convo.operate;

import io.convo.topology.ConvoConfig;
import io.convo.model.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A clean restart of a stopped application, like Kafka's application reset tool: its consumer group's offsets on
 * the input topics go to the earliest (or latest) offset, the check loop's to the latest (its old requests are
 * answered already or belong to the state being thrown away), its internal topics (changelogs, repartition topics)
 * are deleted, and so is this machine's local state directory. Output topics are left alone unless asked: reprocessing
 * the inputs from the start appends their events a second time.
 */
public final class ApplicationReset {

    /** Where the input offsets go. */
    public enum InputOffsets { EARLIEST, LATEST }

    /** What a reset does, worked out before doing it, so that it can be shown first. */
    public record Plan(String applicationId, Map<TopicPartition, Long> offsets, Set<TopicPartition> forgottenOffsets,
                       Set<String> internalTopics, Set<String> outputTopics, Path stateDir) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationReset.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Properties config;
    private final String applicationId;
    private final TopicNames topics;

    public ApplicationReset(Properties config) {
        this.config = config;
        this.applicationId = OperateConfig.applicationId(config);
        this.topics = OperateConfig.topics(config);
    }

    /**
     * Works out the reset.
     *
     * @throws IllegalStateException when the application's group still has members: it is running
     */
    public Plan plan(InputOffsets inputOffsets, boolean deleteOutputs, Path stateDirOverride) {
        try (Admin admin = Admin.create(OperateConfig.adminConfig(config))) {
            requireStopped(admin);
            Set<String> existing = get(admin.listTopics().names());
            Set<String> internal = new TreeSet<>();
            for (String name : existing) {
                if (name.startsWith(applicationId + "-") && (name.endsWith("-changelog") || name.endsWith("-repartition"))) {
                    internal.add(name);
                }
            }
            Set<String> outputs = new TreeSet<>();
            if (deleteOutputs) {
                // delivery-receipts is also an input (the connectors' receipts): it stays.
                for (String name : List.of(topics.conversationEvents(), topics.serviceEvents(), topics.commandRejections(),
                        topics.deliveryChat(), topics.deliverySms(), topics.deliveryMms(), topics.deliveryWhatsapp(),
                        topics.commandsDlq(), topics.identityChecks(), topics.serviceChecks(), topics.checkReplies())) {
                    if (existing.contains(name)) {
                        outputs.add(name);
                    }
                }
            }
            List<String> inputs = present(existing, topics.conversationCommands(), topics.serviceCommands(),
                    topics.deliveryReceipts());
            List<String> loop = present(existing, topics.identityChecks(), topics.serviceChecks(), topics.checkReplies());
            Map<TopicPartition, Long> offsets = new HashMap<>(
                    offsets(admin, inputs, inputOffsets == InputOffsets.EARLIEST ? OffsetSpec.earliest() : OffsetSpec.latest()));
            Set<TopicPartition> forgotten = new HashSet<>();
            if (deleteOutputs) {
                // The loop's topics are deleted and recreated empty at the next start: their offsets go too.
                Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(applicationId)
                        .partitionsToOffsetAndMetadata());
                committed.keySet().stream().filter(p -> loop.contains(p.topic())).forEach(forgotten::add);
            } else {
                offsets.putAll(offsets(admin, loop, OffsetSpec.latest()));
            }
            String dir = config.getProperty(StreamsConfig.STATE_DIR_CONFIG, ConvoConfig.DEFAULT_STATE_DIR);
            Path stateDir = (stateDirOverride != null ? stateDirOverride : Path.of(dir)).resolve(applicationId);
            return new Plan(applicationId, offsets, forgotten, internal, outputs, stateDir);
        }
    }

    /** Carries out a plan: offsets first (they need the topics), then topics, then the local state. */
    public void execute(Plan plan) {
        try (Admin admin = Admin.create(OperateConfig.adminConfig(config))) {
            requireStopped(admin);
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            plan.offsets().forEach((p, offset) -> offsets.put(p, new OffsetAndMetadata(offset)));
            if (!offsets.isEmpty()) {
                get(admin.alterConsumerGroupOffsets(applicationId, offsets).all());
                LOG.info("application {}: offsets of {} partitions reset", applicationId, offsets.size());
            }
            if (!plan.forgottenOffsets().isEmpty()) {
                get(admin.deleteConsumerGroupOffsets(applicationId, plan.forgottenOffsets()).all());
            }
            Set<String> doomed = new TreeSet<>(plan.internalTopics());
            doomed.addAll(plan.outputTopics());
            if (!doomed.isEmpty()) {
                try {
                    get(admin.deleteTopics(doomed).all());
                } catch (IllegalStateException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw e;
                    }
                }
                LOG.info("application {}: deleted topics {}", applicationId, doomed);
            }
        }
        deleteRecursively(plan.stateDir());
    }

    private void requireStopped(Admin admin) {
        ConsumerGroupDescription group;
        try {
            group = get(admin.describeConsumerGroups(List.of(applicationId)).describedGroups().get(applicationId));
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return;
            }
            throw e;
        }
        if (!group.members().isEmpty()) {
            throw new IllegalStateException("application '" + applicationId + "' is running (" + group.members().size()
                    + " members in its consumer group, state " + group.groupState() + "): stop every instance first");
        }
    }

    private static List<String> present(Set<String> existing, String... names) {
        return Stream.of(names).filter(existing::contains).toList();
    }

    private Map<TopicPartition, Long> offsets(Admin admin, List<String> names, OffsetSpec spec) {
        if (names.isEmpty()) {
            return Map.of();
        }
        Map<String, TopicDescription> described = get(admin.describeTopics(names).allTopicNames());
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        described.values().forEach(d -> d.partitions().forEach(
                p -> request.put(new TopicPartition(d.name(), p.partition()), spec)));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        get(admin.listOffsets(request).all()).forEach((p, info) -> offsets.put(p, info.offset()));
        return offsets;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the local state " + dir, e);
        }
        LOG.info("deleted local state {}", dir);
    }

    private static <T> T get(KafkaFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from the cluster within " + TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
