package io.convo.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.app.ConvoApplication;
import io.convo.model.AddParticipant;
import io.convo.model.CommandRejected;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.CreateConversation;
import io.convo.model.CreateUser;
import io.convo.model.Media;
import io.convo.model.SendMessage;
import io.convo.model.ServiceCommand;
import io.convo.model.TopicNames;
import io.convo.model.config.TopicsConfig;
import io.convo.model.serde.ConvoSerdes;
import io.convo.testkit.KafkaBrokerExtension;
import io.convo.testkit.KafkaTestClients;
import io.convo.topology.ConvoConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input never stops convo and loses nothing: each kind of malformed record, produced as raw bytes by a plain
 * producer, lands in {@code commands-dlq} with its reason or is rejected with a clear code, and the valid command
 * after it is decided as usual.
 */
class BadInputIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final String SERVICE = "ISbad";
    private static int tests;
    /** Each test its own topics: they share the broker, and each counts what it reads. */
    private final String prefix = "bad" + (++tests) + ".";
    private final TopicNames topics = TopicNames.withPrefix(prefix);
    private final long now = System.currentTimeMillis();
    private ConvoApplication app;
    private KafkaProducer<String, byte[]> producer;
    private int ids;

    @BeforeEach
    void start() throws Exception {
        Properties config = new Properties();
        config.setProperty("bootstrap.servers", kafka.bootstrapServers());
        config.setProperty("application.id", prefix + "convo-bad-input");
        config.setProperty(TopicsConfig.PREFIX.name(), prefix);
        config.setProperty("state.dir", Files.createTempDirectory("convo-bad-input").toString());
        config.setProperty(TopicsConfig.PARTITIONS.name(), "2");
        config.setProperty(ConvoConfig.MAX_CLOCK_SKEW.name(), String.valueOf(Duration.ofDays(1).toMillis()));
        app = new ConvoApplication(config);
        app.start();
        assertThat(app.awaitRunning(Duration.ofMinutes(2))).isTrue();
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        producer.close();
        app.close();
    }

    private byte[] encode(Object command) {
        return ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).serializer()
                .serialize(topics.conversationCommands(), new ConversationCommand(command));
    }

    private CreateConversation create(String conversationSid, long timestamp) {
        return CreateConversation.newBuilder().setCommandId("bad-" + (++ids)).setServiceSid(SERVICE)
                .setTimestamp(timestamp).setConversationSid(conversationSid).build();
    }

    private void send(String key, byte[] value) {
        producer.send(new ProducerRecord<>(topics.conversationCommands(), null, now, key, value));
    }

    /** A valid command after each bad record: its conversation must be created. */
    private void valid(String conversationSid) {
        send(conversationSid, encode(create(conversationSid, now)));
    }

    @Test
    void everyKindOfBadRecordIsDeadLetteredOrRejectedAndTheValidOnesAroundThemAreDecided() throws Exception {
        byte[] good = encode(create("CH-template", now));
        List<String> deadLettered = new ArrayList<>();
        List<String> rejected = new ArrayList<>();

        send("CH-bad-1", "random bytes, not Avro".getBytes(StandardCharsets.UTF_8));
        deadLettered.add("CH-bad-1");
        valid("CH-ok-1");
        send("CH-bad-2", Arrays.copyOf(good, good.length / 2)); // truncated Avro
        deadLettered.add("CH-bad-2");
        valid("CH-ok-2");
        byte[] otherSchema = ConvoSerdes.valueSerde(ServiceCommand.class, Map.of()).serializer().serialize("t",
                new ServiceCommand(CreateUser.newBuilder().setCommandId("x").setServiceSid(SERVICE).setTimestamp(now)
                        .setIdentity("alice").build()));
        send("CH-bad-3", otherSchema); // a record of another schema
        deadLettered.add("CH-bad-3");
        valid("CH-ok-3");
        byte[] wrongFingerprint = good.clone();
        wrongFingerprint[2] ^= (byte) 0xFF;
        send("CH-bad-4", wrongFingerprint);
        deadLettered.add("CH-bad-4");
        valid("CH-ok-4");
        send(null, good); // null key
        valid("CH-ok-5");
        send("CH-bad-6", null); // null value
        deadLettered.add("CH-bad-6");
        valid("CH-ok-6");
        byte[] unknownType = good.clone();
        unknownType[10] = 0x7E; // the union branch index: 63, no such command type
        send("CH-bad-7", unknownType);
        deadLettered.add("CH-bad-7");
        valid("CH-ok-7");
        byte[] confluentFormat = new byte[] {0, 0, 0, 0, 42, 1, 2, 3};
        send("CH-bad-8", confluentFormat); // a registry-framed record where single-object encoding is configured
        deadLettered.add("CH-bad-8");
        valid("CH-ok-8");

        send("CH-other", encode(create("CH-bad-9", now))); // key not matching the conversationSid
        rejected.add("CH-other");
        valid("CH-ok-9");
        AddParticipant noParticipantSid = AddParticipant.newBuilder().setCommandId("bad-missing").setServiceSid(SERVICE)
                .setTimestamp(now).setConversationSid("CH-ok-9").setIdentity("alice").build();
        send("CH-ok-9", encode(noParticipantSid)); // a required field missing
        SendMessage absurd = SendMessage.newBuilder().setCommandId("bad-absurd").setServiceSid(SERVICE).setTimestamp(now)
                .setConversationSid("CH-ok-9").setMessageSid("IM1").setAuthor("alice")
                .setMedia(List.of(new Media("video/mp4", 100L * 1_048_576 * 1_000, "huge.mp4"))).build();
        send("CH-ok-9", encode(absurd)); // a 100 GB declared media file
        send("CH-bad-10", encode(create("CH-bad-10", now + Duration.ofDays(3650).toMillis()))); // far future
        rejected.add("CH-bad-10");
        send("CH-bad-11", encode(create("CH-bad-11", 1_000L))); // far past
        rejected.add("CH-bad-11");
        valid("CH-ok-10");
        producer.flush();

        // 8 dead letters, 5 rejections, 10 conversations created
        Map<String, List<ConsumerRecord<String, byte[]>>> out = consume(23);
        List<ConsumerRecord<String, byte[]>> dlq = out.getOrDefault(topics.commandsDlq(), List.of());
        assertThat(dlq).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(
                "CH-bad-1", "CH-bad-2", "CH-bad-3", "CH-bad-4", null, "CH-bad-6", "CH-bad-7", "CH-bad-8");
        assertThat(dlq).allSatisfy(r -> assertThat(r.headers().lastHeader("convo.dlq.reason")).isNotNull());
        assertThat(reason(dlq, "CH-bad-4")).contains("fingerprint");
        assertThat(reason(dlq, "CH-bad-6")).isEqualTo("null value");

        var rejections = ConvoSerdes.valueSerde(CommandRejected.class, Map.of()).deserializer();
        Map<String, String> codes = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : out.getOrDefault(topics.commandRejections(), List.of())) {
            CommandRejected rejection = rejections.deserialize(r.topic(), r.value());
            codes.put(rejection.getCommandId(), rejection.getCode() + ": " + rejection.getReason());
        }
        assertThat(codes.get("bad-missing")).startsWith("INVALID_COMMAND").contains("participantSid");
        assertThat(codes.get("bad-absurd")).startsWith("MEDIA_TOO_LARGE");
        assertThat(codes.values()).filteredOn(c -> c.contains("does not match the record key")).hasSize(1);
        assertThat(codes.values()).filteredOn(c -> c.contains("from the clock")).hasSize(2);

        var events = ConvoSerdes.valueSerde(ConversationEvent.class, Map.of()).deserializer();
        List<String> created = out.getOrDefault(topics.conversationEvents(), List.of()).stream()
                .filter(r -> events.deserialize(r.topic(), r.value()).getEvent() instanceof io.convo.model.ConversationCreated)
                .map(ConsumerRecord::key).toList();
        assertThat(created).containsExactlyInAnyOrder("CH-ok-1", "CH-ok-2", "CH-ok-3", "CH-ok-4", "CH-ok-5", "CH-ok-6",
                "CH-ok-7", "CH-ok-8", "CH-ok-9", "CH-ok-10");
        assertThat(app.state().isRunningOrRebalancing()).as("still running").isTrue();
    }

    @Test
    void aCommandUnderAWrongKeyGetsTheSameAnswerWhateverPartitionTheKeyHashesTo() throws Exception {
        byte[] bytes = encode(create("CH-own", now));
        send("CH-own", bytes); // decided under its own key: the command id is now in that partition's memory
        int own = partition("CH-own");
        String samePartition = wrongKey(own, 0);
        String otherPartition = wrongKey(1 - own, 0);
        for (String wrong : List.of(samePartition, otherPartition, samePartition, otherPartition)) {
            send(wrong, bytes);
        }
        producer.flush();

        Map<String, List<ConsumerRecord<String, byte[]>>> out = consume(5);
        var rejections = ConvoSerdes.valueSerde(CommandRejected.class, Map.of()).deserializer();
        List<String> answers = out.getOrDefault(topics.commandRejections(), List.of()).stream()
                .map(r -> r.key() + " " + rejections.deserialize(r.topic(), r.value()).getCode()).toList();
        assertThat(answers).containsExactlyInAnyOrder(samePartition + " INVALID_COMMAND",
                otherPartition + " INVALID_COMMAND", samePartition + " INVALID_COMMAND", otherPartition + " INVALID_COMMAND");
        assertThat(out.get(topics.conversationEvents())).extracting(ConsumerRecord::key).containsExactly("CH-own");
    }

    /** The default partitioner's partition of {@code key} among this test's 2 partitions. */
    private static int partition(String key) {
        return org.apache.kafka.common.utils.Utils.toPositive(
                org.apache.kafka.common.utils.Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 2;
    }

    private static String wrongKey(int partition, int from) {
        for (int i = from; ; i++) {
            if (partition("CH-wrong-" + i) == partition) {
                return "CH-wrong-" + i;
            }
        }
    }

    private static String reason(List<ConsumerRecord<String, byte[]>> dlq, String key) {
        return dlq.stream().filter(r -> key.equals(r.key())).map(r -> new String(
                r.headers().lastHeader("convo.dlq.reason").value(), StandardCharsets.UTF_8)).findFirst().orElseThrow();
    }

    private Map<String, List<ConsumerRecord<String, byte[]>>> consume(int count) {
        try (KafkaConsumer<String, byte[]> consumer = KafkaTestClients.consumer(kafka.bootstrapServers(),
                new StringDeserializer(), new ByteArrayDeserializer(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            List<ConsumerRecord<String, byte[]>> records = KafkaTestClients.consumeUntil(consumer,
                    List.of(topics.commandsDlq(), topics.commandRejections(), topics.conversationEvents()), count,
                    Duration.ofMinutes(2));
            Map<String, List<ConsumerRecord<String, byte[]>>> byTopic = new HashMap<>();
            records.forEach(r -> byTopic.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(r));
            return byTopic;
        }
    }
}
