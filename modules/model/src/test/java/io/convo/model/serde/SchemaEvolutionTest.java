package io.convo.model.serde;

import io.convo.internal.CheckQueue;
import io.convo.model.AddParticipant;
import io.convo.model.Channel;
import io.convo.model.ConversationCommand;
import io.convo.model.CreateConversation;
import io.convo.model.Delivery;
import io.convo.model.Media;
import io.convo.model.SendMessage;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Records written with a retired schema version (test fixtures under convo/schemas/history/) are read into the
 * current generated classes.
 */
class SchemaEvolutionTest {

    private static final String TOPIC = "conversation-commands";

    private static Schema retired(String fullName) {
        return retired(fullName, s -> true);
    }

    private static Schema retired(String fullName, Predicate<Schema> which) {
        return SchemaCatalog.classpath().versions(fullName).stream()
            .filter(s -> !s.equals(SchemaCatalog.classpath().currentTypes().get(fullName)))
            .filter(which)
            .findFirst().orElseThrow();
    }

    /** The test fixture's envelope, from before CreateConversation had a uniqueName. */
    private static Schema envelopeBeforeUniqueName() {
        return retired("io.convo.model.ConversationCommand",
            s -> s.getField("command").schema().getTypes().get(0).getField("uniqueName") == null);
    }

    /** The shipped envelope from before commands had an actingIdentity. */
    private static Schema envelopeBeforeActingIdentity() {
        return retired("io.convo.model.ConversationCommand",
            s -> s.getField("command").schema().getTypes().get(0).getField("uniqueName") != null);
    }

    private static byte[] writeWith(Schema writer, GenericRecord record) throws Exception {
        ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(record);
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    @Test
    void shipsTheRetiredVersionsFoundUnderTheHistoryFolder() {
        assertThat(SchemaCatalog.classpath().versions("io.convo.model.ConversationCommand")).hasSize(3);
        assertThat(SchemaCatalog.classpath().versions("io.convo.model.ServiceCommand")).hasSize(2);
        assertThat(SchemaCatalog.classpath().versions("io.convo.model.Delivery")).hasSize(3);
        assertThat(SchemaCatalog.classpath().versions("io.convo.model.SendMessage")).hasSize(1);
        assertThat(SchemaCatalog.classpath().versions("io.convo.internal.CheckQueue")).hasSize(2);
    }

    @Test
    void decodesACheckQueueWrittenBeforeParkedCommandsCameInBatches() throws Exception {
        Schema old = retired("io.convo.internal.CheckQueue");
        assertThat(old.getField("parkedHeadBatch")).isNull();
        GenericRecord queue = new GenericRecordBuilder(old).set("inFlightHead", 3L).set("inFlightTail", 4L)
            .set("parkedHead", 0L).set("parkedTail", 0L).build();

        CheckQueue read = ConvoSerdes.internalSerde(CheckQueue.class).deserializer()
            .deserialize("check-queues", writeWith(old, queue));

        assertThat(read).isEqualTo(new CheckQueue(3L, 4L, 0L, 0L, 0L, 0L));
    }

    @Test
    void shipsEveryCurrentSchemaOfTheModel() {
        assertThat(SchemaCatalog.classpath().currentTypes())
            .containsKeys("io.convo.model.ConversationCommand", "io.convo.model.ServiceEvent",
                "io.convo.model.CommandRejected", "io.convo.model.Media", "io.convo.internal.Conversation")
            .hasSizeGreaterThanOrEqualTo(56);
    }

    @Test
    void decodesACommandWrittenWithTheOlderEnvelopeBeforeFieldsWithDefaultsWereAdded() throws Exception {
        Schema oldEnvelope = envelopeBeforeUniqueName();
        Schema oldCreate = oldEnvelope.getField("command").schema().getTypes().get(0);
        assertThat(oldCreate.getField("uniqueName")).isNull();
        GenericRecord create = new GenericRecordBuilder(oldCreate).set("commandId", "c1").set("serviceSid", "IS1")
            .set("timestamp", 1_800_000_000_000L).set("conversationSid", "CH1").set("friendlyName", "Support")
            .set("attributes", "{\"a\":1}").build();
        byte[] bytes = writeWith(oldEnvelope, new GenericRecordBuilder(oldEnvelope).set("command", create).build());

        ConversationCommand read = ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).deserializer()
            .deserialize(TOPIC, bytes);

        assertThat(read.getCommand()).isEqualTo(CreateConversation.newBuilder().setCommandId("c1").setServiceSid("IS1")
            .setTimestamp(1_800_000_000_000L).setConversationSid("CH1").setFriendlyName("Support")
            .setAttributes("{\"a\":1}").setUniqueName(null).setState(null).build());
    }

