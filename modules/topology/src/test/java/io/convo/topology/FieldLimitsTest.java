package io.convo.topology;

import static io.convo.topology.CommandFactory.codePoints;
import static io.convo.topology.CommandFactory.jsonOfBytes;
import static io.convo.topology.CommandFactory.media;
import static io.convo.topology.CommandFactory.utf8Bytes;
import static io.convo.topology.Outcomes.accepted;
import static io.convo.topology.Outcomes.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.CommandRejected;
import io.convo.model.ConversationCreated;
import io.convo.model.ConversationUpdated;
import io.convo.model.CreateUser;
import io.convo.model.MessageAdded;
import io.convo.model.MessageUpdated;
import io.convo.model.ParticipantAdded;
import io.convo.model.ParticipantUpdated;
import io.convo.model.UserCreated;
import io.convo.rules.Limits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Step 1 of SPEC §3: every field limit (L1–L5, L5a, L11–L13) at its boundary, through the topology. */
class FieldLimitsTest {

    private static final String CH = "CH1";
    private final CommandFactory given = new CommandFactory();
    private ConvoDriver convo;

    @BeforeEach
    void start() {
        convo = new ConvoDriver();
    }

    @AfterEach
    void stop() {
        convo.close();
    }

    private void conversationWith(String... chatIdentities) {
        accepted(convo.outcome(given.create(CH)), ConversationCreated.class);
        for (int i = 0; i < chatIdentities.length; i++) {
            accepted(convo.outcome(given.chat(CH, "MB" + i, chatIdentities[i])), ParticipantAdded.class);
        }
    }

    @Test
    void acceptsAFriendlyNameOf256CharactersAndRejects257() {
        accepted(convo.outcome(given.create("CH256", codePoints(256), null)), ConversationCreated.class);
        CommandRejected r = rejected(convo.outcome(given.create("CH257", codePoints(257), null)), "FRIENDLY_NAME_TOO_LONG");
        assertThat(r.getTwilioCode()).isEqualTo(50003);
        assertThat(r.getLimit()).isEqualTo(256);
        assertThat(r.getReason()).contains("257").contains("256");
        assertThat(r.getKey()).isEqualTo("CH257");
    }

    @Test
    void checksTheFriendlyNameOfAnUpdateToo() {
        conversationWith();
        accepted(convo.outcome(given.rename(CH, codePoints(256))), ConversationUpdated.class);
        rejected(convo.outcome(given.rename(CH, codePoints(257))), "FRIENDLY_NAME_TOO_LONG");
    }

    @Test
    void acceptsABodyOf32768BytesAndRejects32769() {
        conversationWith("alice");
        accepted(convo.outcome(given.message(CH, "IM1", "alice", utf8Bytes(32_768))), MessageAdded.class);
        CommandRejected r = rejected(convo.outcome(given.message(CH, "IM2", "alice", utf8Bytes(32_769))), "BODY_TOO_LONG");
        assertThat(r.getTwilioCode()).isEqualTo(50504);
        assertThat(r.getReason()).contains("32769").contains("32768");
        rejected(convo.outcome(given.editMessage(CH, "IM1", utf8Bytes(32_769))), "BODY_TOO_LONG");
        accepted(convo.outcome(given.editMessage(CH, "IM1", utf8Bytes(32_768))), MessageUpdated.class);
    }

    @Test
    void acceptsAnIdentityOf256CharactersAndRejects257() {
        conversationWith();
        accepted(convo.outcome(given.chat(CH, "MB1", codePoints(256))), ParticipantAdded.class);
        CommandRejected r = rejected(convo.outcome(given.chat(CH, "MB2", codePoints(257))), "IDENTITY_TOO_LONG");
        assertThat(r.getTwilioCode()).isEqualTo(50207);
        CreateUser user = given.createUser(codePoints(257));
        rejected(convo.outcome(user), "IDENTITY_TOO_LONG");
        accepted(convo.outcome(given.createUser(codePoints(256))), UserCreated.class);
    }

