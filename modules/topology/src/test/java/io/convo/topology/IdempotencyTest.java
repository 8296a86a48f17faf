package io.convo.topology;

import static io.convo.topology.Outcomes.accepted;
import static io.convo.topology.Outcomes.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.CommandRejected;
import io.convo.model.ConversationCreated;
import io.convo.model.MessageAdded;
import io.convo.model.ParticipantAdded;
import io.convo.model.UserCreated;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPEC §4: a commandId already processed changes nothing and is answered DUPLICATE_COMMAND. */
class IdempotencyTest {

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

    @Test
    void theSameCommandTwiceGivesOneEventAndOneDuplicateCommand() {
        var create = given.create("CH1");
        accepted(convo.outcome(create), ConversationCreated.class);
        var join = given.chat("CH1", "MB1", "alice");
        accepted(convo.outcome(join), ParticipantAdded.class);
        var message = given.message("CH1", "IM1", "alice", "hello");
        accepted(convo.outcome(message), MessageAdded.class);

        CommandRejected again = rejected(convo.outcome(message), "DUPLICATE_COMMAND");
        assertThat(again.getCommandId()).isEqualTo(message.getCommandId());
        assertThat(again.getOriginalOutcome()).isEqualTo("MessageAdded");
        assertThat(rejected(convo.outcome(join), "DUPLICATE_COMMAND").getOriginalOutcome()).isEqualTo("ParticipantAdded");
        assertThat(rejected(convo.outcome(create), "DUPLICATE_COMMAND").getOriginalOutcome()).isEqualTo("ConversationCreated");
        // the duplicate message took no index
        assertThat(accepted(convo.outcome(given.message("CH1", "IM2", "alice", "next")), MessageAdded.class).getIndex())
                .isEqualTo(1);
    }

    @Test
    void aDuplicateOfARejectedCommandReportsTheOriginalRejection() {
        var orphan = given.chat("CH-none", "MB1", "alice");
        rejected(convo.outcome(orphan), "CONVERSATION_NOT_FOUND");
        accepted(convo.outcome(given.create("CH-none")), ConversationCreated.class);
        CommandRejected again = rejected(convo.outcome(orphan), "DUPLICATE_COMMAND");
        assertThat(again.getOriginalOutcome()).isEqualTo("CONVERSATION_NOT_FOUND");
    }

    @Test
    void serviceCommandsAreIdempotentToo() {
        var user = given.createUser("alice");
        accepted(convo.outcome(user), UserCreated.class);
        assertThat(rejected(convo.outcome(user), "DUPLICATE_COMMAND").getOriginalOutcome()).isEqualTo("UserCreated");
    }

    @Test
    void aDuplicateIsNotCountedAsAnAction() {
        accepted(convo.outcome(given.create("CH1")), ConversationCreated.class);
        accepted(convo.outcome(given.chat("CH1", "MB1", "alice")), ParticipantAdded.class);
        long second = 1_800_000_200_000L;
        given.at(second).every(1);
        var first = given.message("CH1", "IM0", "alice", "hi");
        accepted(convo.outcome(first), MessageAdded.class);
        for (int i = 0; i < 50; i++) {
            rejected(convo.outcome(first), "DUPLICATE_COMMAND");
        }
        for (int i = 1; i < 30; i++) {
            accepted(convo.outcome(given.message("CH1", "IM" + i, "alice", "hi")), MessageAdded.class);
        }
        rejected(convo.outcome(given.message("CH1", "IM30", "alice", "hi")), "RATE_LIMITED");
    }
}
