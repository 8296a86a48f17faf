package io.convo.tools.chaos;

import static io.convo.tools.chaos.PoisonHarness.header;
import static io.convo.tools.chaos.PoisonHarness.keyOn;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.ConversationCommand;
import io.convo.model.CreateConversation;
import io.convo.model.DeadLetterHeaders;
import io.convo.model.UpdateConversation;
import io.convo.model.serde.ConvoSerdes;
import io.convo.testkit.KafkaBrokerExtension;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The three poison pills of issue 13 and the safety net under them, on a real broker under exactly_once_v2: each bad
 * record ends in {@code commands-dlq} (cut to fit, with its reason, after a bounded number of attempts), the commands
 * behind it on its partition and on the other are decided exactly once, convo keeps running and stays live, and a
 * metric and a log line name the record. Failures are injected where a bug or fault would hit: a record too large
 * for the dead letter, a serde returning another type, a processor throwing on every attempt, an output the
 * producer refuses, an output the serializer refuses ({@link FaultInjectingSerde}).
 */
class PoisonRecordIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static PoisonHarness convo;

    @BeforeAll
    static void start() throws Exception {
        Properties config = new Properties();
        config.setProperty(ConvoSerdes.SERDE_CONFIG, FaultInjectingSerde.class.getName());
        convo = new PoisonHarness(KAFKA.bootstrapServers(), "convo-poison", config);
    }

    @AfterAll
    static void stop() {
        if (convo != null) {
            convo.close();
        }
    }

    private UpdateConversation rename(String conversationSid, String commandId) {
        return UpdateConversation.newBuilder().setCommandId(commandId).setServiceSid(PoisonHarness.SERVICE)
                .setTimestamp(convo.now()).setConversationSid(conversationSid).setFriendlyName(commandId).build();
    }

    @Test
    void aGarbageValueJustUnderOneMegabyteIsDeadLetteredCutToFitAndTheCommandsBehindItAreDecidedOnce() throws Exception {
        byte[] garbage = new byte[1_048_400];
        new Random(13).nextBytes(garbage);
        garbage[0] = 0x3A; // not single-object's magic
        String key = keyOn(0, "CHX1");
        RecordMetadata[] sent = new RecordMetadata[1];

        List<String> decided = convo.around("big", 0, () -> sent[0] = convo.send(key, garbage));

        ConsumerRecord<String, byte[]> letter = convo.theDeadLetter(key);
        assertThat(header(letter, DeadLetterHeaders.TRUNCATED)).isEqualTo("value");
        assertThat(header(letter, DeadLetterHeaders.ORIGINAL_SIZE)).isEqualTo("1048400");
        assertThat(header(letter, DeadLetterHeaders.ORIGINAL_SHA256))
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(garbage)));
        assertThat(header(letter, DeadLetterHeaders.REASON)).contains("wrong magic");
        assertThat(letter.value()).isEqualTo(Arrays.copyOf(garbage, letter.value().length));
        assertThat(letter.value().length).isGreaterThan(1_040_000);
        convo.decidedOnceEach(decided);
        convo.stillRunningAndLive();
        String record = convo.topics.conversationCommands() + "-0@" + sent[0].offset();
        assertThat(convo.log.any(record, key, "dead-letter queue")).as("a log line names %s", record).isTrue();
        assertThat(convo.metric("convo_dead_letters_total", "kind", "unreadable", "partition", "0",
                "topic", convo.topics.conversationCommands())).isGreaterThanOrEqualTo(1.0);
        assertThat(convo.metric("convo_stream_thread_failures_total", "pinned", "false")).isZero();
    }

    @Test
    void aRecordOfTheWrongTypeFromACustomSerdeIsDeadLetteredWithTheReason() {
        String key = keyOn(1, "CH-wrong");
        List<String> decided = convo.around("wrong", 1,
                () -> convo.send(key, convo.encode(convo.create(key, convo.nextId("wrong-type-")))));

        ConsumerRecord<String, byte[]> letter = convo.theDeadLetter(key);
        assertThat(header(letter, DeadLetterHeaders.REASON)).isEqualTo("decoded to io.convo.model.ConversationEvent,"
                + " but " + convo.topics.conversationCommands() + " carries io.convo.model.ConversationCommand");
        convo.decidedOnceEach(decided);
        convo.stillRunningAndLive();
        assertThat(convo.metric("convo_dead_letters_total", "kind", "wrong-type", "partition", "1")).isEqualTo(1.0);
    }

    @Test
    void aRecordWhoseProcessingFailsOnEveryAttemptIsDeadLetteredAfterTwoAndTheCommandsBehindItAreDecidedOnce() {
        String key = keyOn(0, "CH-crash");
        String commandId = convo.nextId("crash-");
        RecordMetadata[] sent = new RecordMetadata[1];

        List<String> decided = convo.around("crash", 0,
                () -> sent[0] = convo.send(key, convo.encode(convo.create(key, commandId))));

        ConsumerRecord<String, byte[]> letter = convo.theDeadLetter(key);
        assertThat(header(letter, DeadLetterHeaders.ATTEMPTS)).isEqualTo("2");
        assertThat(header(letter, DeadLetterHeaders.REASON)).startsWith("processing failed 2 times: ")
                .contains("not a command: null", "Conversations");
        assertThat(header(letter, DeadLetterHeaders.OFFSET)).isEqualTo(String.valueOf(sent[0].offset()));
        // The dead letter is the record as it was: readable again once the bug is fixed.
        ConversationCommand original = ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).deserializer()
                .deserialize(convo.topics.conversationCommands(), letter.value());
        assertThat(((CreateConversation) original.getCommand()).getCommandId()).isEqualTo(commandId);
        assertThat(convo.outputs.events(key)).isEmpty();
        convo.decidedOnceEach(decided);
        convo.stillRunningAndLive();
        String record = convo.topics.conversationCommands() + "-0@" + sent[0].offset();
        assertThat(convo.log.any(record, "failed in Conversations (failure 1)", "retried")).as("log of attempt 1").isTrue();
        assertThat(convo.log.any(record, "failed 2 times; dead-lettered")).as("log of the dead letter").isTrue();
        assertThat(convo.metric("convo_record_failures_total", "partition", "0",
                "topic", convo.topics.conversationCommands())).isGreaterThanOrEqualTo(2.0);
        assertThat(convo.metric("convo_dead_letters_total", "kind", "repeated-failure", "partition", "0"))
                .isGreaterThanOrEqualTo(1.0);
        assertThat(convo.metric("convo_last_dead_letter_offset", "partition", "0",
                "topic", convo.topics.conversationCommands())).isGreaterThanOrEqualTo((double) sent[0].offset());
        assertThat(convo.metric("convo_stream_thread_failures_total", "pinned", "true")).isGreaterThanOrEqualTo(2.0);
    }

    @Test
    void anOutputTheProducerRefusesAsTooLargeDeadLettersItsCommandAndTheConversationGoesOn() {
        assertOutputFailureDeadLettersTheCommand("too-large-", "RecordTooLargeException");
    }

    @Test
    void anOutputTheSerializerRefusesDeadLettersItsCommandAndTheConversationGoesOn() {
        assertOutputFailureDeadLettersTheCommand("unserializable-", "cannot be serialized");
    }

    /** An update (decided without a check, so its event is written while the command itself is processed). */
    private void assertOutputFailureDeadLettersTheCommand(String marker, String failure) {
        String conversation = keyOn(1, "CH-" + marker);
        convo.created(conversation);
        assertThat(convo.await(() -> !convo.outputs.events(conversation).isEmpty())).isTrue();
        String badId = convo.nextId(marker);
        String nextId = convo.nextId("rename-");
        RecordMetadata[] sent = new RecordMetadata[1];

        List<String> decided = convo.around(marker.replace("-", ""), 1, () -> {
            sent[0] = convo.send(conversation, convo.encode(rename(conversation, badId)));
            convo.send(conversation, convo.encode(rename(conversation, nextId)));
        });

        ConsumerRecord<String, byte[]> letter = convo.theDeadLetter(conversation);
        assertThat(header(letter, DeadLetterHeaders.OFFSET)).isEqualTo(String.valueOf(sent[0].offset()));
        assertThat(header(letter, DeadLetterHeaders.REASON)).startsWith("processing failed 2 times: ").contains(failure);
        assertThat(convo.await(() -> convo.outputs.events(conversation).size() == 2)).isTrue();
        assertThat(convo.outputs.events(conversation)).containsExactly("ConversationCreated", "ConversationUpdated");
        assertThat(convo.outputs.eventIds).doesNotContain(badId).containsOnlyOnce(nextId);
        convo.decidedOnceEach(decided);
        convo.stillRunningAndLive();
        assertThat(convo.log.any(convo.topics.conversationCommands() + "-1@" + sent[0].offset(), "writing its output to "
                + convo.topics.conversationEvents() + " failed (failure 1)")).as("log of the failed write").isTrue();
    }
}
