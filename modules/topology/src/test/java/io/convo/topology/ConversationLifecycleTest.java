package io.convo.topology;

import static io.convo.topology.Outcomes.accepted;
import static io.convo.topology.Outcomes.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.ParticipantState;
import io.convo.rules.state.StateKeys;
import io.convo.model.CommandRejected;
import io.convo.model.ConversationCreated;
import io.convo.model.ConversationDeleted;
import io.convo.model.ConversationState;
import io.convo.model.ConversationUpdated;
import io.convo.model.MessageAdded;
import io.convo.model.MessageRemoved;
import io.convo.model.MessageUpdated;
import io.convo.model.ParticipantAdded;
import io.convo.model.ParticipantUpdated;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPEC §5: conversation states, message indexes and the read horizon. */
class ConversationLifecycleTest {

    private static final String CH = "CH1";
    private final CommandFactory given = new CommandFactory();
    private ConvoDriver convo;

    @BeforeEach
    void start() {
        convo = new ConvoDriver();
        accepted(convo.outcome(given.create(CH)), ConversationCreated.class);
        accepted(convo.outcome(given.chat(CH, "MB1", "alice")), ParticipantAdded.class);
    }

    @AfterEach
    void stop() {
        convo.close();
    }

    @Test
    void rejectsACreateOfAConversationThatExists() {
        rejected(convo.outcome(given.create(CH)), "CONVERSATION_EXISTS");
    }

    @Test
    void numbersMessagesWithoutGapsAndKeepsIndexesWhenOneIsRemoved() {
        for (int i = 0; i < 3; i++) {
            MessageAdded m = accepted(convo.outcome(given.message(CH, "IM" + i, "alice", "m" + i)), MessageAdded.class);
            assertThat(m.getIndex()).isEqualTo(i);
        }
        MessageRemoved removed = accepted(convo.outcome(given.removeMessage(CH, "IM1")), MessageRemoved.class);
        assertThat(removed.getIndex()).isEqualTo(1);
        rejected(convo.outcome(given.removeMessage(CH, "IM1")), "MESSAGE_NOT_FOUND");
        rejected(convo.outcome(given.editMessage(CH, "IM1", "again")), "MESSAGE_NOT_FOUND");
        assertThat(accepted(convo.outcome(given.editMessage(CH, "IM2", "edited")), MessageUpdated.class).getIndex()).isEqualTo(2);
        assertThat(accepted(convo.outcome(given.message(CH, "IM3", "alice", "m3")), MessageAdded.class).getIndex()).isEqualTo(3);
        rejected(convo.outcome(given.message(CH, "IM3", "alice", "again")), "INVALID_COMMAND");
    }

    @Test
    void theReadHorizonNeverMovesBackwards() {
        for (int i = 0; i < 5; i++) {
            accepted(convo.outcome(given.message(CH, "IM" + i, "alice", "m" + i)), MessageAdded.class);
        }
        assertThat(accepted(convo.outcome(given.readUpTo(CH, "MB1", 3)), ParticipantUpdated.class)
                .getLastReadMessageIndex()).isEqualTo(3);
        assertThat(accepted(convo.outcome(given.readUpTo(CH, "MB1", 1)), ParticipantUpdated.class)
                .getLastReadMessageIndex()).isEqualTo(3);
        ParticipantState state = convo.<ParticipantState>store(StoreNames.PARTICIPANTS).get(StateKeys.key(CH, "MB1"));
        assertThat(state.getLastReadMessageIndex()).isEqualTo(3);
        assertThat(accepted(convo.outcome(given.readUpTo(CH, "MB1", 4)), ParticipantUpdated.class)
                .getLastReadMessageIndex()).isEqualTo(4);
        CommandRejected past = rejected(convo.outcome(given.readUpTo(CH, "MB1", 5)), "MESSAGE_NOT_FOUND");
        assertThat(past.getReason()).contains("5").contains("4");
    }

    @Test
    void aClosedConversationRejectsMessagesAndParticipantChangesAndStaysClosed() {
        accepted(convo.outcome(given.update(CH, ConversationState.inactive)), ConversationUpdated.class);
        accepted(convo.outcome(given.update(CH, ConversationState.active)), ConversationUpdated.class);
        accepted(convo.outcome(given.update(CH, ConversationState.closed)), ConversationUpdated.class);
        CommandRejected message = rejected(convo.outcome(given.message(CH, "IM1", "alice", "hi")), "CONVERSATION_CLOSED");
        assertThat(message.getTwilioCode()).isEqualTo(50377);
        rejected(convo.outcome(given.chat(CH, "MB2", "bob")), "CONVERSATION_CLOSED");
        rejected(convo.outcome(given.remove(CH, "MB1")), "CONVERSATION_CLOSED");
        rejected(convo.outcome(given.readUpTo(CH, "MB1", 0)), "CONVERSATION_CLOSED");
        rejected(convo.outcome(given.update(CH, ConversationState.active)), "CONVERSATION_CLOSED");
        rejected(convo.outcome(given.update(CH, ConversationState.inactive)), "CONVERSATION_CLOSED");
        ConversationUpdated renamed = accepted(convo.outcome(given.rename(CH, "archived")), ConversationUpdated.class);
        assertThat(renamed.getState()).isEqualTo(ConversationState.closed);
        accepted(convo.outcome(given.delete(CH)), ConversationDeleted.class);
    }

    @Test
    void aDeletedConversationIsGoneWithItsMessages() {
        accepted(convo.outcome(given.message(CH, "IM1", "alice", "hi")), MessageAdded.class);
        accepted(convo.outcome(given.delete(CH)), ConversationDeleted.class);
        rejected(convo.outcome(given.message(CH, "IM2", "alice", "hi")), "CONVERSATION_NOT_FOUND");
        rejected(convo.outcome(given.delete(CH)), "CONVERSATION_NOT_FOUND");
        accepted(convo.outcome(given.create(CH)), ConversationCreated.class);
        assertThat(accepted(convo.outcome(given.message(CH, "IM1", "alice", "again")), MessageAdded.class).getIndex())
                .isZero();
    }
}
