package io.convo.rules.conversation;

import static io.convo.rules.TestCommands.CONVERSATION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convo.rules.Command;
import io.convo.rules.Limits;
import io.convo.rules.TestCommands;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** Which command may start its identity check while older checks of its conversation are out. */
class PipelinedChecksTest {

    private final PipelinedChecks rule = new PipelinedChecks(Limits.defaults(), 32);
    private final Given given = Given.conversation().chatParticipants(3);

    private static Command chat(String participantSid, String identity) {
        return Command.of(TestCommands.addChat(CONVERSATION, participantSid, identity));
    }

    private static List<Command> commands(SpecificRecord... commands) {
        return java.util.Arrays.stream(commands).map(Command::of).toList();
    }

    private boolean mayRunAhead(Command next, List<Command> inFlight) {
        return rule.mayRunAhead(next, inFlight, given.state());
    }

    @Test
    void aChatAddOfAnotherIdentityRunsAheadOfChatAdds() {
        assertThat(mayRunAhead(chat("MB2", "bob"), List.of(chat("MB1", "alice")))).isTrue();
    }

    @Test
    void nothingRunsAheadWhenNothingIsInFlight() {
        assertThat(mayRunAhead(chat("MB2", "bob"), List.of())).isFalse();
    }

    @Test
    void aChatAddOfTheSameIdentityWaits() {
        assertThat(mayRunAhead(chat("MB2", "alice"), List.of(chat("MB1", "alice")))).isFalse();
    }

    @Test
    void aChatAddWithTheSameParticipantSidWaits() {
        assertThat(mayRunAhead(chat("MB1", "bob"), List.of(chat("MB1", "alice")))).isFalse();
    }

    @Test
    void aRetriedCommandWaitsForItsOriginal() {
        Command original = chat("MB1", "alice");
        Command retry = Command.of(TestCommands.withCommandId(TestCommands.addChat(CONVERSATION, "MB2", "bob"),
                original.commandId()));
        assertThat(mayRunAhead(retry, List.of(original))).isFalse();
    }

    @Test
    void aMessageARemovalOrARenameWaits() {
        List<Command> inFlight = List.of(chat("MB1", "alice"));
        assertThat(mayRunAhead(Command.of(TestCommands.sendMessage(CONVERSATION, "IM1", "user-0", "hi")), inFlight))
                .isFalse();
        assertThat(mayRunAhead(Command.of(TestCommands.removeParticipant(CONVERSATION, "MB-chat-0")), inFlight))
                .isFalse();
        assertThat(mayRunAhead(Command.of(TestCommands.renameConversation(CONVERSATION, "x")), inFlight)).isFalse();
    }

    @Test
    void aChatAddWaitsBehindAnythingButChatAdds() {
        assertThat(mayRunAhead(chat("MB2", "bob"),
                commands(TestCommands.addSms(CONVERSATION, "MB1", "+15550001", "+15559000")))).isFalse();
        assertThat(mayRunAhead(chat("MB2", "bob"), commands(TestCommands.renameConversation(CONVERSATION, "x"))))
                .isFalse();
    }

    @Test
    void bindingsAndProjectedChatsWait() {
        List<Command> inFlight = List.of(chat("MB1", "alice"));
        assertThat(mayRunAhead(Command.of(TestCommands.addSms(CONVERSATION, "MB2", "+15550002", "+15559000")),
                inFlight)).isFalse();
        assertThat(mayRunAhead(Command.of(TestCommands.addProjectedChat(CONVERSATION, "MB2", "bob", "+15559000")),
                inFlight)).isFalse();
    }

    @Test
    void aGroupMmsConversationRunsNothingAhead() {
        Given mms = Given.conversation().groupMmsMembers(2);
        assertThat(rule.mayRunAhead(chat("MB2", "bob"), List.of(chat("MB1", "alice")), mms.state())).isFalse();
    }

    @Test
    void aMissingConversationRunsNothingAhead() {
        assertThat(rule.mayRunAhead(chat("MB2", "bob"), List.of(chat("MB1", "alice")),
                Given.noConversation().state())).isFalse();
    }

    @Test
    void runsAheadWhileTheParticipantLimitAdmitsItWithEveryAddInFlightGranted() {
        PipelinedChecks limited = new PipelinedChecks(
                Limits.from(Map.of("convo.limits.participants-per-conversation", "5")), 32);
        List<Command> two = List.of(chat("MB1", "alice"), chat("MB2", "bob"));
        assertThat(limited.mayRunAhead(chat("MB3", "carol"), two, given.state())).as("3 + 2 + 1 > 5").isFalse();
        assertThat(limited.mayRunAhead(chat("MB3", "carol"), two.subList(0, 1), given.state()))
                .as("3 + 1 + 1 = 5").isTrue();
    }

    @Test
    void runsAheadWhileFewerThanTheMaximumAreInFlight() {
        PipelinedChecks two = new PipelinedChecks(Limits.defaults(), 2);
        assertThat(two.mayRunAhead(chat("MB3", "carol"), List.of(chat("MB1", "alice")), given.state())).isTrue();
        assertThat(two.mayRunAhead(chat("MB3", "carol"), List.of(chat("MB1", "alice"), chat("MB2", "bob")),
                given.state())).isFalse();
    }

    @Test
    void refusesAMaximumBelowOne() {
        assertThatThrownBy(() -> new PipelinedChecks(Limits.defaults(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one");
    }
}
