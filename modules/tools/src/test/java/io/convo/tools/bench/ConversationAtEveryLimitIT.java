package io.convo.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.app.ConvoApplication;
import io.convo.model.AddParticipant;
import io.convo.model.BindingType;
import io.convo.model.ConversationCommand;
import io.convo.model.CreateConversation;
import io.convo.model.Media;
import io.convo.model.MessagingBinding;
import io.convo.model.SendMessage;
import io.convo.model.TopicNames;
import io.convo.model.UpdateConversation;
import io.convo.model.UpdateMessage;
import io.convo.model.UpdateParticipant;
import io.convo.model.json.CommandLine;
import io.convo.model.json.JsonLines;
import io.convo.model.serde.AvroSize;
import io.convo.model.serde.ConvoSerdes;
import io.convo.operate.ChangelogState;
import io.convo.operate.EventLogReplay;
import io.convo.operate.Simulator;
import io.convo.operate.StateComparison;
import io.convo.rules.Limits;
import io.convo.testkit.KafkaBrokerExtension;
import io.convo.testkit.KafkaTestClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, point 7: one conversation at every limit at once, on a real broker: 1000 participants of which 50 are
 * SMS, 4 KB participant attributes, 16 KB conversation attributes, identities, addresses and ids of 256 four-byte
 * code points, 32 KB bodies, a chat message whose media list fills a whole command and an MMS at L12, each limit
 * also one past it. Every outcome, key by key, is the one {@code simulate} gives (the rules run one command at a
 * time there, with pipelined checks and transactions here), the application never fails, and replaying the event log
 * rebuilds the state the application holds.
 */
class ConversationAtEveryLimitIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Limits LIMITS = Limits.defaults();
    private static final String WIDE = "\uD83D\uDE00";
    private static final String SERVICE = wide("IS", LIMITS.idChars());
    private static final String CONVERSATION = wide("CH", LIMITS.idChars());

    @TempDir
    Path stateDir;

    private final List<SpecificRecord> commands = new ArrayList<>();
    private long clock = System.currentTimeMillis();
    private int ids;

    private static String wide(String prefix, int chars) {
        return prefix + WIDE.repeat(chars - prefix.length());
    }

    private static String attributes(int bytes) {
        int room = bytes - "{\"a\":\"\"}".length();
        return "{\"a\":\"" + WIDE.repeat(room / 4) + "x".repeat(room % 4) + "\"}";
    }

    /** Adds {@code command} with the next commandId (a longest id) and a timestamp under the APS limit. */
    private <T extends SpecificRecord> T add(T command) {
        command.put(command.getSchema().getField("commandId").pos(), wide(String.format("c%05d-", ++ids), LIMITS.idChars()));
        command.put(command.getSchema().getField("serviceSid").pos(), SERVICE);
        command.put(command.getSchema().getField("timestamp").pos(), clock += 1_000 / LIMITS.actionsPerSecond() + 1);
        commands.add(command);
        return command;
    }

    private static String participant(int i) {
        return wide(String.format("MB%04d", i), LIMITS.idChars());
    }

    private static String identity(int i) {
        return wide(String.format("u%04d", i), LIMITS.identityChars());
    }

    private AddParticipant chat(int i, String identity, int attributeBytes) {
        return AddParticipant.newBuilder().setCommandId("").setServiceSid("").setTimestamp(0)
                .setConversationSid(CONVERSATION).setParticipantSid(participant(i)).setIdentity(identity)
                .setAttributes(attributes(attributeBytes)).build();
    }

    private AddParticipant sms(int i) {
        return AddParticipant.newBuilder(chat(i, null, LIMITS.participantAttributesBytes())).setIdentity(null)
                .setMessagingBinding(new MessagingBinding(BindingType.sms,
                        wide(String.format("+1%04d", i), LIMITS.addressChars()), wide("+2", LIMITS.proxyAddressChars())))
                .build();
    }

    private SendMessage message(String messageSid, String author, String body, List<Media> media) {
        return SendMessage.newBuilder().setCommandId("").setServiceSid("").setTimestamp(0)
                .setConversationSid(CONVERSATION).setMessageSid(wide(messageSid, LIMITS.idChars())).setAuthor(author)
                .setBody(body).setMedia(media).setAttributes(attributes(LIMITS.messageAttributesBytes())).build();
    }

    /** The workload: each limit reached, and passed by one. */
    private void workload() {
        add(CreateConversation.newBuilder().setCommandId("").setServiceSid("").setTimestamp(0)
                .setConversationSid(CONVERSATION).setFriendlyName(wide("n", LIMITS.friendlyNameChars()))
                .setAttributes(attributes(LIMITS.conversationAttributesBytes())).build());
        add(UpdateConversation.newBuilder().setCommandId("").setServiceSid("").setTimestamp(0)
                .setConversationSid(CONVERSATION).setAttributes(attributes(LIMITS.conversationAttributesBytes() + 1))
                .build()); // ATTRIBUTES_TOO_LONG
        int nonChat = LIMITS.nonChatParticipantsPerConversation();
        for (int i = 0; i <= nonChat; i++) {
            add(sms(i)); // the 51st: NON_CHAT_PARTICIPANT_LIMIT
        }
        add(chat(9_998, wide("x", LIMITS.identityChars() + 1), 10)); // IDENTITY_TOO_LONG
        add(chat(9_999, identity(9_999), LIMITS.participantAttributesBytes() + 1)); // ATTRIBUTES_TOO_LONG
        for (int i = nonChat; i <= LIMITS.participantsPerConversation(); i++) {
            add(chat(i + 1, identity(i), LIMITS.participantAttributesBytes())); // the 1001st: PARTICIPANT_LIMIT
        }
        add(UpdateParticipant.newBuilder().setCommandId("").setServiceSid("").setTimestamp(0)
                .setConversationSid(CONVERSATION).setParticipantSid(participant(nonChat + 1))
                .setAttributes(attributes(LIMITS.participantAttributesBytes())).build());

        String body = WIDE.repeat(LIMITS.bodyBytes() / 4);
        add(message("IM-body", identity(nonChat), body, List.of()));
        add(message("IM-body+1", identity(nonChat), body + "x", List.of())); // BODY_TOO_LONG
        add(message("IM-mms", sms(0).getMessagingBinding().getAddress(), "caption",
                files(LIMITS.mmsFiles(), LIMITS.mmsTotalBytes() / LIMITS.mmsFiles())));
        add(message("IM-mms+1", sms(0).getMessagingBinding().getAddress(), "caption",
                files(LIMITS.mmsFiles() + 1, 1))); // MMS_MEDIA_LIMIT
        SendMessage full = add(fullMessage(body, 0));
        assertThat(AvroSize.of(full)).as("a chat message as large as a command may be").isEqualTo(LIMITS.commandBytes());
        SendMessage over = add(fullMessage(body, 1)); // COMMAND_TOO_LARGE
        assertThat(AvroSize.of(over)).isEqualTo(LIMITS.commandBytes() + 1L);
        add(UpdateMessage.newBuilder().setCommandId("").setServiceSid("").setTimestamp(0)
                .setConversationSid(CONVERSATION).setMessageSid(full.getMessageSid()).setBody(body)
                .setAttributes(attributes(LIMITS.messageAttributesBytes())).build());
    }

    private static List<Media> files(int n, long size) {
        List<Media> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            files.add(Media.newBuilder().setContentType("image/png").setSize(size).setFilename("f" + i + ".png").build());
        }
        return files;
    }

    /** A chat message whose media list makes it exactly command-bytes (plus {@code over}). */
    private SendMessage fullMessage(String body, int over) {
        String sid = over == 0 ? "IM-full" : "IM-full+1";
        SendMessage empty = message(sid, identity(LIMITS.nonChatParticipantsPerConversation()), body, List.of());
        // As add() will set them: the same lengths, so the same size.
        empty.setCommandId(wide("c00000-", LIMITS.idChars()));
        empty.setServiceSid(SERVICE);
        empty.setTimestamp(clock);
        Media one = Media.newBuilder().setContentType("image/png").setSize(1L).setFilename(wide("f", 64)).build();
        long n = (LIMITS.commandBytes() - AvroSize.of(empty) - 1_024) / AvroSize.of(one);
        List<Media> media = new ArrayList<>(java.util.Collections.nCopies((int) n, one));
        media.add(Media.newBuilder(one).setFilename("").build());
        SendMessage m = SendMessage.newBuilder(empty).setMedia(media).build();
        long missing = LIMITS.commandBytes() + over - AvroSize.of(m);
        media.set(media.size() - 1, Media.newBuilder(one).setFilename("x".repeat((int) missing)).build());
        m = SendMessage.newBuilder(empty).setMedia(media).build();
        long off = AvroSize.of(m) - LIMITS.commandBytes() - over; // the filename's length prefix may have grown
        media.set(media.size() - 1, Media.newBuilder(one).setFilename("x".repeat((int) (missing - off))).build());
        return SendMessage.newBuilder(empty).setMedia(media).build();
    }

    @Test
    void everyOutcomeIsTheRulesOneNothingFailsAndReplayRebuildsTheState() throws Exception {
        workload();
        Properties config = new Properties();
        config.setProperty("bootstrap.servers", KAFKA.bootstrapServers());
        config.setProperty("application.id", "convo-at-every-limit");
        config.setProperty("state.dir", stateDir.toString());

        Map<String, List<String>> expected = new TreeMap<>();
        int outcomes = 0;
        try (Simulator simulator = new Simulator(new Properties())) {
            for (SpecificRecord command : commands) {
                for (Simulator.Output o : simulator.pipe(JsonLines.commandOf(command))) {
                    expected.computeIfAbsent(o.topic() + " " + o.key(), k -> new ArrayList<>())
                            .add(JsonLines.outputLine(o.topic(), o.key(), o.value()));
                    outcomes++;
                }
            }
        }
        assertThat(expected.get("command-rejections " + CONVERSATION)).as("one rejection per limit passed")
                .hasSize(8);

        try (ConvoApplication app = new ConvoApplication(config)) {
            app.start();
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
            try (KafkaProducer<String, ConversationCommand> producer = KafkaTestClients.producer(
                    KAFKA.bootstrapServers(), new StringSerializer(),
                    ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).serializer(), Map.of())) {
                for (SpecificRecord command : commands) {
                    CommandLine line = JsonLines.commandOf(command);
                    producer.send(new ProducerRecord<>(TopicNames.CONVERSATION_COMMANDS, null, line.timestamp(),
                            line.key(), (ConversationCommand) line.envelope()));
                }
            }
            Map<String, List<String>> actual = consume(outcomes);
            assertThat(actual.keySet()).isEqualTo(expected.keySet());
            expected.forEach((key, lines) -> assertThat(actual.get(key)).as(key).isEqualTo(lines));
            assertThat(app.failed()).as("the application never failed").isFalse();
            assertThat(app.state()).isEqualTo(org.apache.kafka.streams.KafkaStreams.State.RUNNING);
        }

        Properties replayConfig = new Properties();
        replayConfig.setProperty("bootstrap.servers", KAFKA.bootstrapServers());
        replayConfig.setProperty("application.id", "convo-at-every-limit");
        try (EventLogReplay replay = new EventLogReplay(replayConfig);
             ChangelogState live = new ChangelogState(replayConfig)) {
            replay.catchUp(null);
            live.catchUp(null);
            StateComparison.Result result = StateComparison.compare(live.snapshot(), replay.projection().state(), 10);
            assertThat(result.equal()).as("replay equal: " + result.differences()).isTrue();
        }
    }

    /** Every record of the topics simulate wrote to, as output lines by topic and key. */
    private static Map<String, List<String>> consume(int count) {
        Map<String, Class<? extends SpecificRecord>> types = Simulator.valueTypes(TopicNames.withPrefix(""));
        List<ConsumerRecord<String, byte[]>> records;
        try (KafkaConsumer<String, byte[]> consumer = KafkaTestClients.consumer(KAFKA.bootstrapServers(),
                new StringDeserializer(), new ByteArrayDeserializer(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            records = KafkaTestClients.consumeUntil(consumer, List.copyOf(types.keySet()), count, Duration.ofMinutes(3));
        }
        Map<String, List<String>> byKey = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            SpecificRecord value = ConvoSerdes.valueSerde(types.get(r.topic()), Map.of()).deserializer()
                    .deserialize(r.topic(), r.value());
            byKey.computeIfAbsent(r.topic() + " " + r.key(), k -> new ArrayList<>())
                    .add(JsonLines.outputLine(r.topic(), r.key(), value));
        }
        return byKey;
    }
}
