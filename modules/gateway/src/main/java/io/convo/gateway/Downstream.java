package io.convo.gateway;

import io.convo.model.CommandRejected;
import io.convo.model.ConversationEvent;
import io.convo.model.Delivery;
import io.convo.model.MessageAdded;
import io.convo.model.RejectionCode;
import io.convo.model.serde.ConvoSerdes;
import io.convo.rules.conversation.FanOut;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that flows from Kafka to clients, on one thread: it reads {@code conversation-events} from the start
 * (to build the membership index and the catch-up log, to find outcomes, and to push messages), {@code
 * command-rejections} from the end, and in cluster mode the shard topic (who owns which shard). Being the only
 * thread that touches the log and the per-connection delivery order, it needs no locks for them; other threads
 * hand it work through {@link #execute} and {@link #whenCaughtUp}.
 *
 * <p>Chat fan-out on read (SPEC §6): a message's chat audience is the conversation's chat participants at its
 * {@code MessageAdded} in {@code conversation-events}, minus the author. The dispatcher reads participant changes and
 * messages of a conversation from one partition in log order, so at each {@code MessageAdded} its membership index
 * holds exactly that audience; it pushes the message then, as the {@code Delivery} the topology writes once to
 * {@code delivery-chat} ({@link FanOut#chatAudience}) with {@code participantSid} and {@code to} set for the
 * recipient. Reading {@code delivery-chat} instead would race the membership it needs across two topics. Messages
 * already in the log when the gateway started are history, for catch-up, not pushed.
 *
 * <p>At start it reads the topology's changelogs ({@link ChangelogSnapshot}) and then {@code conversation-events}
 * from the catch-up window only, so that a start costs live state, not the whole event log.
 *
 * <p>Every instance reads every partition (assigned, no consumer group), so an outcome or delivery reaches the
 * instance holding the connection wherever it was produced. Reads are {@code read_committed}: the topology writes
 * in transactions.
 */
final class Downstream implements AutoCloseable {

    /** Hears which instance announced itself as a shard's owner (cluster mode). */
    interface OwnerListener {
        void announced(int shard, String url);
    }

    private record Waiter(long registeredAt, long deadlineNanos, Runnable action) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Downstream.class);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final long EXPIRE_EVERY_NANOS = Duration.ofSeconds(1).toNanos();
    private static final long SWEEP_LOG_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final GatewayConfig.Settings settings;
    private final GatewayTopics topics;
    private final ConnectionRegistry registry;
    private final PendingOutcomes pending;
    private final MembershipIndex index;
    private final MessageLog log;
    private final Frames frames;
    private final OwnerListener owners;
    private final Clock clock;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<ConversationEvent> events;
    private final Deserializer<CommandRejected> rejections;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Waiter> newWaiters = new ConcurrentLinkedQueue<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private final List<TopicPartition> eventPartitions = new ArrayList<>();
    /** Per partition of conversation-events, the first offset that is live (pushed), not history. */
    private final Map<Integer, Long> liveFrom = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean started;
    private volatile boolean ready;
    private volatile long polls;
    private volatile String startedFrom;
    private volatile boolean fromChangelogs;

    Downstream(GatewayConfig.Settings settings, ConnectionRegistry registry, PendingOutcomes pending,
               MembershipIndex index, Frames frames, OwnerListener owners, Clock clock) {
        this.settings = settings;
        this.topics = settings.topics();
        this.registry = registry;
        this.pending = pending;
        this.index = index;
        this.frames = frames;
        this.owners = owners;
        this.clock = clock;
        this.log = new MessageLog(settings.catchUpMaxMessages(), settings.catchUpMaxAge(), clock);
        Map<String, Object> config = new HashMap<>(settings.kafka());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.cluster().instanceId() + "-downstream");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.events = ConvoSerdes.valueSerde(ConversationEvent.class, settings.all()).deserializer();
        this.rejections = ConvoSerdes.valueSerde(CommandRejected.class, settings.all()).deserializer();
        this.thread = new Thread(this::run, "gateway-downstream");
        this.thread.setDaemon(true);
    }

    /**
     * Assigns every partition and fixes the start positions before returning, so that an outcome produced after
     * {@code start} returns is never skipped.
     *
     * @throws IllegalStateException when a topic does not exist
     */
    void start() {
        eventPartitions.addAll(partitions(topics.conversationEvents()));
        List<TopicPartition> fromStart = new ArrayList<>();
        if (owners != null) {
            fromStart.addAll(partitions(topics.gatewayShards()));
        }
        List<TopicPartition> fromEnd = new ArrayList<>(partitions(topics.commandRejections()));
        List<TopicPartition> all = new ArrayList<>(eventPartitions);
        all.addAll(fromStart);
        all.addAll(fromEnd);
        consumer.assign(all);
        // Taken before the snapshot is read, so that the snapshot holds at least everything before them.
        Map<TopicPartition, Long> eventEnds = consumer.endOffsets(eventPartitions);
        eventEnds.forEach((tp, end) -> liveFrom.put(tp.partition(), end));
        ChangelogSnapshot.Contents snapshot;
        try {
            snapshot = ChangelogSnapshot.read(settings.kafka(), settings.applicationId(),
                    settings.cluster().instanceId() + "-snapshot");
        } catch (RuntimeException e) {
            // A changelog the gateway cannot read costs a longer start, never the start: the whole log is the truth.
            LOG.warn("cannot start from the changelogs of {}; reading conversation-events from offset 0",
                    settings.applicationId(), e);
            snapshot = null;
        }
        if (snapshot == null) {
            startedFrom = "conversation-events from offset 0";
            consumer.seekToBeginning(eventPartitions);
        } else {
            seed(snapshot);
            seekToCatchUpWindow(eventEnds);
            fromChangelogs = true;
        }
        consumer.seekToBeginning(fromStart);
        consumer.seekToEnd(fromEnd);
        all.forEach(consumer::position); // resolves the lazy seeks now
        started = true;
        thread.start();
    }

    /** The membership index and the message log as the topology's changelogs hold them (issue 12). */
    private void seed(ChangelogSnapshot.Contents snapshot) {
        snapshot.conversations().forEach((sid, head) -> {
            index.seedConversation(sid, head.serviceSid());
            log.seed(sid, head.lastIndex());
        });
        snapshot.members().forEach(m -> index.seedMember(m.conversationSid(), m.participantSid(), m.identity()));
        startedFrom = "changelogs of " + settings.applicationId() + " (" + snapshot.records() + " records: "
                + snapshot.conversations().size() + " conversations, " + snapshot.members().size()
                + " chat participants), then conversation-events of the catch-up window";
    }

    /**
     * Each partition of {@code conversation-events} from its first event of the catch-up window (the messages a
     * catch-up may return), and no later than the end taken before the snapshot.
     */
    private void seekToCatchUpWindow(Map<TopicPartition, Long> eventEnds) {
        long from = clock.millis() - settings.catchUpMaxAge().toMillis();
        Map<TopicPartition, Long> times = new HashMap<>();
        eventPartitions.forEach(tp -> times.put(tp, Math.max(0, from)));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times);
        for (TopicPartition tp : eventPartitions) {
            OffsetAndTimestamp at = found.get(tp);
            long end = eventEnds.get(tp);
            consumer.seek(tp, at == null ? end : Math.min(at.offset(), end));
        }
    }

    /** True when the dispatcher started from the changelogs and the catch-up window, not the whole event log. */
    boolean startedFromChangelogs() {
        return fromChangelogs;
    }

    private List<TopicPartition> partitions(String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist: create convo's topics first");
        }
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    /**
     * True once the event log was read to its end after start: before that the membership index is incomplete, so
     * the gateway admits no connection.
     */
    boolean ready() {
        return ready;
    }

    /** Runs {@code task} on the dispatcher thread, before it handles the records of its next poll. */
    void execute(Runnable task) {
        tasks.add(task);
    }

    /**
     * Runs {@code action} on the dispatcher thread once it has read {@code conversation-events} to its end as of a
     * fetch made after this call (so every event committed before this call is applied), or after the membership
     * wait, whichever comes first.
     */
    void whenCaughtUp(Runnable action) {
        newWaiters.add(new Waiter(polls, System.nanoTime() + settings.membershipWait().toNanos(), action));
    }

    /**
     * Starts a catch-up on the dispatcher thread: live deliveries of the conversation to this connection are held
     * from now; once the log is caught up, the kept messages after the client's index are sent in order, then a
     * {@code CatchUpComplete} frame, then the held deliveries the catch-up did not cover. Then {@code done} runs.
     */
    void catchUp(ChatConnection connection, UpstreamFrame frame, Runnable done) {
        execute(() -> {
            DeliveryOrder order = connection.orderFor(frame.conversationSid());
            order.hold();
            whenCaughtUp(() -> {
                try {
                    finishCatchUp(connection, frame, order);
                } finally {
                    done.run();
                }
            });
        });
    }

    private void finishCatchUp(ChatConnection connection, UpstreamFrame frame, DeliveryOrder order) {
        AccessToken token = connection.token();
        String conversationSid = frame.conversationSid();
        if (!index.isParticipant(conversationSid, token.serviceSid(), token.identity())) {
            connection.send(frames.rejection(frame, token.serviceSid(), RejectionCode.PARTICIPANT_NOT_FOUND,
                    token.identity() + " is not a participant of conversation " + conversationSid, null, null,
                    clock.millis()));
            order.release(-1).forEach(connection::send);
            return;
        }
        MessageLog.CatchUp catchUp = log.after(conversationSid, frame.afterIndex());
        for (MessageLog.Entry e : catchUp.entries()) {
            connection.send(frames.record(topics.conversationEvents(), conversationSid, e.added()));
            if (e.lastUpdate() != null) {
                connection.send(frames.record(topics.conversationEvents(), conversationSid, e.lastUpdate()));
            }
        }
        connection.send(frames.catchUpComplete(frame.commandId(), conversationSid, frame.afterIndex(),
                catchUp.lastIndex(), catchUp.entries().size(), catchUp.complete()));
        order.release(Math.max(frame.afterIndex(), catchUp.lastIndex())).forEach(connection::send);
    }

    private void run() {
        long lastExpire = System.nanoTime();
        long lastSweep = lastExpire;
        try {
            while (running) {
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    safely(task);
                }
                for (Waiter w; (w = newWaiters.poll()) != null; ) {
                    waiters.add(w);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    try {
                        dispatch(record);
                    } catch (RuntimeException e) {
                        // Bad input never stops the gateway; the topology's DLQ is where bad commands are kept.
                        LOG.warn("skipped unreadable record {}-{}@{}: {}", record.topic(), record.partition(),
                                record.offset(), e.toString());
                    }
                }
                polls++;
                if (!ready && polls >= 2 && eventsCaughtUp()) {
                    ready = true;
                    LOG.info("read conversation-events to its end: {} conversations indexed; started from {}",
                            index.conversations(), startedFrom);
                }
                releaseWaiters();
                long now = System.nanoTime();
                if (now - lastExpire > EXPIRE_EVERY_NANOS) {
                    pending.expire();
                    lastExpire = now;
                }
                if (now - lastSweep > SWEEP_LOG_EVERY_NANOS) {
                    log.sweep();
                    lastSweep = now;
                }
            }
        } catch (InterruptException | org.apache.kafka.common.errors.WakeupException e) {
            LOG.debug("downstream dispatcher interrupted");
        } catch (RuntimeException e) {
            LOG.error("downstream dispatcher failed; no more outcomes or deliveries", e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
        }
    }

    private void releaseWaiters() {
        if (waiters.isEmpty()) {
            return;
        }
        boolean caughtUp = eventsCaughtUp();
        long now = System.nanoTime();
        // Two polls after registration: the first may have returned data fetched before the waiter came.
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if ((caughtUp && polls >= w.registeredAt() + 2) || now - w.deadlineNanos() > 0) {
                it.remove();
                safely(w.action());
            }
        }
    }

    private boolean eventsCaughtUp() {
        for (TopicPartition tp : eventPartitions) {
            OptionalLong lag = consumer.currentLag(tp);
            if (lag.isEmpty() || lag.getAsLong() > 0) {
                return false;
            }
        }
        return true;
    }

    private void dispatch(ConsumerRecord<String, byte[]> record) {
        String topic = record.topic();
        if (topic.equals(topics.conversationEvents())) {
            ConversationEvent event = events.deserialize(topic, record.headers(), record.value());
            onEvent(record.key(), event, record.offset() >= liveFrom.getOrDefault(record.partition(), 0L));
        } else if (topic.equals(topics.commandRejections())) {
            onRejection(record.key(), rejections.deserialize(topic, record.headers(), record.value()));
        } else if (owners != null && topic.equals(topics.gatewayShards()) && record.value() != null) {
            owners.announced(record.partition(), new String(record.value(), StandardCharsets.UTF_8));
        }
    }

    private void onEvent(String key, ConversationEvent envelope, boolean live) {
        Object event = envelope.getEvent();
        index.apply(event);
        log.apply(event);
        if (live && event instanceof MessageAdded message) {
            pushToChatAudience(key, message);
        }
        if (event instanceof SpecificRecord r) {
            Schema.Field commandId = r.getSchema().getField("commandId");
            Schema.Field timestamp = r.getSchema().getField("timestamp");
            if (commandId != null && timestamp != null) {
                ChatConnection c = pending.take(key, String.valueOf(r.get(commandId.pos())), (Long) r.get(timestamp.pos()));
                if (c != null) {
                    c.send(frames.record(topics.conversationEvents(), key, envelope));
                }
            }
        }
    }

    private void onRejection(String key, CommandRejected rejected) {
        ChatConnection c = pending.take(rejected.getKey(), rejected.getCommandId(), rejected.getTimestamp());
        if (c != null) {
            c.send(frames.record(topics.commandRejections(), key, rejected));
        }
    }

    /** Sends {@code message} to every connection of its chat audience (see the class comment). */
    private void pushToChatAudience(String key, MessageAdded message) {
        Delivery delivery = null;
        for (Map.Entry<String, String> member : index.chatMembers(message.getConversationSid()).entrySet()) {
            String identity = member.getKey();
            Collection<ChatConnection> connections = registry.of(message.getServiceSid(), identity);
            if (identity.equals(message.getAuthor()) || connections.isEmpty()) {
                continue;
            }
            if (delivery == null) {
                delivery = FanOut.chatAudience(message);
            }
            delivery.setParticipantSid(member.getValue());
            delivery.setTo(identity);
            String frame = frames.record(topics.deliveryChat(), key, delivery);
            for (ChatConnection c : connections) {
                DeliveryOrder order = c.order(message.getConversationSid());
                String out = order == null ? frame : order.live(message.getIndex(), frame);
                if (out != null) {
                    c.send(out);
                }
            }
        }
    }

    private static void safely(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.error("downstream task failed", e);
        }
    }

    @Override
    public void close() {
        running = false;
        if (!started) {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
            return;
        }
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