    @Test
    void acceptsABindingAddressOf256CharactersAndRejects257() {
        conversationWith();
        accepted(convo.outcome(given.sms(CH, "MB1", "a".repeat(256), "+15550000001")), ParticipantAdded.class);
        rejected(convo.outcome(given.sms(CH, "MB2", "b".repeat(257), "+15550000001")), "ADDRESS_TOO_LONG");
    }

    @Test
    void acceptsAProxyAddressOf256CharactersAndRejects257() {
        conversationWith();
        accepted(convo.outcome(given.sms(CH, "MB1", "+15550000001", "p".repeat(256))), ParticipantAdded.class);
        rejected(convo.outcome(given.sms(CH, "MB2", "+15550000002", "q".repeat(257))), "PROXY_ADDRESS_TOO_LONG");
    }

    @Test
    void acceptsConversationAttributesOf16KbAndRejectsOneByteMore() {
        accepted(convo.outcome(given.create("CH1", null, jsonOfBytes(16_384))), ConversationCreated.class);
        CommandRejected r = rejected(convo.outcome(given.create("CH2", null, jsonOfBytes(16_385))), "ATTRIBUTES_TOO_LONG");
        assertThat(r.getTwilioCode()).isEqualTo(50303);
        assertThat(r.getLimit()).isEqualTo(16_384);
    }

    @Test
    void acceptsParticipantAttributesOf4KbAndRejectsOneByteMore() {
        conversationWith("alice");
        accepted(convo.outcome(given.participantAttributes(CH, "MB0", jsonOfBytes(4_096))), ParticipantUpdated.class);
        rejected(convo.outcome(given.participantAttributes(CH, "MB0", jsonOfBytes(4_097))), "ATTRIBUTES_TOO_LONG");
    }

    @Test
    void acceptsMessageAttributesOf4KbAndRejectsOneByteMore() {
        conversationWith("alice");
        accepted(convo.outcome(given.messageWithAttributes(CH, "IM1", jsonOfBytes(4_096))), MessageAdded.class);
        rejected(convo.outcome(given.messageWithAttributes(CH, "IM2", jsonOfBytes(4_097))), "ATTRIBUTES_TOO_LONG");
    }

    @Test
    void rejectsAttributesThatAreNotJson() {
        CommandRejected r = rejected(convo.outcome(given.create("CH1", null, "{not json")), "INVALID_COMMAND");
        assertThat(r.getReason()).contains("attributes");
    }

    @Test
    void acceptsAChatMediaFileOf150MbAndRejectsOneByteMore() {
        conversationWith("alice");
        accepted(convo.outcome(given.message(CH, "IM1", "alice", null, media("video/mp4", 150 * Limits.MB))), MessageAdded.class);
        CommandRejected r = rejected(convo.outcome(given.message(CH, "IM2", "alice", null,
                media("video/mp4", 150 * Limits.MB + 1))), "MEDIA_TOO_LARGE");
        assertThat(r.getTwilioCode()).isEqualTo(50512);
    }

    @Test
    void checksAMessageFromAnAuthorWhoIsNoParticipantAgainstTheChatLimits() {
        conversationWith();
        accepted(convo.outcome(given.message(CH, "IM1", "system", "hello", media("image/png", 150 * Limits.MB))),
                MessageAdded.class);
        rejected(convo.outcome(given.message(CH, "IM2", "system", null, media("image/png", 150 * Limits.MB + 1))),
                "MEDIA_TOO_LARGE");
    }

    @Test
    void acceptsTenMmsFilesFromAnSmsAuthorAndRejectsEleven() {
        conversationWith();
        accepted(convo.outcome(given.sms(CH, "MB1", "+15550000001", "+15559999999")), ParticipantAdded.class);
        io.convo.model.Media[] ten = new io.convo.model.Media[10];
        java.util.Arrays.fill(ten, media("image/jpeg", 100_000));
        accepted(convo.outcome(given.message(CH, "IM1", "+15550000001", null, ten)), MessageAdded.class);
        io.convo.model.Media[] eleven = new io.convo.model.Media[11];
        java.util.Arrays.fill(eleven, media("image/jpeg", 100_000));
        CommandRejected r = rejected(convo.outcome(given.message(CH, "IM2", "+15550000001", null, eleven)), "MMS_MEDIA_LIMIT");
        assertThat(r.getTwilioCode()).isEqualTo(21623);
        assertThat(r.getLimit()).isEqualTo(10);
    }

