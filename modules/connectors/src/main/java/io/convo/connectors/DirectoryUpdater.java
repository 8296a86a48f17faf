package io.convo.connectors;

import io.convo.model.Channel;
import io.convo.model.ConversationEvent;
import io.convo.model.Delivery;
import io.convo.model.serde.ConvoSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the endpoints' directories up to date with one consumer (committed records only): the inbound
 * {@link BindingDirectory} and the status endpoint's {@link MessageRecipients} from {@code conversation-events},
 * read from the start, and {@link MessageRecipients} from the non-chat delivery topics, read from where the last
 * deliveries it can remember begin. {@link #bindingsReady()} turns true once the event log has been read up to where
 * it ended at start, {@link #ready()} once every topic has, so neither endpoint answers 404 for what it has simply not
 * read yet; {@link #awaitCaughtUp} waits until everything committed before the call has been read, so a refusal is
 * never due to lag. A delivery topic that does not exist yet is looked for again every few seconds.
 *
 * <p>The end offsets a catch-up waits for come from an admin client, not from the consumer: a broker answers one
 * connection's requests in order, so the consumer's {@code ListOffsets} would wait behind its own long-poll fetch
 * (up to {@code fetch.max.wait.ms}, 500 ms, measured). The loop publishes its positions after every poll.
 */
final class DirectoryUpdater implements AutoCloseable, StatusCallbackEndpoint.Directory {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryUpdater.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(2);
    private static final long LOOK_FOR_TOPICS_EVERY_NS = Duration.ofSeconds(5).toNanos();
    private static final List<Channel> NON_CHAT = List.of(Channel.sms, Channel.mms, Channel.whatsapp);

    private final String eventsTopic;
    private final Set<String> deliveryTopics;
    private final BindingDirectory bindings;
    private final MessageRecipients recipients;
    private final long maxEntries;
    private final Consumer<String, byte[]> consumer;
    private final Deserializer<ConversationEvent> events;
    private final Deserializer<Delivery> deliveries;
    private final Admin admin;
    private final Thread thread;
    /** Where the loop has read each assigned partition up to, published after every poll; guarded by itself. */
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private volatile boolean bindingsReady;
    private volatile boolean ready;
    private volatile boolean stopping;
    private volatile boolean following;

    // Owned by the loop thread.
    private final Set<String> missing = new LinkedHashSet<>();
    private Map<TopicPartition, Long> initialEnds = new HashMap<>();
    private long lookedForTopicsAt;

    DirectoryUpdater(Map<String, ?> config, ConnectorTopics topics, BindingDirectory bindings,
            MessageRecipients recipients, long maxEntries) {
        this.eventsTopic = topics.conversationEvents();
        this.deliveryTopics = new LinkedHashSet<>();
        NON_CHAT.forEach(channel -> deliveryTopics.add(topics.delivery(channel)));
        this.bindings = bindings;
        this.recipients = recipients;
        this.maxEntries = maxEntries;
        this.events = ConvoSerdes.valueSerde(ConversationEvent.class, config).deserializer();
        this.deliveries = ConvoSerdes.valueSerde(Delivery.class, config).deserializer();
        Map<String, Object> reader = KafkaClientConfigs.reader(config, "convo-connector-directories");
        // Looking for a topic must never create it (with the broker's default partition count).
        reader.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        // Every partition is positioned explicitly; should that be cut short, read from the start rather than skip.
        reader.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(reader, new StringDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> adminConfig = KafkaClientConfigs.admin(config);
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "convo-connector-directories-admin");
        this.admin = Admin.create(adminConfig);
        this.thread = new Thread(this::run, "convo-connector-directories");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** The event log has been read up to where it ended at start: inbound senders can be looked up. */
    boolean bindingsReady() {
        return bindingsReady;
    }

    /** Every topic has been read up to where it ended at start: status callbacks can be checked. */
    @Override
    public boolean ready() {
        return ready;
    }

    /**
     * Waits until the directories hold every record committed before this call.
     *
     * @return false when that did not happen within {@code timeout} (or the updater is not running)
     */
    @Override
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<TopicPartition> partitions;
        synchronized (positions) {
            partitions = Set.copyOf(positions.keySet());
        }
        if (!following || stopping || partitions.isEmpty()) {
            return false;
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            // read_committed: the last stable offsets, i.e. what has been committed so far.
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Cannot read the end offsets to catch up with: {}", e.toString());
            return false;
        }
        consumer.wakeup(); // the consumer's one thread-safe call: the loop publishes what it fetched without waiting
        synchronized (positions) {
            while (!reached(ends)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !following) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(positions, left);
            }
        }
        return true;
    }

    /** Whether every partition of {@code ends} has been read up to its offset; the caller holds the lock. */
    private boolean reached(Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (positions.getOrDefault(end.getKey(), -1L) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Makes the loop's positions visible to {@link #awaitCaughtUp} and wakes whoever waits on them. */
    private void publishPositions() {
        Map<TopicPartition, Long> now = new HashMap<>();
        for (TopicPartition tp : consumer.assignment()) {
            now.put(tp, consumer.position(tp));
        }
        synchronized (positions) {
            positions.clear();
            positions.putAll(now);
            positions.notifyAll();
        }
    }

    private void run() {
        try {
            List<TopicPartition> eventPartitions = awaitTopic();
            if (eventPartitions == null) {
                return;
            }
            missing.addAll(deliveryTopics);
            List<TopicPartition> deliveryPartitions = existingDeliveryPartitions();
            List<TopicPartition> all = new ArrayList<>(eventPartitions);
            all.addAll(deliveryPartitions);
            consumer.assign(all);
            consumer.seekToBeginning(eventPartitions);
            seekToRemembered(deliveryPartitions);
            initialEnds = new HashMap<>(consumer.endOffsets(all));
            lookedForTopicsAt = System.nanoTime();
            publishPositions();
            following = true;
            while (!stopping) {
                try {
                    step();
                } catch (WakeupException e) {
                    // close(), or a catch-up that wants the positions now: publish them, the loop decides the rest
                }
                try {
                    publishPositions();
                } catch (WakeupException e) {
                    // woken in between: the next poll ends at once and they are published again
                }
            }
        } catch (InterruptException | WakeupException e) {
            // closing (before following, only close() wakes the consumer)
        } catch (RuntimeException e) {
            LOG.error("Following {} and the delivery topics for the connector's endpoints stopped", eventsTopic, e);
        } finally {
            following = false;
            synchronized (positions) {
                positions.notifyAll();
            }
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void step() {
        lookForMissingTopics();
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        for (ConsumerRecord<String, byte[]> record : records) {
            apply(record);
        }
        if (!ready) {
            initialEnds.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
            if (!bindingsReady && initialEnds.keySet().stream().noneMatch(tp -> tp.topic().equals(eventsTopic))) {
                bindingsReady = true;
                LOG.info("Inbound bindings loaded from {}: {} bindings", eventsTopic, bindings.size());
            }
            if (initialEnds.isEmpty()) {
                ready = true;
                LOG.info("Message recipients loaded from {} and {}: {} messages remembered", eventsTopic,
                        String.join(", ", deliveryTopics), recipients.messages());
            }
        }
    }

    /** The event log's partitions, waiting for the topic to be created; null when closed first. */
    private List<TopicPartition> awaitTopic() {
        boolean warned = false;
        while (!stopping) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(eventsTopic, METADATA_TIMEOUT);
            } catch (WakeupException e) {
                continue;
            }
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(eventsTopic, p.partition())).toList();
            }
            if (!warned) {
                LOG.warn("Topic {} does not exist yet; inbound messages and status callbacks are answered 503 until it"
                        + " does", eventsTopic);
                warned = true;
            }
            try {
                Thread.sleep(POLL.toMillis()); // an unknown topic is answered at once: do not ask in a busy loop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    /** The partitions of the delivery topics that exist now; the others stay in {@link #missing}. */
    private List<TopicPartition> existingDeliveryPartitions() {
        Map<String, List<PartitionInfo>> existing = consumer.listTopics(METADATA_TIMEOUT);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.copyOf(missing)) {
            List<PartitionInfo> infos = existing.get(topic);
            if (infos != null && !infos.isEmpty()) {
                infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                missing.remove(topic);
            }
        }
        return partitions;
    }

    /** Assigns the delivery topics created since the start, read from where the remembered deliveries begin. */
    private void lookForMissingTopics() {
        if (missing.isEmpty() || System.nanoTime() - lookedForTopicsAt < LOOK_FOR_TOPICS_EVERY_NS) {
            return;
        }
        lookedForTopicsAt = System.nanoTime();
        List<TopicPartition> added = existingDeliveryPartitions();
        if (added.isEmpty()) {
            return;
        }
        Set<TopicPartition> assignment = new HashSet<>(consumer.assignment());
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition tp : assignment) {
            positions.put(tp, consumer.position(tp));
        }
        assignment.addAll(added);
        consumer.assign(assignment);
        positions.forEach(consumer::seek);
        seekToRemembered(added);
        LOG.info("Following {} for status callbacks too", added.stream().map(TopicPartition::topic).distinct().toList());
    }

    /**
     * Only the last {@code maxEntries} deliveries of each partition can be remembered (each costs at least one
     * entry), so older ones are not read at all: a restart does not replay a week of deliveries to forget them.
     */
    private void seekToRemembered(List<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        for (TopicPartition tp : partitions) {
            consumer.seek(tp, Math.max(beginnings.getOrDefault(tp, 0L), ends.getOrDefault(tp, 0L) - maxEntries));
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        try {
            if (record.topic().equals(eventsTopic)) {
                ConversationEvent event = events.deserialize(record.topic(), record.headers(), record.value());
                if (event != null) {
                    bindings.apply(event);
                    recipients.apply(event);
                }
            } else {
                Delivery delivery = deliveries.deserialize(record.topic(), record.headers(), record.value());
                if (delivery != null) {
                    recipients.apply(delivery);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Record {}-{}@{} unreadable, skipped for the connector's endpoints: {}", record.topic(),
                    record.partition(), record.offset(), e.getMessage());
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
        admin.close(Duration.ofSeconds(1));
    }
}
