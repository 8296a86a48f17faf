package io.convo.tools.bench;

import io.convo.app.ConvoApplication;
import io.convo.model.AddParticipant;
import io.convo.model.CommandRejected;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.CreateConversation;
import io.convo.model.SendMessage;
import io.convo.model.TopicNames;
import io.convo.model.serde.ConvoSerdes;
import io.convo.testkit.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code convo bench --scenario big-conversation} (issue 12): conversations at the seed's own limits, on convo's
 * embedded broker. One conversation gets {@code participants} chat participants, each with 4 KB attributes and a
 * 256-code-point identity of 4-byte characters (as fast as convo takes them: their timestamps are spaced at the APS
 * limit), then {@code messages} messages with 32 KB bodies are offered at the APS limit (30/s) to it and to smaller
 * conversations (10 and 100 participants), one size after the other, so that the per-message cost can be compared.
 * Every outcome is checked: an unexpected rejection or a missing outcome fails the run.
 */
public final class BigConversation {

    /** Figures of one conversation size: messages offered at the APS limit. */
    public record MessagePhase(int participants, int messages, double messagesPerSecond, double bytesPerMessage,
                               double p50Ms, double p99Ms, int chatDeliveryRecords) {
    }

    /** What the run printed. */
    public record Result(int participants, double addSeconds, double addsPerSecond, List<MessagePhase> phases,
                         List<String> unexpected) {
    }

    private static final String WIDE = "\uD83D\uDE00"; // one code point, four UTF-8 bytes
    private static final String SERVICE = "IS00000000000000000000000000000001";
    private static final int APS = 30;
    private static final Duration OUTCOME_TIMEOUT = Duration.ofMinutes(5);

    private final int participants;
    private final int messages;
    private final Consumer<String> progress;
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<String, Long> decidedAt = new ConcurrentHashMap<>();
    private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean reading = new AtomicBoolean(true);
    private final Map<String, Integer> chatRecords = new ConcurrentHashMap<>();
    private ConvoApplication app;
    /** The latest command timestamp sent: a later phase starts its APS windows after it. */
    private long lastTimestamp;

    public BigConversation(int participants, int messages, Consumer<String> progress) {
        this.participants = participants;
        this.messages = messages;
        this.progress = progress;
    }

