package io.convo.model.serde;

import io.convo.internal.Conversation;
import io.convo.internal.ParticipantState;
import io.convo.model.Channel;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.ConversationState;
import io.convo.model.CreateConversation;
import io.convo.model.Fixtures;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SingleObjectSerdeTest {

    private static final String TOPIC = "conversation-commands";

    static List<SpecificRecord> everyTopLevelRecord() {
        return Fixtures.everyTopLevelRecord();
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> Serde<T> serdeFor(T record) {
        return ConvoSerdes.valueSerde((Class<T>) record.getClass(), Map.of());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyTopLevelRecord")
    void roundTripsEveryEnvelopeAndRecordType(SpecificRecord record) {
        Serde<SpecificRecord> serde = serdeFor(record);

        byte[] bytes = serde.serializer().serialize(TOPIC, record);
        SpecificRecord read = serde.deserializer().deserialize(TOPIC, bytes);

        assertThat(read).isEqualTo(record);
    }

    @Test
    void writesTheSingleObjectHeaderAndTheSchemaFingerprint() {
        ConversationCommand command = Fixtures.conversationCommand(Fixtures.conversationCommands().get(0));

        byte[] bytes = ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).serializer().serialize(TOPIC, command);

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(fingerprint).isEqualTo(SchemaNormalization.parsingFingerprint64(ConversationCommand.getClassSchema()));
    }

    @Test
    void decodesStringsAsJavaStrings() {
        ConversationCommand command = Fixtures.conversationCommand(Fixtures.conversationCommands().get(0));
        Serde<ConversationCommand> serde = ConvoSerdes.valueSerde(ConversationCommand.class, Map.of());

        ConversationCommand read = serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, command));

        assertThat(((CreateConversation) read.getCommand()).getCommandId()).isInstanceOf(String.class);
    }

    @Test
    void serializesNullAsNull() {
        assertThat(ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).serializer().serialize(TOPIC, null)).isNull();
        assertThat(ConvoSerdes.internalSerde(Conversation.class).serializer().serialize(TOPIC, null)).isNull();
    }

    @Test
    void rejectsNullBytesOnAPublicTopic() {
        assertThatThrownBy(() -> deserialize(null))
            .isInstanceOf(SerializationException.class)
            .hasMessageContaining("null value")
            .hasMessageContaining(TOPIC);
    }

    @Test
    void readsNullBytesAsADeletedEntryInAStore() {
        assertThat(ConvoSerdes.internalSerde(Conversation.class).deserializer().deserialize("store-changelog", null))
            .isNull();
    }

    @Test
    void rejectsEmptyBytes() {
        assertThatThrownBy(() -> deserialize(new byte[0]))
            .isInstanceOf(SerializationException.class)
            .hasMessageContaining("empty value")
            .hasMessageContaining(TOPIC);
    }

    @Test
    void rejectsGarbageBytesNamingTheWrongMagic() {
        byte[] garbage = "{\"type\":\"CreateConversation\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThatThrownBy(() -> deserialize(garbage))
            .isInstanceOf(SerializationException.class)
            .hasMessageContaining("wrong magic 0x7B 0x22")
            .hasMessageContaining("io.convo.model.ConversationCommand")
            .hasMessageContaining(TOPIC);
    }

    @Test
    void rejectsBytesShorterThanTheHeader() {
        assertThatThrownBy(() -> deserialize(new byte[] {(byte) 0xC3, 0x01, 1, 2}))
            .isInstanceOf(SerializationException.class)
            .hasMessageContaining("4 bytes, shorter than the 10-byte single-object header");
    }

    @Test
    void rejectsATruncatedBody() {
        byte[] bytes = serialize(Fixtures.conversationCommand(Fixtures.conversationCommands().get(6)));
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 5);
        String fingerprint = String.format("0x%016x", SchemaNormalization.parsingFingerprint64(ConversationCommand.getClassSchema()));

        assertThatThrownBy(() -> deserialize(truncated))
            .isInstanceOf(SerializationException.class)
            .hasMessageContaining("truncated or corrupt Avro body")
            .hasMessageContaining(fingerprint)
            .hasMessageContaining(TOPIC);
    }

    @Test
    void rejectsBytesAfterTheRecord() {
        byte[] bytes = serialize(Fixtures.conversationCommand(Fixtures.conversationCommands().get(2)));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);

        assertThatThrownBy(() -> deserialize(longer))
            .isInstanceOf(SerializationException.class)
            .hasMessageContaining("3 unexpected bytes after the record");
    }

    @Test
    void rejectsAnUnknownFingerprintNamingItInHex() {
        byte[] bytes = serialize(Fixtures.conversationCommand(Fixtures.conversationCommands().get(2)));
        ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(0x0123456789abcdefL);

        assertThatThrownBy(() -> deserialize(bytes))
            .isInstanceOf(SerializationException.class)
            .hasMessageContaining("unknown schema fingerprint 0x0123456789abcdef")
            .hasMessageContaining("no shipped version of io.convo.model.ConversationCommand")
            .hasMessageContaining(TOPIC);
    }

    @Test
    void rejectsARecordOfAnotherTypeNamingThatType() {
        Serde<ConversationEvent> events = ConvoSerdes.valueSerde(ConversationEvent.class, Map.of());
        byte[] event = events.serializer().serialize(TOPIC, Fixtures.conversationCreated());

        assertThatThrownBy(() -> deserialize(event))
            .isInstanceOf(SerializationException.class)
            .hasMessageContaining("it is a version of io.convo.model.ConversationEvent, not of io.convo.model.ConversationCommand");
    }

    @Test
    void rejectsWritingARecordThatLacksARequiredField() {
        CreateConversation incomplete = new CreateConversation();
        incomplete.setCommandId("c1");

        assertThatThrownBy(() -> serialize(Fixtures.conversationCommand(incomplete)))
            .isInstanceOf(SerializationException.class)
            .hasMessageContaining("io.convo.model.ConversationCommand")
            .hasMessageContaining(TOPIC);
    }

    @Test
    void roundTripsStateStoreRecordsThroughTheInternalSerde() {
        Conversation conversation = Conversation.newBuilder().setServiceSid("IS1").setConversationSid("CH1")
            .setState(ConversationState.active).setNextMessageIndex(7L).setParticipants(1).setNonChatParticipants(0)
            .setGroupMmsMembers(0).setJoins(1L)
            .build();
        ParticipantState participant = ParticipantState.newBuilder().setParticipantSid("MB1").setChannel(Channel.chat)
            .setIdentity("alice").setJoinedAtIndex(0L).setJoinSeq(0L).build();
        Serde<Conversation> conversations = ConvoSerdes.internalSerde(Conversation.class);
        Serde<ParticipantState> participants = ConvoSerdes.internalSerde(ParticipantState.class);

        assertThat(conversations.deserializer().deserialize("s", conversations.serializer().serialize("s", conversation)))
            .isEqualTo(conversation);
        assertThat(participants.deserializer().deserialize("s", participants.serializer().serialize("s", participant)))
            .isEqualTo(participant);
    }

    private static byte[] serialize(ConversationCommand command) {
        return ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).serializer().serialize(TOPIC, command);
    }

    private static ConversationCommand deserialize(byte[] bytes) {
        return ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).deserializer().deserialize(TOPIC, bytes);
    }
}