    @Test
    void acceptsAnMmsFileOf2MbAndRejectsOneByteMore() {
        conversationWith();
        accepted(convo.outcome(given.sms(CH, "MB1", "+15550000001", "+15559999999")), ParticipantAdded.class);
        accepted(convo.outcome(given.message(CH, "IM1", "+15550000001", null, media("image/jpeg", 2 * Limits.MB))),
                MessageAdded.class);
        CommandRejected r = rejected(convo.outcome(given.message(CH, "IM2", "+15550000001", null,
                media("image/jpeg", 2 * Limits.MB + 1))), "MMS_MEDIA_LIMIT");
        assertThat(r.getTwilioCode()).isNull();
    }

    @Test
    void acceptsMmsMediaOf5MbInAllAndRejectsOneByteMore() {
        conversationWith();
        accepted(convo.outcome(given.sms(CH, "MB1", "+15550000001", "+15559999999")), ParticipantAdded.class);
        long each = Limits.MB;
        accepted(convo.outcome(given.message(CH, "IM1", "+15550000001", null,
                media("image/jpeg", 2 * each), media("image/jpeg", 2 * each), media("image/png", each))), MessageAdded.class);
        CommandRejected r = rejected(convo.outcome(given.message(CH, "IM2", "+15550000001", null,
                media("image/jpeg", 2 * each), media("image/jpeg", 2 * each), media("image/png", each + 1))), "MMS_MEDIA_LIMIT");
        assertThat(r.getLimit()).isEqualTo(5 * Limits.MB);
    }

    @Test
    void acceptsOneWhatsappFileOf16MbAndRejectsOneByteMoreOrASecondFile() {
        conversationWith();
        accepted(convo.outcome(given.whatsapp(CH, "MB1", "whatsapp:+15550000001", "whatsapp:+15559999999")),
                ParticipantAdded.class);
        String author = "whatsapp:+15550000001";
        accepted(convo.outcome(given.message(CH, "IM1", author, null, media("image/jpeg", 16 * Limits.MB))), MessageAdded.class);
        rejected(convo.outcome(given.message(CH, "IM2", author, null, media("image/jpeg", 16 * Limits.MB + 1))),
                "WHATSAPP_MEDIA_LIMIT");
        rejected(convo.outcome(given.message(CH, "IM3", author, null, media("image/jpeg", 10), media("image/png", 10))),
                "WHATSAPP_MEDIA_LIMIT");
    }

    @Test
    void rejectsAMessageWithNeitherBodyNorMedia() {
        conversationWith("alice");
        CommandRejected r = rejected(convo.outcome(given.message(CH, "IM1", "alice", null)), "INVALID_COMMAND");
        assertThat(r.getReason()).contains("body or media");
    }

    @Test
    void rejectsAParticipantWithBothIdentityAndBinding() {
        conversationWith();
        var both = io.convo.model.AddParticipant.newBuilder(given.chat(CH, "MB1", "alice"))
                .setMessagingBinding(new io.convo.model.MessagingBinding(io.convo.model.BindingType.sms, "+1555", null)).build();
        CommandRejected r = rejected(convo.outcome(both), "INVALID_COMMAND");
        assertThat(r.getReason()).contains("identity").contains("messagingBinding");
    }

    @Test
    void rejectsACommandWhoseConversationSidIsNotItsKey() {
        var command = given.create("CH1");
        convo.sendRaw(convo.topics.conversationCommands(), "CH-other",
                io.convo.model.serde.ConvoSerdes.valueSerde(io.convo.model.ConversationCommand.class, java.util.Map.of())
                        .serializer().serialize("t", new io.convo.model.ConversationCommand(command)),
                command.getTimestamp());
        CommandRejected r = rejected(convo.outcomes().get(0), "INVALID_COMMAND");
        assertThat(r.getReason()).contains("CH-other");
        assertThat(r.getKey()).isEqualTo("CH-other");
    }
}
