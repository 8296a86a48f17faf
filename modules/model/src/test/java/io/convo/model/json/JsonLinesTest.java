package io.convo.model.json;

import io.convo.model.AddParticipant;
import io.convo.model.CommandRejected;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationCreated;
import io.convo.model.ConversationEvent;
import io.convo.model.CreateConversation;
import io.convo.model.Fixtures;
import io.convo.model.SendMessage;
import io.convo.model.ServiceCommand;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JsonLinesTest {

    private static final String ADD_ALICE = "{\"type\":\"AddParticipant\",\"commandId\":\"c1\",\"serviceSid\":\"IS1\","
        + "\"conversationSid\":\"CH1\",\"participantSid\":\"MB1\",\"identity\":\"alice\",\"timestamp\":1800000000000}";

    static Stream<SpecificRecord> everyCommandEnvelope() {
        List<SpecificRecord> envelopes = new ArrayList<>();
        Fixtures.conversationCommands().forEach(c -> envelopes.add(Fixtures.conversationCommand(c)));
        Fixtures.serviceCommands().forEach(c -> envelopes.add(Fixtures.serviceCommand(c)));
        return envelopes.stream();
    }

    @Test
    void parsesTheSpecExampleIntoAnEnvelopeForItsTopicKeyedByConversation() {
        CommandLine parsed = JsonLines.parseCommand(ADD_ALICE, 1);

        assertThat(parsed.topic()).isEqualTo(CommandTopic.CONVERSATION);
        assertThat(parsed.key()).isEqualTo("CH1");
        assertThat(parsed.timestamp()).isEqualTo(1_800_000_000_000L);
        assertThat(parsed.type()).isEqualTo("AddParticipant");
        assertThat(parsed.envelope()).isEqualTo(new ConversationCommand(AddParticipant.newBuilder().setCommandId("c1")
            .setServiceSid("IS1").setConversationSid("CH1").setParticipantSid("MB1").setIdentity("alice")
            .setTimestamp(1_800_000_000_000L).build()));
    }

    @Test
    void keysServiceCommandsByServiceSid() {
        CommandLine parsed = JsonLines.parseCommand(
            "{\"type\":\"CreateUser\",\"commandId\":\"s1\",\"serviceSid\":\"IS9\",\"identity\":\"bob\",\"timestamp\":5}", 1);

        assertThat(parsed.topic()).isEqualTo(CommandTopic.SERVICE);
        assertThat(parsed.key()).isEqualTo("IS9");
        assertThat(parsed.envelope()).isInstanceOf(ServiceCommand.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyCommandEnvelope")
    void roundTripsEveryCommandTypeWithAllFieldsSet(SpecificRecord envelope) {
        String line = JsonLines.commandLine(envelope);

        CommandLine parsed = JsonLines.parseCommand(line, 1);

        assertThat(parsed.envelope()).isEqualTo(envelope);
        assertThat(JsonLines.commandLine(parsed.command())).isEqualTo(line);
        assertThat(line).startsWith("{\"type\":\"" + ((SpecificRecord) envelope.get(0)).getSchema().getName() + "\",");
    }

    @Test
    void coversAllFifteenCommandTypes() {
        assertThat(everyCommandEnvelope()).hasSize(15);
        assertThat(JsonLines.commandTypes()).hasSize(15);
    }

    @Test
    void acceptsOptionalFieldsOmittedOrNull() {
        CommandLine omitted = JsonLines.parseCommand("{\"type\":\"SendMessage\",\"commandId\":\"c1\",\"serviceSid\":\"IS1\","
            + "\"conversationSid\":\"CH1\",\"timestamp\":1}", 1);
        CommandLine nulls = JsonLines.parseCommand("{\"type\":\"SendMessage\",\"commandId\":\"c1\",\"serviceSid\":\"IS1\","
            + "\"conversationSid\":\"CH1\",\"timestamp\":1,\"messageSid\":null,\"author\":null,\"body\":null,\"media\":null}", 1);

        assertThat(omitted.envelope()).isEqualTo(nulls.envelope());
        SendMessage message = (SendMessage) omitted.command();
        assertThat(message.getMessageSid()).isNull();
        assertThat(message.getMedia()).isNull();
    }

    @Test
    void writesCommandLinesWithTypeFirstFieldsInSchemaOrderAndNullsOmitted() {
        CreateConversation create = CreateConversation.newBuilder().setCommandId("c1").setServiceSid("IS1").setTimestamp(7L)
            .setConversationSid("CH1").setFriendlyName("Hi").build();

        assertThat(JsonLines.commandLine(create)).isEqualTo(
            "{\"type\":\"CreateConversation\",\"commandId\":\"c1\",\"serviceSid\":\"IS1\",\"timestamp\":7,"
                + "\"conversationSid\":\"CH1\",\"friendlyName\":\"Hi\"}");
    }

    @Test
    void refusesToWriteARecordThatIsNotACommandAsACommandLine() {
        assertThatThrownBy(() -> JsonLines.commandLine(Fixtures.conversationCreated()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("ConversationCreated is not a command");
    }

    @Test
    void writesAnEventAsItsInnerRecordWithTypeFirstAndNullFieldsOmitted() {
        assertThat(JsonLines.outputLine("conversation-events", "CH1", Fixtures.conversationCreated())).isEqualTo(
            "{\"topic\":\"conversation-events\",\"key\":\"CH1\",\"value\":{\"type\":\"ConversationCreated\","
                + "\"commandId\":\"c1\",\"serviceSid\":\"IS1\",\"timestamp\":1800000000000,\"conversationSid\":\"CH1\","
                + "\"friendlyName\":\"Support\",\"state\":\"active\"}}");
    }

    @Test
    void writesARejectionWithItsRecordNameAsType() {
        assertThat(JsonLines.outputLine("command-rejections", "CH1", Fixtures.rateLimited())).isEqualTo(
            "{\"topic\":\"command-rejections\",\"key\":\"CH1\",\"value\":{\"type\":\"CommandRejected\","
                + "\"commandId\":\"c4\",\"commandType\":\"AddParticipant\",\"key\":\"CH1\",\"serviceSid\":\"IS1\","
                + "\"conversationSid\":\"CH1\",\"code\":\"RATE_LIMITED\",\"twilioCode\":50063,"
                + "\"reason\":\"31 actions in 1 s for conversation CH1; limit 30\",\"scope\":\"conversation\","
                + "\"limit\":30,\"retryAfterMs\":250,\"timestamp\":1800000000000}}");
    }

    @Test
    void refusesToWriteARecordThatLacksARequiredField() {
        CreateConversation incomplete = new CreateConversation();
        incomplete.setCommandId("c1");

        assertThatThrownBy(() -> JsonLines.commandLine(incomplete))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("CreateConversation.serviceSid is null but the schema requires a value");
        assertThatThrownBy(() -> JsonLines.outputLine("t", "k", new ConversationCommand()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("ConversationCommand holds no record");
    }

    @Test
    void writesAnyGeneratedRecordGenericallyIncludingNestedEnvelopes() {
        io.convo.internal.PendingCheck pending = io.convo.internal.PendingCheck.newBuilder()
            .setCommand(Fixtures.conversationCommand(Fixtures.conversationCommands().get(2)))
            .setKind(io.convo.internal.CheckKind.SERVICE_ACTION).build();

        assertThat(JsonLines.outputLine("pending-checks", "CH1", pending)).isEqualTo(
            "{\"topic\":\"pending-checks\",\"key\":\"CH1\",\"value\":{\"type\":\"PendingCheck\","
                + "\"command\":{\"command\":{\"type\":\"DeleteConversation\",\"commandId\":\"c3\",\"serviceSid\":\"IS1\","
                + "\"timestamp\":1800000000002,\"conversationSid\":\"CH1\"}},"
                + "\"kind\":\"SERVICE_ACTION\"}}");
    }

    @Test
    void writesNullKeysAndTombstonesAsNull() {
        String line = JsonLines.outputLine("t", null, null);

        assertThat(line).isEqualTo("{\"topic\":\"t\",\"key\":null,\"value\":null}");
        assertThat(JsonLines.parseOutput(line, 1)).isEqualTo(new OutputLine("t", null, null));
    }

    static Stream<SpecificRecord> everyOutputRecord() {
        List<SpecificRecord> records = new ArrayList<>();
        everyCommandEnvelope().forEach(records::add);
        records.add(Fixtures.conversationCreated());
        records.add(Fixtures.messageAdded());
        records.add(Fixtures.roleCreated());
        records.add(Fixtures.rateLimited());
        records.add(Fixtures.delivery());
        records.add(Fixtures.receipt());
        return records.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyOutputRecord")
    void parsesOutputLinesBackIntoTheRecordAsItIsOnTheTopic(SpecificRecord value) {
        OutputLine parsed = JsonLines.parseOutput(JsonLines.outputLine("some-topic", "K1", value), 3);

        assertThat(parsed.topic()).isEqualTo("some-topic");
        assertThat(parsed.key()).isEqualTo("K1");
        assertThat(parsed.value()).isEqualTo(value);
    }

    @Test
    void exposesTheInnerRecordOfAnOutputLine() {
        OutputLine parsed = JsonLines.parseOutput(JsonLines.outputLine("conversation-events", "CH1",
            Fixtures.conversationCreated()), 1);

        assertThat(parsed.value()).isInstanceOf(ConversationEvent.class);
        assertThat(parsed.payload()).isInstanceOf(ConversationCreated.class);
        assertThat(parsed.type()).isEqualTo("ConversationCreated");
        assertThat(JsonLines.parseOutput(JsonLines.outputLine("r", "CH1", Fixtures.rateLimited()), 1).payload())
            .isInstanceOf(CommandRejected.class);
    }

    @Test
    void fillsDefaultsOfNonNullFieldsAbsentFromAnOutputLine() {
        OutputLine parsed = JsonLines.parseOutput("{\"topic\":\"delivery-chat\",\"key\":\"CH1\",\"value\":{\"type\":\"Delivery\","
            + "\"messageSid\":\"IM1\",\"conversationSid\":\"CH1\",\"serviceSid\":\"IS1\",\"index\":0,\"participantSid\":\"MB1\","
            + "\"channel\":\"chat\",\"to\":\"bob\",\"author\":\"alice\",\"timestamp\":1}}", 1);

        io.convo.model.Delivery delivery = (io.convo.model.Delivery) parsed.value();
        assertThat(delivery.getMedia()).isEmpty();
        assertThat(delivery.getBodyDropped()).isFalse();
        assertThat(delivery.getRecipients()).isEmpty();
    }

    @Test
    void letsTheCallerOverrideFieldsTheCommandHas() {
        CommandLine parsed = JsonLines.parseCommand("{\"type\":\"SendMessage\",\"commandId\":\"c1\",\"conversationSid\":\"CH1\","
            + "\"serviceSid\":\"IS-forged\",\"author\":\"mallory\",\"body\":\"hi\",\"timestamp\":1}", 1,
            Map.of("serviceSid", "IS1", "author", "alice"));
        CommandLine noAuthor = JsonLines.parseCommand("{\"type\":\"DeleteConversation\",\"commandId\":\"c1\","
            + "\"conversationSid\":\"CH1\",\"timestamp\":1}", 1, Map.of("serviceSid", "IS1", "author", "alice"));

        assertThat(((SendMessage) parsed.command()).getServiceSid()).isEqualTo("IS1");
        assertThat(((SendMessage) parsed.command()).getAuthor()).isEqualTo("alice");
        assertThat(noAuthor.command().getSchema().getField("author")).isNull();
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`{\"type\":\"Nope\",\"commandId\":\"c1\"}`|type|unknown command type \"Nope\"; expected one of [CreateConversation,",
        "`{\"type\":5,\"commandId\":\"c1\"}`|type|unknown command type 5",
        "`{\"commandId\":\"c1\"}`|type|missing; expected a command type",
        "`{\"type\":\"ConversationCreated\",\"commandId\":\"c1\"}`|type|\"ConversationCreated\" is an output record, not a command",
        "`{\"type\":\"AddParticipant\",\"commandId\":\"c1\",\"serviceSid\":\"IS1\",\"conversationSid\":\"CH1\",\"timestamp\":1,\"colour\":\"red\"}`|colour|unknown field of AddParticipant (fields: commandId, serviceSid, timestamp, conversationSid,",
        "`{\"type\":\"AddParticipant\",\"commandId\":\"c1\",\"serviceSid\":\"IS1\",\"conversationSid\":\"CH1\",\"timestamp\":\"soon\"}`|timestamp|expected a number, got \"soon\"",
        "`{\"type\":\"AddParticipant\",\"commandId\":\"c1\",\"serviceSid\":\"IS1\",\"conversationSid\":\"CH1\",\"timestamp\":1.5}`|timestamp|expected a 64-bit integer, got 1.5",
        "`{\"type\":\"AddParticipant\",\"commandId\":\"c1\",\"serviceSid\":\"IS1\",\"conversationSid\":\"CH1\",\"timestamp\":99999999999999999999}`|timestamp|expected a 64-bit integer, got 99999999999999999999",
        "`{\"type\":\"AddParticipant\",\"commandId\":7,\"serviceSid\":\"IS1\",\"conversationSid\":\"CH1\",\"timestamp\":1}`|commandId|expected a string, got 7",
        "`{\"type\":\"SendMessage\",\"commandId\":\"c1\",\"serviceSid\":\"IS1\",\"conversationSid\":\"CH1\",\"timestamp\":1,\"media\":[{\"contentType\":\"image/png\",\"size\":1},{\"contentType\":\"image/png\",\"size\":\"big\"}]}`|media[1].size|expected a number, got \"big\"",
        "`{\"type\":\"SendMessage\",\"commandId\":\"c1\",\"serviceSid\":\"IS1\",\"conversationSid\":\"CH1\",\"timestamp\":1,\"media\":[{\"contentType\":\"image/png\",\"bytes\":1}]}`|media[0].bytes|unknown field of Media",
        "`{\"type\":\"SendMessage\",\"commandId\":\"c1\",\"serviceSid\":\"IS1\",\"conversationSid\":\"CH1\",\"timestamp\":1,\"media\":{\"size\":1}}`|media|expected an array, got {\"size\":1}",
        "`{\"type\":\"SendMessage\",\"commandId\":\"c1\",\"serviceSid\":\"IS1\",\"conversationSid\":\"CH1\",\"timestamp\":1,\"media\":[null]}`|media[0]|expected a value, got null",
        "`{\"type\":\"CreateConversation\",\"commandId\":\"c1\",\"serviceSid\":\"IS1\",\"conversationSid\":\"CH1\",\"timestamp\":1,\"state\":1}`|state|expected one of [active, inactive, closed], got 1",
        "`{\"type\":\"CreateConversation\",\"commandId\":\"c1\",\"serviceSid\":\"IS1\",\"conversationSid\":\"CH1\",\"timestamp\":1,\"state\":\"open\"}`|state|expected one of [active, inactive, closed], got \"open\"",
        "`{\"type\":\"AddParticipant\",\"commandId\":\"c1\",\"serviceSid\":\"IS1\",\"conversationSid\":\"CH1\",\"timestamp\":1,\"messagingBinding\":{\"type\":\"fax\",\"address\":\"+1\"}}`|messagingBinding.type|expected one of [sms, whatsapp], got \"fax\"",
        "`{\"type\":\"CreateRole\",\"commandId\":\"c1\",\"serviceSid\":\"IS1\",\"timestamp\":1,\"permissions\":[\"a\",2]}`|permissions[1]|expected a string, got 2",
        "`{\"type\":\"AddParticipant\",\"serviceSid\":\"IS1\",\"conversationSid\":\"CH1\",\"timestamp\":1}`|commandId|missing required field of AddParticipant",
        "`{\"type\":\"AddParticipant\",\"commandId\":null,\"serviceSid\":\"IS1\",\"conversationSid\":\"CH1\",\"timestamp\":1}`|commandId|missing required field of AddParticipant",
        "`{\"type\":\"AddParticipant\",\"commandId\":\"c1\",\"conversationSid\":\"CH1\",\"timestamp\":1}`|serviceSid|missing required field of AddParticipant",
        "`{\"type\":\"AddParticipant\",\"commandId\":\"c1\",\"serviceSid\":\"IS1\",\"conversationSid\":\"CH1\"}`|timestamp|missing required field of AddParticipant",
        "`{\"type\":\"AddParticipant\",\"commandId\":\"c1\",\"serviceSid\":\"IS1\",\"timestamp\":1}`|conversationSid|missing required field of AddParticipant",
        "`{\"type\":\"DeleteUser\",\"commandId\":\"c1\",\"timestamp\":1}`|serviceSid|missing required field of DeleteUser",
    })
    void rejectsAMalformedCommandLineNamingTheLineAndTheField(String line, String field, String problem) {
        JsonLineException e = catchThrowableOfType(JsonLineException.class, () -> JsonLines.parseCommand(line, 7));

        assertThat(e.lineNumber()).isEqualTo(7);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.problem()).contains(problem);
        assertThat(e.getMessage()).startsWith("line 7: field " + field + ": ");
    }

    @Test
    void formatsTheMessageWithLineFieldAndProblem() {
        String line = "{\"type\":\"SendMessage\",\"commandId\":\"c1\",\"serviceSid\":\"IS1\",\"conversationSid\":\"CH1\","
            + "\"timestamp\":1,\"media\":[{\"contentType\":\"image/png\",\"size\":\"big\"}]}";

        assertThatThrownBy(() -> JsonLines.parseCommand(line, 7))
            .isInstanceOf(JsonLineException.class)
            .hasMessage("line 7: field media[0].size: expected a number, got \"big\"");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`hello`|not JSON: Unrecognized token 'hello'",
        "`{\"type\":\"DeleteConversation\"`|not JSON: Unexpected end-of-input",
        "`[1,2]`|expected a command line (a JSON object), got array",
        "`\"AddParticipant\"`|expected a command line (a JSON object), got string",
        "`{\"type\":\"DeleteConversation\"} {}`|not JSON: Trailing token",
        "`{\"type\":\"DeleteConversation\",\"type\":\"CreateUser\"}`|not JSON: Duplicate field 'type'",
        "`   `|empty line",
    })
    void rejectsALineThatIsNotAJsonObjectWithoutAField(String line, String problem) {
        JsonLineException e = catchThrowableOfType(JsonLineException.class, () -> JsonLines.parseCommand(line, 12));

        assertThat(e.lineNumber()).isEqualTo(12);
        assertThat(e.field()).isNull();
        assertThat(e.getMessage()).startsWith("line 12: " + problem);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`{\"topic\":\"t\",\"key\":\"k\",\"value\":null,\"partition\":0}`|partition|unknown field of an output line",
        "`{\"key\":\"k\",\"value\":null}`|topic|missing required field",
        "`{\"topic\":1,\"key\":\"k\",\"value\":null}`|topic|expected a string, got 1",
        "`{\"topic\":\"t\",\"key\":2,\"value\":null}`|key|expected a string or null, got 2",
        "`{\"topic\":\"t\",\"key\":\"k\"}`|value|missing required field",
        "`{\"topic\":\"t\",\"key\":\"k\",\"value\":[]}`|value|expected an object or null, got []",
        "`{\"topic\":\"t\",\"key\":\"k\",\"value\":{\"type\":\"Nope\"}}`|value.type|unknown record type \"Nope\"",
        "`{\"topic\":\"t\",\"key\":\"k\",\"value\":{\"commandId\":\"c1\"}}`|value.type|missing; expected one of [CreateConversation,",
        "`{\"topic\":\"t\",\"key\":\"k\",\"value\":{\"type\":\"MessageRemoved\",\"commandId\":\"c1\",\"serviceSid\":\"IS1\",\"timestamp\":1,\"conversationSid\":\"CH1\",\"messageSid\":\"IM1\"}}`|value.index|missing required field of MessageRemoved",
        "`{\"topic\":\"t\",\"key\":\"k\",\"value\":{\"type\":\"DeliveryReceipt\",\"messageSid\":\"IM1\",\"conversationSid\":\"CH1\",\"participantSid\":\"MB1\",\"status\":\"lost\",\"timestamp\":1}}`|value.status|expected one of [sent, delivered, read, failed, undelivered], got \"lost\"",
    })
    void rejectsAMalformedOutputLineNamingTheField(String line, String field, String problem) {
        JsonLineException e = catchThrowableOfType(JsonLineException.class, () -> JsonLines.parseOutput(line, 4));

        assertThat(e.lineNumber()).isEqualTo(4);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.problem()).contains(problem);
    }

    @Test
    void mapsAHundredThousandLinesEachWayWithoutLosingAField() {
        // Speed is the benchmark's to measure (convo bench); here every one of many lines must come back whole.
        for (int i = 0; i < 100_000; i++) {
            String line = "{\"type\":\"SendMessage\",\"commandId\":\"c" + i + "\",\"serviceSid\":\"IS1\",\"conversationSid\":\"CH"
                + (i % 100) + "\",\"messageSid\":\"IM" + i + "\",\"author\":\"alice\",\"body\":\"hello " + i
                + "\",\"media\":[{\"contentType\":\"image/png\",\"size\":1024}],\"timestamp\":" + (1_800_000_000_000L + i) + "}";
            CommandLine parsed = JsonLines.parseCommand(line, i + 1);
            CommandLine again = JsonLines.parseCommand(JsonLines.commandLine(parsed.envelope()), i + 1);
            assertThat(again.envelope()).isEqualTo(parsed.envelope());
        }
    }
}