    /** Runs convo in this process on a temporary embedded broker. */
    public Result run() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary()) {
            Path state = Files.createTempDirectory("convo-big-conversation-");
            Properties config = new Properties();
            config.setProperty("bootstrap.servers", broker.bootstrapServers());
            config.setProperty("application.id", "convo-big-conversation");
            config.setProperty("state.dir", state.toString());
            try (ConvoApplication app = new ConvoApplication(config)) {
                app.start();
                if (!app.awaitRunning(Duration.ofSeconds(120))) {
                    throw new IllegalStateException("convo did not start within 120 s");
                }
                this.app = app;
                return run(broker);
            }
        }
    }

    private Result run(EmbeddedKafkaBroker broker) throws Exception {
        Thread reader = new Thread(() -> readOutcomes(broker.bootstrapServers()), "big-conversation-outcomes");
        reader.setDaemon(true);
        reader.start();
        try (KafkaProducer<String, ConversationCommand> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576, ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).serializer())) {
            progress.accept("adding " + participants + " chat participants (4 KB attributes, 256-code-point identities)"
                    + " to CH-big");
            long addStart = System.nanoTime();
            List<String> adds = addParticipants(producer, "CH-big", participants);
            await(adds);
            double addSeconds = (System.nanoTime() - addStart) / 1e9;
            progress.accept(String.format("%d participants added in %.1f s", participants, addSeconds));

            List<MessagePhase> phases = new ArrayList<>();
            for (int size : new int[] {10, 100}) {
                if (size < participants) {
                    await(addParticipants(producer, "CH-" + size, size));
                    phases.add(messages(producer, "CH-" + size, size));
                }
            }
            phases.add(messages(producer, "CH-big", participants));
            return new Result(participants, addSeconds, participants / addSeconds, phases, List.copyOf(unexpected));
        } finally {
            reading.set(false);
            reader.join(5_000);
        }
    }

    /** Creates {@code conversationSid} and adds {@code n} chat participants, timestamps spaced at the APS limit. */
    private List<String> addParticipants(KafkaProducer<String, ConversationCommand> producer, String conversationSid,
                                         int n) {
        long t = System.currentTimeMillis();
        List<String> ids = new ArrayList<>();
        ids.add(send(producer, conversationSid, t, CreateConversation.newBuilder().setCommandId(conversationSid + "-create")
                .setServiceSid(SERVICE).setTimestamp(t).setConversationSid(conversationSid).build()));
        String attributes = "{\"a\":\"" + WIDE.repeat(1_022) + "\"}"; // 4,096 bytes
        for (int i = 0; i < n; i++) {
            long at = t + (i + 1) * (1_000L / APS + 1);
            ids.add(send(producer, conversationSid, at, AddParticipant.newBuilder()
                    .setCommandId(conversationSid + "-add-" + i).setServiceSid(SERVICE).setTimestamp(at)
                    .setConversationSid(conversationSid).setParticipantSid(String.format("MB%032d", i))
                    .setIdentity(identity(i)).setAttributes(attributes).build()));
        }
        producer.flush();
        return ids;
    }

    private static String identity(int i) {
        String prefix = String.format("user%05d-", i);
        return prefix + WIDE.repeat(256 - prefix.length());
    }

    /** Offers the messages at the APS limit in real time, and measures them. */
    private MessagePhase messages(KafkaProducer<String, ConversationCommand> producer, String conversationSid,
                                  int size) throws Exception {
        progress.accept("offering " + messages + " messages of 32 KB to " + conversationSid + " (" + size
                + " participants) at " + APS + "/s");
        String body = WIDE.repeat(8_192); // 32,768 bytes
        double bytesBefore = app.bytesWritten();
        List<String> ids = new ArrayList<>();
        long start = System.nanoTime();
        long firstTimestamp = Math.max(System.currentTimeMillis(), lastTimestamp + 1_000);
        for (int i = 0; i < messages; i++) {
            long due = start + TimeUnit.MILLISECONDS.toNanos(i * (1_000L / APS + 1));
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            long at = firstTimestamp + i * (1_000L / APS + 1);
            ids.add(send(producer, conversationSid, at, SendMessage.newBuilder()
                    .setCommandId(conversationSid + "-message-" + i).setServiceSid(SERVICE).setTimestamp(at)
                    .setConversationSid(conversationSid).setMessageSid(String.format("IM%s%030d", size, i))
                    .setAuthor(identity(0)).setBody(body).build()));
            producer.flush();
        }
        await(ids);
        double seconds = (decidedAt(ids) - start) / 1e9;
        List<Double> latencies = ids.stream().map(id -> (decidedAt.get(id) - sentAt.get(id)) / 1e6).sorted().toList();
        Thread.sleep(500); // the last commit's records are counted once the producer sent them
        double bytes = (app.bytesWritten() - bytesBefore) / messages;
        return new MessagePhase(size, messages, messages / seconds, bytes, percentile(latencies, 0.50),
                percentile(latencies, 0.99), chatRecords.getOrDefault(conversationSid, 0));
    }

    private String send(KafkaProducer<String, ConversationCommand> producer, String key, long timestamp,
                        org.apache.avro.specific.SpecificRecord command) {
        String commandId = command.get(command.getSchema().getField("commandId").pos()).toString();
        lastTimestamp = Math.max(lastTimestamp, timestamp);
        sentAt.put(commandId, System.nanoTime());
        producer.send(new ProducerRecord<>(TopicNames.CONVERSATION_COMMANDS, null, timestamp, key,
                new ConversationCommand(command)));
        return commandId;
    }

    private void await(List<String> commandIds) throws InterruptedException {
        long deadline = System.nanoTime() + OUTCOME_TIMEOUT.toNanos();
        while (!decidedAt.keySet().containsAll(commandIds)) {
            if (System.nanoTime() > deadline) {
                long missing = commandIds.stream().filter(id -> !decidedAt.containsKey(id)).count();
                throw new IllegalStateException(missing + " commands without an outcome after " + OUTCOME_TIMEOUT);
            }
            Thread.sleep(20);
        }
    }

    private long decidedAt(List<String> ids) {
        return ids.stream().mapToLong(decidedAt::get).max().orElseThrow();
    }

    /** Reads every committed outcome; anything but the expected event is unexpected. */
    private void readOutcomes(String bootstrapServers) {
        var events = ConvoSerdes.valueSerde(ConversationEvent.class, Map.of()).deserializer();
        var rejections = ConvoSerdes.valueSerde(CommandRejected.class, Map.of()).deserializer();
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrapServers)) {
            consumer.subscribe(List.of(TopicNames.CONVERSATION_EVENTS, TopicNames.COMMAND_REJECTIONS,
                    TopicNames.DELIVERY_CHAT));
            while (reading.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.nanoTime();
                    if (r.topic().equals(TopicNames.DELIVERY_CHAT)) {
                        chatRecords.merge(r.key(), 1, Integer::sum);
                    } else if (r.topic().equals(TopicNames.COMMAND_REJECTIONS)) {
                        CommandRejected rejected = rejections.deserialize(r.topic(), r.value());
                        unexpected.add(rejected.getCommandId() + ": " + rejected.getCode() + " " + rejected.getReason());
                        decidedAt.putIfAbsent(rejected.getCommandId(), now);
                    } else {
                        Object event = events.deserialize(r.topic(), r.value()).getEvent();
                        var record = (org.apache.avro.specific.SpecificRecord) event;
                        var field = record.getSchema().getField("commandId");
                        if (field != null && !(event instanceof io.convo.model.DeliverySummaryUpdated)) {
                            decidedAt.putIfAbsent(record.get(field.pos()).toString(), now);
                        }
                    }
                }
            }
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "big-conversation-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static double percentile(List<Double> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }
}