    @Test
    void decodesAMessageWrittenBeforeCommandsNamedAnActingIdentityAsABackendsCommand() throws Exception {
        Schema oldEnvelope = envelopeBeforeActingIdentity();
        Schema oldSend = oldEnvelope.getField("command").schema().getTypes().get(6);
        assertThat(oldSend.getName()).isEqualTo("SendMessage");
        assertThat(oldSend.getField("actingIdentity")).isNull();
        GenericRecord send = new GenericRecordBuilder(oldSend).set("commandId", "c7").set("serviceSid", "IS1")
            .set("timestamp", 7L).set("conversationSid", "CH1").set("messageSid", "IM1").set("author", "alice")
            .set("body", "hi").build();
        byte[] bytes = writeWith(oldEnvelope, new GenericRecordBuilder(oldEnvelope).set("command", send).build());

        ConversationCommand read = ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).deserializer()
            .deserialize(TOPIC, bytes);

        SendMessage message = (SendMessage) read.getCommand();
        assertThat(message.getBody()).isEqualTo("hi");
        assertThat(message.getActingIdentity()).isNull();
    }

    @Test
    void decodesAnUnchangedCommandWrittenWithTheOlderEnvelope() throws Exception {
        Schema oldEnvelope = envelopeBeforeUniqueName();
        Schema add = AddParticipant.getClassSchema();
        GenericRecord addParticipant = new GenericRecordBuilder(oldEnvelope.getField("command").schema().getTypes().get(3))
            .set("commandId", "c4").set("serviceSid", "IS1").set("timestamp", 5L).set("conversationSid", "CH1")
            .set("participantSid", "MB1").set("identity", "alice").build();
        assertThat(addParticipant.getSchema().getFullName()).isEqualTo(add.getFullName());
        byte[] bytes = writeWith(oldEnvelope, new GenericRecordBuilder(oldEnvelope).set("command", addParticipant).build());

        ConversationCommand read = ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).deserializer()
            .deserialize(TOPIC, bytes);

        assertThat(read.getCommand()).isInstanceOf(AddParticipant.class);
        assertThat(((AddParticipant) read.getCommand()).getIdentity()).isEqualTo("alice");
    }

    @Test
    void decodesADeliveryWrittenBeforeBodyDroppedAndRecipientsExistedWithTheirDefaults() throws Exception {
        Schema old = retired("io.convo.model.Delivery");
        Schema media = Media.getClassSchema();
        GenericRecord file = new GenericRecordBuilder(old.getField("media").schema().getElementType())
            .set("contentType", "image/png").set("size", 12L).set("filename", null).build();
        assertThat(file.getSchema().getFullName()).isEqualTo(media.getFullName());
        GenericRecord delivery = new GenericRecordBuilder(old).set("messageSid", "IM1").set("conversationSid", "CH1")
            .set("serviceSid", "IS1").set("index", 4L).set("participantSid", "MB2")
            .set("channel", new GenericData.EnumSymbol(old.getField("channel").schema(), "sms"))
            .set("to", "+15550002").set("from", "+15550003").set("author", "alice").set("body", "hi")
            .set("media", List.of(file)).set("timestamp", 9L).build();

        Delivery read = ConvoSerdes.valueSerde(Delivery.class, Map.of()).deserializer()
            .deserialize("delivery-sms", writeWith(old, delivery));

        assertThat(read.getBodyDropped()).isFalse();
        assertThat(read.getRecipients()).isEmpty();
        assertThat(read.getChannel()).isEqualTo(Channel.sms);
        assertThat(read.getBody()).isEqualTo("hi");
        assertThat(read.getIndex()).isEqualTo(4L);
        assertThat(read.getMedia()).containsExactly(new Media("image/png", 12L, null));
    }

    @Test
    void refusesARetiredVersionTheCurrentSchemaCannotRead() {
        Map<String, String> current = Map.of("Thing.avsc",
            "{\"type\":\"record\",\"name\":\"Thing\",\"namespace\":\"t\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"},"
                + "{\"name\":\"b\",\"type\":\"long\"}]}");
        Map<String, String> history = Map.of("history/Thing.v1.avsc",
            "{\"type\":\"record\",\"name\":\"Thing\",\"namespace\":\"t\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");

        assertThatThrownBy(() -> SchemaCatalog.of(current, history))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("history/Thing.v1.avsc")
            .hasMessageContaining("cannot be read as the current t.Thing");
    }

    @Test
    void refusesARetiredVersionOfATypeThatNoLongerExists() {
        Map<String, String> history = Map.of("history/Gone.v1.avsc",
            "{\"type\":\"record\",\"name\":\"Gone\",\"fields\":[]}");

        assertThatThrownBy(() -> SchemaCatalog.of(Map.of(), history))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("no current schema defines");
    }

    @Test
    void parsesCurrentFilesThatReferenceTypesDefinedInLaterFiles() {
        Map<String, String> current = new java.util.TreeMap<>(Map.of(
            "A.avsc", "{\"type\":\"record\",\"name\":\"A\",\"namespace\":\"t\",\"fields\":[{\"name\":\"z\",\"type\":\"t.Z\"}]}",
            "Z.avsc", "{\"type\":\"enum\",\"name\":\"Z\",\"namespace\":\"t\",\"symbols\":[\"x\"]}"));

        SchemaCatalog catalog = SchemaCatalog.of(current, Map.of());

        assertThat(catalog.currentTypes()).containsKeys("t.A", "t.Z");
        assertThat(catalog.versions("t.A").get(0).getField("z").schema().getType()).isEqualTo(Schema.Type.ENUM);
    }
}
