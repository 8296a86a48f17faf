package io.convo.connectors;

import dev.failsafe.RateLimiter;
import io.convo.model.Channel;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.serde.ConvoSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel's connector: consumes its delivery topic ({@code read_committed}), hands each delivery to the
 * {@link Transport} at most {@code max-per-second} times a second, and reports a {@code sent} or {@code failed}
 * {@code DeliveryReceipt} on {@code delivery-receipts}; a delivery that failed (refused for good by the provider, or
 * given up on after the transport's last try) also goes to {@code delivery-dlq}.
 *
 * <p><b>Never sending twice.</b> Deliveries are handled one at a time. A delivery's decision is committed in one
 * Kafka transaction holding its receipt, its marker in the processed-delivery log (compacted topic
 * {@code delivery-processed}, keyed by {@link DeliveryId#key()}), a DLQ record if any, and the consumer offset past
 * it; the transactional id is stable per instance, so a restarted instance aborts its predecessor's open
 * transaction, and the consumer group's generation fences a zombie's commit. Before sending, the connector skips
 * any delivery whose id the log holds (loaded for each partition it is assigned, within the retention window),
 * which covers the same delivery appearing twice on the topic (a replay, an at-least-once producer) or offsets
 * lost or reset. The guarantee: <em>at most one successful provider call per delivery id, provided the provider
 * honours the {@code Idempotency-Key} for the one window this cannot close</em>: a crash (or a fenced zombie)
 * between the provider call and its transaction's commit, after which the delivery is offered again under the same
 * key. Receipts, markers and DLQ records are exactly once: they commit or abort together with the offset. If a
 * transaction fails for a transient reason, the decided outcome is kept in memory and reused, so the transport is
 * not called again by this instance.
 *
 * <p>Not thread-safe except {@link #start()}, {@link #close()} and the state accessors; the loop runs on its own
 * thread.
 */
public final class ChannelConnector implements AutoCloseable {

    /** The lifecycle of a connector. */
    public enum State { CREATED, RUNNING, STOPPED, FAILED }

    private static final Logger LOG = LoggerFactory.getLogger(ChannelConnector.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration LOG_LOAD_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration CLIENT_CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MAX_RECOVERY_PAUSE = Duration.ofSeconds(30);

    private final Channel channel;
    private final Map<String, ?> config;
    private final ChannelSettings settings;
    private final ConnectorTopics topics;
    private final String sourceTopic;
    private final String groupId;
    private final String transactionalId;
    private final Transport transport;
    private final RateLimiter<Object> rateLimiter;
    private final Duration processedRetention;
    private final Duration closeTimeout;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private volatile State state = State.CREATED;
    private volatile boolean stopping;
    private volatile boolean halted;
    private Thread thread;

    // Owned by the loop thread once started.
    private Consumer<String, byte[]> consumer;
    private Producer<String, byte[]> producer;
    private ProcessedLog processed;
    private Deserializer<Delivery> deliveries;
    private Serializer<DeliveryReceipt> receipts;
    private Serializer<DeliveryReceipt> markers;
    private Duration pollBudget;
    private final Map<TopicPartition, OffsetAndMetadata> pendingOffsets = new HashMap<>();
    /** Outcomes decided whose transaction failed: reused when the record comes round again, never re-sent. */
    private final Map<TopicPartition, Map<String, SendOutcome>> uncommitted = new HashMap<>();
    private int consecutiveFailures;
    private boolean transactionOpen;

    /** A connector with the transport its config names ({@code convo.connector.<channel>.transport}). */
    public ChannelConnector(Channel channel, Map<String, ?> config) {
        this(channel, config, Transports.create(new ChannelSettings(channel, config)));
    }

    /** A connector with a transport built by the caller; the connector closes it. */
    public ChannelConnector(Channel channel, Map<String, ?> config, Transport transport) {
        this.channel = channel;
        this.config = Map.copyOf(config);
        this.settings = new ChannelSettings(channel, this.config);
        this.topics = ConnectorTopics.from(this.config);
        this.sourceTopic = topics.delivery(channel);
        // The topic prefix keeps two deployments on one cluster apart; the channel in the transactional id keeps
        // channels apart even when they share one group id.
        this.groupId = settings.get(ConnectorConfig.GROUP_ID, topics.prefix() + "convo-connector-" + channel.name());
        this.transactionalId = groupId + "." + channel.name() + "." + ConnectorConfig.string(this.config,
                ConnectorConfig.INSTANCE_ID, ConnectorConfig.DEFAULT_INSTANCE_ID);
        this.transport = transport;
        double perSecond = settings.getDouble(ConnectorConfig.MAX_PER_SECOND, ConnectorConfig.DEFAULT_MAX_PER_SECOND, 0,
                1_000_000);
        // 0 means unlimited. Smooth, not bursty: carriers count per second and punish bursts.
        this.rateLimiter = perSecond == 0 ? null
                : RateLimiter.smoothBuilder(Duration.ofNanos((long) (1_000_000_000L / perSecond))).build();
        this.processedRetention = settings.getMillis(ConnectorConfig.PROCESSED_RETENTION_MS,
                ConnectorConfig.DEFAULT_PROCESSED_RETENTION_MS);
        this.closeTimeout = Duration.ofMillis(ConnectorConfig.number(this.config, ConnectorConfig.CLOSE_TIMEOUT_MS,
                ConnectorConfig.DEFAULT_CLOSE_TIMEOUT_MS, 0));
    }

    public Channel channel() {
        return channel;
    }

    public State state() {
        return state;
    }

    /** The consumer group, e.g. for {@code convo reset}: {@code <prefix>convo-connector-<channel>} unless configured. */
    public String groupId() {
        return groupId;
    }

    /** The producer's transactional id: the group id, the channel and {@value ConnectorConfig#INSTANCE_ID}. */
    public String transactionalId() {
        return transactionalId;
    }

    /** Completes when the loop has stopped: normally after {@link #close()}, exceptionally when it failed. */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    /**
     * Creates the connector's own topics if configured, builds the Kafka clients and starts the loop thread.
     *
     * @throws org.apache.kafka.common.config.ConfigException for a bad setting
     * @throws IllegalStateException                          when started twice
     */
    public synchronized void start() {
        if (state != State.CREATED) {
            throw new IllegalStateException(channel + " connector already started");
        }
        if (ConnectorConfig.bool(config, ConnectorConfig.CREATE_TOPICS, true)) {
            ConnectorTopicCreator.ensure(config, topics, sourceTopic, processedRetention);
        }
        String clientId = transactionalId;
        Map<String, Object> consumerConfig = KafkaClientConfigs.deliveryConsumer(config, groupId, clientId);
        long maxPollInterval = Long.parseLong(String.valueOf(consumerConfig.getOrDefault(
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 300_000)));
        // Leave half of max.poll.interval.ms as margin, so a slow provider never gets this member evicted.
        pollBudget = Duration.ofMillis(maxPollInterval / 2);
        deliveries = ConvoSerdes.valueSerde(Delivery.class, config).deserializer();
        receipts = ConvoSerdes.valueSerde(DeliveryReceipt.class, config).serializer();
        markers = ConvoSerdes.internalSerde(DeliveryReceipt.class).serializer();
        try {
            consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
            producer = new KafkaProducer<>(KafkaClientConfigs.producer(config, transactionalId, clientId + "-producer"),
                    new StringSerializer(), new ByteArraySerializer());
            processed = new ProcessedLog(topics.processed(), channel, new KafkaConsumer<>(
                    KafkaClientConfigs.reader(config, clientId + "-processed"), new StringDeserializer(),
                    new ByteArrayDeserializer()), processedRetention, LOG_LOAD_TIMEOUT);
        } catch (RuntimeException e) {
            // A bad client setting: release what was built, and leave the connector closable.
            if (consumer != null) {
                closeQuietly("consumer", () -> consumer.close(CloseOptions.timeout(Duration.ZERO)));
            }
            if (producer != null) {
                closeQuietly("producer", () -> producer.close(Duration.ZERO));
            }
            throw e;
        }
        state = State.RUNNING;
        thread = new Thread(this::run, "convo-connector-" + channel.name());
        thread.start();
    }

    /**
     * Stops gracefully: the delivery in flight is decided and committed, then the loop ends. After
     * {@value ConnectorConfig#CLOSE_TIMEOUT_MS} the loop is interrupted, and a delivery still in flight is offered
     * again after a restart.
     */
    @Override
    public void close() {
        stop(false);
    }

    /**
     * Stops as a crash would: the loop thread is interrupted wherever it is, nothing more is committed, the
     * producer is closed without waiting. For tests of the restart guarantee.
     */
    void halt() {
        stop(true);
    }

    private void stop(boolean crash) {
        Thread loop;
        synchronized (this) {
            if (state == State.CREATED) {
                state = State.STOPPED;
                transport.close();
                terminated.complete(null);
                return;
            }
            loop = thread;
            if (stopping && !loop.isAlive()) {
                return; // already stopped
            }
            stopping = true;
            halted |= crash;
        }
        if (crash) {
            loop.interrupt();
        } else {
            consumer.wakeup();
        }
        try {
            loop.join(crash ? 0 : Math.max(1, closeTimeout.toMillis()));
            if (loop.isAlive()) {
                LOG.warn("{} connector: the delivery in flight did not finish within {} ms; interrupting it", channel,
                        closeTimeout.toMillis());
                loop.interrupt();
                loop.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Throwable failure = null;
        try {
            producer.initTransactions();
            consumer.subscribe(List.of(sourceTopic), new Rebalance());
            LOG.info("{} connector started: {} → {} (group {}, transactional id {})", channel, sourceTopic,
                    transport.describe(), groupId, transactionalId);
            while (!stopping) {
                ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(POLL_TIMEOUT);
                } catch (WakeupException e) {
                    continue; // close() asked; the loop condition decides
                }
                if (!records.isEmpty()) {
                    handleBatch(records);
                }
            }
        } catch (InterruptException | InterruptedException e) {
            if (!stopping) {
                failure = e;
            }
        } catch (WakeupException e) {
            if (!stopping) {
                failure = e;
            }
        } catch (ProducerFencedException | InvalidProducerEpochException | FencedInstanceIdException e) {
            failure = e;
            LOG.error("{} connector fenced: another instance with transactional id {} took over ({}). Give each"
                    + " instance its own {}", channel, transactionalId, e.getMessage(), ConnectorConfig.INSTANCE_ID);
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("{} connector stopped by an unexpected error", channel, e);
        } finally {
            closeClients();
            state = failure == null ? State.STOPPED : State.FAILED;
            LOG.info("{} connector {}", channel, halted ? "halted" : failure == null ? "stopped" : "failed");
            if (failure == null) {
                terminated.complete(null);
            } else {
                terminated.completeExceptionally(failure);
            }
        }
    }

    private void handleBatch(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        long deadline = System.nanoTime() + pollBudget.toNanos();
        List<TopicPartition> partitions = new ArrayList<>(records.partitions());
        for (int p = 0; p < partitions.size(); p++) {
            TopicPartition tp = partitions.get(p);
            List<ConsumerRecord<String, byte[]>> batch = records.records(tp);
            processed.ensureLoaded(tp.partition());
            for (int i = 0; i < batch.size(); i++) {
                if (stopping || System.nanoTime() > deadline) {
                    // Hand the rest back to the next poll: poll() must come round within max.poll.interval.ms.
                    consumer.seek(tp, batch.get(i).offset());
                    for (TopicPartition later : partitions.subList(p + 1, partitions.size())) {
                        consumer.seek(later, records.records(later).get(0).offset());
                    }
                    commitSkipped();
                    return;
                }
                if (!handle(tp, batch.get(i))) {
                    return; // the transaction failed: the consumer was rewound to the committed offsets
                }
            }
        }
        commitSkipped();
    }

    /** Decides and commits one record; false when its transaction failed and the consumer was rewound. */
    private boolean handle(TopicPartition tp, ConsumerRecord<String, byte[]> record) throws InterruptedException {
        Delivery delivery;
        try {
            delivery = deliveries.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            delivery = null;
            LOG.warn("{} connector: record {}-{}@{} is not a readable Delivery ({}); sent to {}", channel, tp.topic(),
                    tp.partition(), record.offset(), e.getMessage(), topics.dlq());
        }
        if (delivery == null) {
            return commit(tp, record, List.of(DeadLetters.of(topics.dlq(), record, channel,
                    FailureCodes.UNREADABLE_DELIVERY, "not a readable Delivery record", 0, System.currentTimeMillis())),
                    null, null);
        }
        String key = DeliveryId.of(delivery).key();
        if (processed.contains(tp.partition(), key)) {
            LOG.info("conversation {}: delivery {} was already processed; redelivered record {}-{}@{} skipped",
                    delivery.getConversationSid(), key, tp.topic(), tp.partition(), record.offset());
            pendingOffsets.put(tp, new OffsetAndMetadata(record.offset() + 1));
            return true;
        }
        Map<String, SendOutcome> undecided = uncommitted.computeIfAbsent(tp, t -> new HashMap<>());
        SendOutcome outcome = undecided.get(key);
        if (outcome == null) {
            if (rateLimiter != null) {
                rateLimiter.acquirePermit();
            }
            outcome = send(delivery, key);
            undecided.put(key, outcome);
        }
        long now = System.currentTimeMillis();
        DeliveryReceipt receipt = Receipts.of(delivery, outcome, now);
        List<ProducerRecord<String, byte[]>> out = new ArrayList<>(3);
        try {
            if (!DeliveryId.of(delivery).toAudience()) {
                out.add(new ProducerRecord<>(topics.receipts(), null, now, delivery.getConversationSid(),
                        receipts.serialize(topics.receipts(), receipt)));
            }
        } catch (SerializationException e) {
            // A registry serde can fail for a while (registry down): transient, like a failed transaction.
            recover(e, key, outcome);
            return false;
        }
        out.add(new ProducerRecord<>(topics.processed(), processed.logPartition(tp.partition()), now, key,
                markers.serialize(topics.processed(), receipt)));
        if (outcome instanceof SendOutcome.Failed failed) {
            // Never to be sent, whether refused for good or out of retries: operators find both in one place.
            out.add(DeadLetters.of(topics.dlq(), record, channel, failed, now));
        }
        if (!commit(tp, record, out, key, outcome)) {
            return false;
        }
        undecided.remove(key);
        processed.add(tp.partition(), key, now);
        if (outcome instanceof SendOutcome.Failed failed) {
            LOG.warn("conversation {}: delivery {} failed {} ({}); sent to {}", delivery.getConversationSid(), key,
                    failed.code(), failed.reason(), topics.dlq());
        } else {
            LOG.debug("conversation {}: delivery {} sent ({} attempt(s))", delivery.getConversationSid(), key,
                    outcome.attempts());
        }
        return true;
    }

    private SendOutcome send(Delivery delivery, String key) throws InterruptedException {
        try {
            SendOutcome outcome = transport.send(delivery);
            if (outcome == null) {
                throw new IllegalStateException(transport.describe() + " returned no outcome");
            }
            return outcome;
        } catch (RuntimeException e) {
            // A transport bug must not stop the channel: report it like any failure, and keep the record.
            LOG.error("conversation {}: transport {} threw for delivery {}", delivery.getConversationSid(),
                    transport.describe(), key, e);
            return SendOutcome.failed(FailureCodes.TRANSPORT_ERROR, e.toString(), true, 1);
        }
    }

    /**
     * Commits {@code out} and the offset past {@code record} (plus skipped records' offsets) in one transaction.
     * A transient failure aborts it and rewinds the consumer to the committed offsets; fencing and other fatal
     * errors propagate and stop the connector.
     */
    private boolean commit(TopicPartition tp, ConsumerRecord<String, byte[]> record, List<ProducerRecord<String, byte[]>> out,
            String key, SendOutcome outcome) throws InterruptedException {
        pendingOffsets.put(tp, new OffsetAndMetadata(record.offset() + 1));
        try {
            producer.beginTransaction();
            transactionOpen = true;
            for (ProducerRecord<String, byte[]> r : out) {
                producer.send(r);
            }
            producer.sendOffsetsToTransaction(Map.copyOf(pendingOffsets), consumer.groupMetadata());
            producer.commitTransaction();
            transactionOpen = false;
        } catch (InterruptException | ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException
                | AuthorizationException | AuthenticationException | UnsupportedVersionException | FencedInstanceIdException e) {
            throw e;
        } catch (KafkaException e) {
            recover(e, key, outcome);
            return false;
        }
        pendingOffsets.clear();
        consecutiveFailures = 0;
        return true;
    }

    /** Commits the offsets of skipped records, so a restart does not read them again. */
    private void commitSkipped() throws InterruptedException {
        if (pendingOffsets.isEmpty()) {
            return;
        }
        try {
            producer.beginTransaction();
            transactionOpen = true;
            producer.sendOffsetsToTransaction(Map.copyOf(pendingOffsets), consumer.groupMetadata());
            producer.commitTransaction();
            transactionOpen = false;
            pendingOffsets.clear();
        } catch (InterruptException | ProducerFencedException | InvalidProducerEpochException | OutOfOrderSequenceException
                | AuthorizationException | AuthenticationException | UnsupportedVersionException | FencedInstanceIdException e) {
            throw e;
        } catch (KafkaException e) {
            recover(e, null, null);
        }
    }

    private void recover(KafkaException e, String key, SendOutcome outcome) throws InterruptedException {
        consecutiveFailures++;
        Duration pause = Duration.ofMillis(Math.min(MAX_RECOVERY_PAUSE.toMillis(), 500L << Math.min(consecutiveFailures, 10)));
        LOG.warn("{} connector: committing a decision failed ({}); resuming from the committed offsets in {} ms{}", channel,
                e.getCause() == null ? e.toString() : e + ", caused by " + e.getCause(), pause.toMillis(), key == null ? "" : "; delivery " + key + " stays decided as "
                + outcome.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
        if (transactionOpen) {
            producer.abortTransaction(); // a failure here is fatal and stops the connector
            transactionOpen = false;
        }
        pendingOffsets.clear();
        Set<TopicPartition> assignment = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignment);
        for (TopicPartition tp : assignment) {
            OffsetAndMetadata offset = committed.get(tp);
            if (offset == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, offset);
            }
        }
        Thread.sleep(pause.toMillis());
    }

    private void closeClients() {
        // A crash is simulated up to here; from now on the clients must be able to close.
        boolean interrupted = Thread.interrupted();
        Duration producerTimeout = halted ? Duration.ZERO : CLIENT_CLOSE_TIMEOUT;
        closeQuietly("producer", () -> producer.close(producerTimeout));
        // Leaves the group (nothing is committed: auto-commit is off), so partitions move without a session timeout.
        closeQuietly("consumer", () -> consumer.close(CloseOptions.timeout(CLIENT_CLOSE_TIMEOUT)));
        closeQuietly("processed-delivery log", processed::close);
        closeQuietly("transport", transport::close);
        if (interrupted && !halted) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeQuietly(String what, Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            LOG.warn("{} connector: closing the {} failed: {}", channel, what, e.toString());
        }
    }

    /** Keeps the processed-delivery log and the in-memory state in step with the partitions this instance owns. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
                LOG.info("{} connector assigned {}", channel, partitions);
            }
            processed.assigned(numbers(partitions));
        }

        private void forget(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            LOG.info("{} connector gives up {}", channel, partitions);
            processed.revoked(numbers(partitions));
            for (TopicPartition tp : partitions) {
                pendingOffsets.remove(tp);
                uncommitted.remove(tp);
            }
        }

        private Set<Integer> numbers(Collection<TopicPartition> partitions) {
            return partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
        }
    }
}
