package io.convo.topology;

import static io.convo.topology.Outcomes.accepted;
import static io.convo.topology.Outcomes.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.CommandRejected;
import io.convo.model.ConversationCreated;
import io.convo.model.MessageAdded;
import io.convo.model.ParticipantAdded;
import io.convo.model.RateLimitScope;
import io.convo.model.UserCreated;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** L10: 30 actions per second in 1-second tumbling windows, per conversation or per service (SPEC §2, §3). */
class RateLimitTest {

    private static final String CH = "CH1";
    /** A second boundary: windows are aligned to it. */
    private static final long SECOND = 1_800_000_100_000L;
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

    /** Sends {@code n} messages in one second, 10 ms apart from {@code start}. */
    private void messagesAt(long start, int n, String prefix) {
        for (int i = 0; i < n; i++) {
            given.at(start + 10L * i);
            accepted(convo.outcome(given.message(CH, prefix + i, "alice", "hi")), MessageAdded.class);
        }
    }

    @Test
    void acceptsThe30thActionInASecondAndRejectsThe31stUntilTheNextSecond() {
        messagesAt(SECOND, 30, "IM");
        given.at(SECOND + 400);
        CommandRejected r = rejected(convo.outcome(given.message(CH, "IM30", "alice", "hi")), "RATE_LIMITED");
        assertThat(r.getTwilioCode()).isEqualTo(50063);
        assertThat(r.getScope()).isEqualTo(RateLimitScope.conversation);
        assertThat(r.getLimit()).isEqualTo(30);
        assertThat(r.getRetryAfterMs()).isEqualTo(600);
        given.at(SECOND + 999);
        assertThat(rejected(convo.outcome(given.message(CH, "IM31", "alice", "hi")), "RATE_LIMITED").getRetryAfterMs())
                .isEqualTo(1);
        given.at(SECOND + 1_000);
        accepted(convo.outcome(given.message(CH, "IM32", "alice", "hi")), MessageAdded.class);
    }

    @Test
    void aConversationThatLagsBehindOthersKeepsItsWindow() {
        messagesAt(SECOND, 30, "IM");
        // another conversation moves the task's stream time 20 minutes on
        given.at(SECOND + 20 * 60_000);
        accepted(convo.outcome(given.create("CH-ahead")), ConversationCreated.class);
        accepted(convo.outcome(given.chat("CH-ahead", "MB1", "bob")), ParticipantAdded.class);
        given.at(SECOND + 500);
        rejected(convo.outcome(given.message(CH, "IM-late", "alice", "hi")), "RATE_LIMITED");
    }

    @Test
    void rejectsACommandWhoseWindowIsPastItsConversationsHorizon() {
        given.at(SECOND + 61 * 60_000);
        accepted(convo.outcome(given.message(CH, "IM-now", "alice", "hi")), MessageAdded.class);
        given.at(SECOND);
        CommandRejected old = rejected(convo.outcome(given.message(CH, "IM-old", "alice", "hi")), "INVALID_COMMAND");
        assertThat(old.getReason()).contains("3600 s before");
    }

    @Test
    void aServiceActionPastTheServicesHorizonIsRejectedWithItsReason() {
        given.at(SECOND + 61 * 60_000);
        accepted(convo.outcome(given.createUser("later")), io.convo.model.UserCreated.class);
        given.at(SECOND);
        CommandRejected old = rejected(convo.outcome(given.create("CH-old")), "INVALID_COMMAND");
        assertThat(old.getReason()).contains("3600 s before this service's latest action");
    }

    @Test
    void countsEachConversationSeparately() {
        messagesAt(SECOND, 30, "IM");
        given.at(SECOND + 500);
        accepted(convo.outcome(given.create("CH2")), ConversationCreated.class);
        accepted(convo.outcome(given.chat("CH2", "MB1", "alice")), ParticipantAdded.class);
    }

    @Test
    void aRejectedRateLimitedCommandIsNotAnAction() {
        messagesAt(SECOND, 30, "IM");
        for (int i = 0; i < 5; i++) {
            given.at(SECOND + 900);
            rejected(convo.outcome(given.message(CH, "IMx" + i, "alice", "hi")), "RATE_LIMITED");
        }
        messagesAt(SECOND + 1_000, 30, "IMnext");
    }

    @Test
    void anInvalidCommandIsNotAnActionButAStateRejectionIs() {
        given.at(SECOND).every(10);
        for (int i = 0; i < 10; i++) {
            rejected(convo.outcome(given.message(CH, "IMbad" + i, "alice", null)), "INVALID_COMMAND");
        }
        for (int i = 0; i < 10; i++) {
            rejected(convo.outcome(given.remove(CH, "MB-none-" + i)), "PARTICIPANT_NOT_FOUND");
        }
        // ten invalid commands did not count, ten not-found removals did: 20 left in this second
        given.at(SECOND + 500);
        for (int i = 0; i < 20; i++) {
            accepted(convo.outcome(given.message(CH, "IM" + i, "alice", "hi")), MessageAdded.class);
        }
        rejected(convo.outcome(given.message(CH, "IM20", "alice", "hi")), "RATE_LIMITED");
    }

    @Test
    void conversationCreatesAndUserCommandsShareTheServiceWindow() {
        given.at(SECOND).every(10);
        for (int i = 0; i < 20; i++) {
            accepted(convo.outcome(given.create("CHs" + i)), ConversationCreated.class);
        }
        for (int i = 0; i < 10; i++) {
            accepted(convo.outcome(given.createUser("user-" + i)), UserCreated.class);
        }
        CommandRejected create = rejected(convo.outcome(given.create("CHs20")), "RATE_LIMITED");
        assertThat(create.getScope()).isEqualTo(RateLimitScope.service);
        assertThat(create.getRetryAfterMs()).isEqualTo(700);
        CommandRejected user = rejected(convo.outcome(given.createUser("user-10")), "RATE_LIMITED");
        assertThat(user.getScope()).isEqualTo(RateLimitScope.service);
        // conversation-scoped actions are not in the service window
        accepted(convo.outcome(given.chat("CHs0", "MB1", "bob")), ParticipantAdded.class);
    }

    @Test
    void aServiceScopedCreateRejectedForItsStateStillCountsAsAnAction() {
        given.at(SECOND).every(10);
        for (int i = 0; i < 30; i++) {
            rejected(convo.outcome(given.create(CH)), "CONVERSATION_EXISTS");
        }
        rejected(convo.outcome(given.create("CH-new")), "RATE_LIMITED");
    }
}
