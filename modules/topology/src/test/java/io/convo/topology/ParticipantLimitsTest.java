package io.convo.topology;

import static io.convo.topology.Outcomes.accepted;
import static io.convo.topology.Outcomes.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.CommandRejected;
import io.convo.model.ConversationCreated;
import io.convo.model.ParticipantAdded;
import io.convo.model.ParticipantRemoved;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** L6–L8 and PARTICIPANT_EXISTS, at their boundaries. */
class ParticipantLimitsTest {

    private static final String CH = "CH1";
    private final CommandFactory given = new CommandFactory();
    private ConvoDriver convo;

    @BeforeEach
    void start() {
        convo = new ConvoDriver();
        accepted(convo.outcome(given.create(CH)), ConversationCreated.class);
    }

    @AfterEach
    void stop() {
        convo.close();
    }

    @Test
    void acceptsThe1000thParticipantAndRejectsThe1001st() {
        for (int i = 1; i <= 1000; i++) {
            accepted(convo.outcome(given.chat(CH, "MB" + i, "user-" + i)), ParticipantAdded.class);
        }
        CommandRejected r = rejected(convo.outcome(given.chat(CH, "MB1001", "user-1001")), "PARTICIPANT_LIMIT");
        assertThat(r.getTwilioCode()).isEqualTo(50417);
        assertThat(r.getLimit()).isEqualTo(1000);
        assertThat(r.getReason()).contains("1000 participants");
        rejected(convo.outcome(given.sms(CH, "MB1002", "+15550001002", "+15559999999")), "PARTICIPANT_LIMIT");
    }

    @Test
    void admitsAParticipantAgainOnceOneLeavesAFullConversation() {
        for (int i = 1; i <= 1000; i++) {
            accepted(convo.outcome(given.chat(CH, "MB" + i, "user-" + i)), ParticipantAdded.class);
        }
        accepted(convo.outcome(given.remove(CH, "MB7")), ParticipantRemoved.class);
        accepted(convo.outcome(given.chat(CH, "MB1001", "user-1001")), ParticipantAdded.class);
        rejected(convo.outcome(given.chat(CH, "MB1002", "user-1002")), "PARTICIPANT_LIMIT");
    }

    @Test
    void acceptsThe50thNonChatParticipantAndRejectsThe51st() {
        for (int i = 1; i <= 50; i++) {
            var add = i % 2 == 0
                    ? given.sms(CH, "MB" + i, "+1555000" + (1000 + i), "+15559999999")
                    : given.whatsapp(CH, "MB" + i, "whatsapp:+1555000" + (1000 + i), "whatsapp:+15559999999");
            accepted(convo.outcome(add), ParticipantAdded.class);
        }
        CommandRejected r = rejected(convo.outcome(given.sms(CH, "MB51", "+15550001051", "+15559999999")),
                "NON_CHAT_PARTICIPANT_LIMIT");
        assertThat(r.getTwilioCode()).isEqualTo(50418);
        assertThat(r.getLimit()).isEqualTo(50);
        // chat participants still fit: the 50 are inside the 1000
        accepted(convo.outcome(given.chat(CH, "MB52", "alice")), ParticipantAdded.class);
    }

    @Test
    void acceptsThe10thGroupMmsParticipantAndRejectsThe11th() {
        // an SMS binding without a proxy address makes the conversation a group MMS conversation
        accepted(convo.outcome(given.sms(CH, "MB1", "+15550000001", null)), ParticipantAdded.class);
        for (int i = 2; i <= 9; i++) {
            accepted(convo.outcome(given.sms(CH, "MB" + i, "+1555000000" + i, null)), ParticipantAdded.class);
        }
        accepted(convo.outcome(given.projectedChat(CH, "MB10", "alice", "+15551111111")), ParticipantAdded.class);
        CommandRejected r = rejected(convo.outcome(given.chat(CH, "MB11", "bob")), "GROUP_MMS_PARTICIPANT_LIMIT");
        assertThat(r.getTwilioCode()).isEqualTo(50436);
        assertThat(r.getLimit()).isEqualTo(10);
    }

    @Test
    void rejectsTheParticipantThatWouldMakeAConversationOfTenAGroupMms() {
        for (int i = 1; i <= 10; i++) {
            accepted(convo.outcome(given.chat(CH, "MB" + i, "user-" + i)), ParticipantAdded.class);
        }
        rejected(convo.outcome(given.sms(CH, "MB11", "+15550000011", null)), "GROUP_MMS_PARTICIPANT_LIMIT");
        accepted(convo.outcome(given.sms(CH, "MB12", "+15550000012", "+15559999999")), ParticipantAdded.class);
    }

    @Test
    void rejectsAnIdentityOrBindingAlreadyInTheConversation() {
        accepted(convo.outcome(given.chat(CH, "MB1", "alice")), ParticipantAdded.class);
        accepted(convo.outcome(given.sms(CH, "MB2", "+15550000001", "+15559999999")), ParticipantAdded.class);
        rejected(convo.outcome(given.chat(CH, "MB3", "alice")), "PARTICIPANT_EXISTS");
        rejected(convo.outcome(given.chat(CH, "MB1", "carol")), "PARTICIPANT_EXISTS");
        CommandRejected binding = rejected(convo.outcome(given.sms(CH, "MB4", "+15550000001", "+15559999999")),
                "PARTICIPANT_EXISTS");
        assertThat(binding.getTwilioCode()).isEqualTo(50416);
    }

    @Test
    void rejectsParticipantsOfAConversationThatDoesNotExist() {
        rejected(convo.outcome(given.chat("CH-none", "MB1", "alice")), "CONVERSATION_NOT_FOUND");
        rejected(convo.outcome(given.remove(CH, "MB-none")), "PARTICIPANT_NOT_FOUND");
    }
}
