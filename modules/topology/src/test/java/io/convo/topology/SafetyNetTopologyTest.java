package io.convo.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.CheckReply;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.ConversationCreated;
import io.convo.model.CreateConversation;
import io.convo.model.DeadLetterHeaders;
import io.convo.model.TopicNames;
import io.convo.model.serde.ConvoSerdes;
import io.convo.topology.RecordFailures.Source;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The decoders in front of every source divert a record that failed too often before anything processes it again:
 * the dead letter at {@code maxAttempts}, a pointer after that, nothing after that. The failures are pinned by hand
 * here, as the exception handlers pin them on a broker (proven end to end by the tools' PoisonRecordIT).
 */
class SafetyNetTopologyTest {

    private final TopicNames topics = TopicNames.withPrefix("");
    private final CommandFactory given = new CommandFactory();
    private final RecordFailures failures = new RecordFailures(2);
    private TopologyTestDriver driver;
    private TestInputTopic<String, ConversationCommand> commands;
    private TestOutputTopic<String, ConversationEvent> events;
    private TestOutputTopic<String, byte[]> dlq;

    @BeforeEach
    void start() {
        Properties convo = new Properties();
        convo.put(ConvoConfig.STORE_TYPE.name(), "in-memory");
        convo.put(ConvoConfig.MAX_CLOCK_SKEW.name(), "0");
        Properties streams = new Properties();
        streams.put(StreamsConfig.APPLICATION_ID_CONFIG, "convo-safety-net-test");
        streams.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        streams.put(RecordFailures.CONFIG, failures);
        driver = new TopologyTestDriver(ConvoTopology.buildTopology(ConvoConfig.topologySettings(convo)), streams,
                Instant.ofEpochMilli(CommandFactory.START));
        commands = driver.createInputTopic(topics.conversationCommands(), new StringSerializer(),
                ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).serializer());
        events = driver.createOutputTopic(topics.conversationEvents(), new StringDeserializer(),
                ConvoSerdes.valueSerde(ConversationEvent.class, Map.of()).deserializer());
        dlq = driver.createOutputTopic(topics.commandsDlq(), new StringDeserializer(), Serdes.ByteArray().deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void send(CreateConversation create) {
        commands.pipeInput(create.getConversationSid(), new ConversationCommand(create), create.getTimestamp());
    }

    /** Pins {@code times} failures on a record, each followed by the thread failure it causes on a broker. */
    private void fail(Source at, String where, int times) {
        for (int i = 0; i < times; i++) {
            failures.failed(at, where, new IllegalArgumentException("not a command: null"));
            failures.threadFailed();
        }
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aCommandThatFailedMaxAttemptsTimesIsDeadLetteredInsteadOfProcessedAndTheNextOneIsDecided() {
        Source first = new Source(topics.conversationCommands(), 0, 0);
        fail(first, "Conversations", 2);

        send(given.create("CH1"));
        send(given.create("CH2"));

        List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).singleElement().satisfies(letter -> {
            assertThat(letter.key()).isEqualTo("CH1");
            assertThat(header(letter, DeadLetterHeaders.ATTEMPTS)).isEqualTo("2");
            assertThat(header(letter, DeadLetterHeaders.REASON)).startsWith("processing failed 2 times: ")
                    .contains("not a command: null", "Conversations");
            assertThat(header(letter, DeadLetterHeaders.OFFSET)).isEqualTo("0");
            assertThat(header(letter, DeadLetterHeaders.TRUNCATED)).isNull();
        });
        assertThat(events.readRecordsToList()).singleElement().satisfies(e -> {
            assertThat(e.key()).isEqualTo("CH2");
            assertThat(e.value().getEvent()).isInstanceOf(ConversationCreated.class);
        });
        assertThat(failures.counts()).singleElement()
                .satisfies(row -> assertThat(row.deadLetters()).containsEntry("repeated-failure", 1L));
    }

    @Test
    void aRecordWhoseDeadLetterFailedTooLeavesAPointerAndThenIsSkipped() {
        Source first = new Source(topics.conversationCommands(), 0, 0);
        Source second = new Source(topics.conversationCommands(), 0, 1);
        fail(first, "Conversations", 3);
        fail(second, "Conversations", 4);

        send(given.create("CH1"));
        send(given.create("CH2"));
        send(given.create("CH3"));

        assertThat(dlq.readRecordsToList()).singleElement().satisfies(pointer -> {
            assertThat(pointer.key()).isEqualTo("CH1");
            assertThat(pointer.value()).isNull();
            assertThat(header(pointer, DeadLetterHeaders.TRUNCATED)).isEqualTo("value,headers");
            assertThat(header(pointer, DeadLetterHeaders.REASON)).contains("the original stays at conversation-commands-0@0");
        });
        assertThat(events.readRecordsToList()).extracting(TestRecord::key).containsExactly("CH3");
        assertThat(failures.counts()).singleElement().satisfies(row -> assertThat(row.skipped()).isEqualTo(1));
    }

    @Test
    void theCheckLoopsSourcesAreGuardedToo() {
        // The create asks its service's action window; the reply is the first record of convo-check-replies.
        Source reply = new Source(topics.checkReplies(), 0, 0);
        fail(reply, "ConversationCheckReplies", 2);

        send(given.create("CH1"));

        assertThat(events.readRecordsToList()).isEmpty();
        assertThat(dlq.readRecordsToList()).singleElement().satisfies(letter -> {
            assertThat(header(letter, DeadLetterHeaders.TOPIC)).isEqualTo(topics.checkReplies());
            assertThat(ConvoSerdes.internalSerde(CheckReply.class).deserializer()
                    .deserialize(topics.checkReplies(), letter.value()).getConversationSid()).isEqualTo("CH1");
        });
    }

    @Test
    void garbageOnAnInternalTopicIsDeadLetteredNotACrash() {
        driver.createInputTopic(topics.identityChecks(), new StringSerializer(), Serdes.ByteArray().serializer())
                .pipeInput("IS1/alice", "garbage".getBytes(StandardCharsets.UTF_8));

        assertThat(dlq.readRecordsToList()).singleElement()
                .satisfies(letter -> assertThat(header(letter, DeadLetterHeaders.TOPIC)).isEqualTo(topics.identityChecks()));
    }
}
