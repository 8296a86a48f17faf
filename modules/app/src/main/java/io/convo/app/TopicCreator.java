package io.convo.app;

import io.convo.model.TopicNames;
import io.convo.topology.ConvoConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates convo's topics at start-up, idempotently: missing topics are created, existing ones are left as they
 * are, except that the source topics of one sub-topology must have the same partition count (they share state
 * stores by key), which is checked and reported as a start-up error rather than left to corrupt state later.
 */
public final class TopicCreator {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCreator.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private final Admin admin;
    private final Duration timeout;

    public TopicCreator(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /**
     * Makes sure every topic of {@code topics} exists and is served, and that co-partitioned topics agree.
     *
     * @param coPartitioned groups of topics that must have equal partition counts, see {@link #coPartitioned}
     * @return the topics this call created
     * @throws IllegalStateException if co-partitioned topics have different partition counts, or the cluster
     *                               cannot create or describe the topics in time
     */
    public List<String> ensureTopics(TopicNames topics, Collection<Set<String>> coPartitioned, int partitions,
                                     short replicationFactor) {
        Set<String> existing = get(admin.listTopics().names(), "list topics");
        List<NewTopic> missing = new ArrayList<>();
        for (String name : topics.all()) {
            if (!existing.contains(name)) {
                missing.add(new NewTopic(name, partitions, replicationFactor).configs(configsOf(topics, name)));
            }
        }
        List<String> created = new ArrayList<>();
        admin.createTopics(missing).values().forEach((name, future) -> {
            try {
                future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                created.add(name);
            } catch (ExecutionException e) {
                // Another instance starting at the same moment created it: that is the idempotent outcome.
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause().getMessage(),
                            e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("creating topic " + name + " took more than " + timeout.toSeconds() + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating topic " + name, e);
            }
        });
        if (!created.isEmpty()) {
            LOG.info("Created topics {} with {} partitions, replication factor {}", created, partitions, replicationFactor);
        }
        Map<String, TopicDescription> described = awaitServed(topics.all());
        for (Set<String> group : coPartitioned) {
            checkCoPartitioned(described, group);
        }
        for (String name : topics.all()) {
            int actual = described.get(name).partitions().size();
            if (actual != partitions && !created.contains(name)) {
                LOG.info("Topic {} exists with {} partitions (configured: {}); left as it is", name, actual, partitions);
            }
        }
        return created;
    }

    /**
     * The smallest {@code max.message.bytes} among {@code names} (each topic's own, or the broker's default): the
     * largest record every one of them accepts.
     *
     * @throws IllegalStateException when the configurations cannot be described in time
     */
    public long smallestMaxMessageBytes(Collection<String> names) {
        List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                .toList();
        try {
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long smallest = Long.MAX_VALUE;
            for (Config c : configs.values()) {
                ConfigEntry entry = c.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                if (entry != null && entry.value() != null) {
                    smallest = Math.min(smallest, Long.parseLong(entry.value()));
                }
            }
            return smallest;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topic configurations", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe the configurations of topics " + names + ": " + e, e);
        }
    }

    /**
     * Topic settings that differ from the broker's defaults: any record timestamp is accepted (a command's
     * timestamp is business time, see {@link ConvoConfig#topicConfig()}), and the event logs are kept forever,
     * because they are the source of truth (SPEC §4: replaying them rebuilds all state).
     */
    static Map<String, String> configsOf(TopicNames topics, String name) {
        Map<String, String> configs = new HashMap<>(ConvoConfig.topicConfig());
        if (name.equals(topics.conversationEvents()) || name.equals(topics.serviceEvents())) {
            configs.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
        }
        return configs;
    }

    /**
     * The source topics of each sub-topology that reads more than one: Kafka Streams gives partition i of each to
     * the same task, whose stores are keyed like the records, so their partition counts must be equal.
     */
    public static List<Set<String>> coPartitioned(Topology topology) {
        List<Set<String>> groups = new ArrayList<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            Set<String> sources = new TreeSet<>();
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    sources.addAll(source.topicSet());
                }
            }
            if (sources.size() > 1) {
                groups.add(sources);
            }
        }
        return groups;
    }

    private static void checkCoPartitioned(Map<String, TopicDescription> described, Set<String> group) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String topic : group) {
            TopicDescription description = described.get(topic);
            if (description != null) {
                counts.put(topic, description.partitions().size());
            }
        }
        if (new HashSet<>(counts.values()).size() > 1) {
            StringBuilder list = new StringBuilder();
            counts.forEach((topic, n) -> list.append(list.length() == 0 ? "" : ", ").append(topic).append(" (")
                    .append(n).append(" partitions)"));
            throw new IllegalStateException("topics " + list + " must have the same number of partitions: they feed"
                    + " the same processor, which keeps its state by their key. Add partitions to the smaller ones"
                    + " (kafka-topics --alter --partitions) or recreate them; convo does not change existing topics.");
        }
    }

    /** Describes the topics until every partition has a leader: a new topic takes a moment to be served. */
    private Map<String, TopicDescription> awaitServed(List<String> names) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                Map<String, TopicDescription> described = new LinkedHashMap<>(
                        admin.describeTopics(names).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
                boolean led = described.values().stream().flatMap(d -> d.partitions().stream())
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                if (led) {
                    return described;
                }
                last = new IllegalStateException("some partitions have no leader yet");
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("cannot describe topics " + names + ": " + e.getCause().getMessage(),
                            e.getCause());
                }
                last = (RuntimeException) e.getCause();
            } catch (TimeoutException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topics", e);
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topics", e);
            }
        }
        throw new IllegalStateException("topics " + new TreeSet<>(names) + " not served within " + timeout.toSeconds()
                + " s", last);
    }

    private <T> T get(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot " + what + " within " + timeout.toSeconds()
                    + " s: is the broker reachable?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + what, e);
        }
    }
}
