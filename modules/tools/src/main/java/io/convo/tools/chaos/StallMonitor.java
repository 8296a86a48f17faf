package io.convo.tools.chaos;

import io.convo.model.CommandRejected;
import io.convo.model.ConversationEvent;
import io.convo.model.TopicNames;
import io.convo.model.json.CommandTopic;
import io.convo.model.serde.ConvoSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * What a kill costs the users of the partitions it hits (issue 17): for each input partition with commands waiting
 * for their outcome at the kill, the time from the kill to that partition's next outcome, as a client reading the
 * outcome topics with {@code read_committed} sees it. An outcome is counted under the input partition its command
 * was produced to (the same key, the same partition count), so a partition counts as waiting when more commands were
 * produced to it than outcomes came back.
 */
final class StallMonitor implements AutoCloseable {

    /** One kill: when, which partitions were waiting, and how long each waited for its next outcome. */
    static final class Kill {
        private final String victim;
        private final boolean restarted;
        private final long atNanos;
        private final Set<String> waiting;
        private final Map<String, Long> stallMillis = new ConcurrentHashMap<>();

        Kill(String victim, boolean restarted, long atNanos, Set<String> waiting) {
            this.victim = victim;
            this.restarted = restarted;
            this.atNanos = atNanos;
            this.waiting = Set.copyOf(waiting);
        }

        /** The longest wait of a waiting partition; one that never got an outcome counts until {@code endNanos}. */
        long worstStallMillis(long endNanos) {
            long worst = 0;
            for (String p : waiting) {
                worst = Math.max(worst, stallMillis.getOrDefault(p, (endNanos - atNanos) / 1_000_000));
            }
            return worst;
        }

        boolean restarted() {
            return restarted;
        }

        String victim() {
            return victim;
        }

        int partitionsWaiting() {
            return waiting.size();
        }
    }

    private final TopicNames topics;
    private final int partitions;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<ConversationEvent> events;
    private final Deserializer<CommandRejected> rejections;
    private final Map<String, AtomicLong> produced = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> decided = new ConcurrentHashMap<>();
    private final List<Kill> kills = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    StallMonitor(String bootstrapServers, TopicNames topics, int partitions) {
        this.topics = topics;
        this.partitions = partitions;
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        events = ConvoSerdes.valueSerde(ConversationEvent.class, Map.of()).deserializer();
        rejections = ConvoSerdes.valueSerde(CommandRejected.class, Map.of()).deserializer();
        List<TopicPartition> assigned = new ArrayList<>();
        for (String topic : List.of(topics.conversationEvents(), topics.serviceEvents(), topics.commandRejections())) {
            consumer.partitionsFor(topic, Duration.ofMinutes(1))
                    .forEach(p -> assigned.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        thread = new Thread(this::run, "chaos-stall-monitor");
        thread.setDaemon(true);
        thread.start();
    }

    /** A command the harness produced to {@code topic} under {@code key}. */
    void produced(CommandTopic topic, String key) {
        produced.computeIfAbsent(partition(topic, key), k -> new AtomicLong()).incrementAndGet();
    }

    /** The kill of {@code victim} now; {@code restarted} when it is started again soon after. */
    synchronized void killed(String victim, boolean restarted) {
        Set<String> waiting = new HashSet<>();
        produced.forEach((p, n) -> {
            if (n.get() > decided.getOrDefault(p, new AtomicLong()).get()) {
                waiting.add(p);
            }
        });
        kills.add(new Kill(victim, restarted, System.nanoTime(), waiting));
    }

    synchronized List<Kill> kills() {
        return List.copyOf(kills);
    }

    private String partition(CommandTopic topic, String key) {
        int p = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
        return (topic == CommandTopic.CONVERSATION ? "conversation-commands-" : "service-commands-") + p;
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    String p;
                    try {
                        p = inputPartition(r);
                    } catch (RuntimeException e) {
                        continue; // not an outcome of the workload's commands: the oracle reports such records
                    }
                    if (p != null) {
                        outcome(p, System.nanoTime());
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(1));
        }
    }

    private synchronized void outcome(String partition, long nowNanos) {
        decided.computeIfAbsent(partition, k -> new AtomicLong()).incrementAndGet();
        for (Kill k : kills) {
            if (k.waiting.contains(partition) && !k.stallMillis.containsKey(partition)) {
                k.stallMillis.put(partition, (nowNanos - k.atNanos) / 1_000_000);
            }
        }
    }

    /** The input partition of a command outcome, or null for an event no command caused. */
    private String inputPartition(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null || r.value() == null) {
            return null;
        }
        if (r.topic().equals(topics.serviceEvents())) {
            return partition(CommandTopic.SERVICE, r.key());
        }
        if (r.topic().equals(topics.conversationEvents())) {
            Object event = events.deserialize(r.topic(), r.value()).getEvent();
            boolean ofACommand = event instanceof SpecificRecord e && e.getSchema().getField("commandId") != null;
            return ofACommand ? partition(CommandTopic.CONVERSATION, r.key()) : null;
        }
        CommandRejected rejected = rejections.deserialize(r.topic(), r.value());
        return partition(SERVICE_COMMANDS.contains(rejected.getCommandType()) ? CommandTopic.SERVICE
                : CommandTopic.CONVERSATION, rejected.getKey());
    }

    private static final Set<String> SERVICE_COMMANDS = Set.of("CreateUser", "UpdateUser", "DeleteUser", "CreateRole",
            "UpdateRole", "DeleteRole");

    /** The worst stall of each kill, restarted ones and the rest apart. */
    static Map<Boolean, List<Long>> worstStalls(List<Kill> kills, long endNanos) {
        Map<Boolean, List<Long>> byRestart = new HashMap<>();
        for (Kill k : kills) {
            byRestart.computeIfAbsent(k.restarted(), b -> new ArrayList<>()).add(k.worstStallMillis(endNanos));
        }
        return byRestart;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
