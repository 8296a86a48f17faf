package io.convo.rules;

import static io.convo.rules.TestCommands.CONVERSATION;
import static io.convo.rules.TestCommands.SERVICE;
import static io.convo.rules.TestCommands.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convo.model.ConversationCommand;
import io.convo.model.RateLimitScope;
import io.convo.model.ServiceCommand;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The typed header of a command record, and the APS scope of each command (the seed's APS table, L10). */
class CommandTest {

    static Stream<Arguments> everyCommand() {
        return Stream.of(
                Arguments.of(TestCommands.createConversation(CONVERSATION), "CreateConversation", RateLimitScope.service),
                Arguments.of(TestCommands.renameConversation(CONVERSATION, "n"), "UpdateConversation", RateLimitScope.conversation),
                Arguments.of(TestCommands.deleteConversation(CONVERSATION), "DeleteConversation", RateLimitScope.service),
                Arguments.of(TestCommands.addChat(CONVERSATION, "MB1", "alice"), "AddParticipant", RateLimitScope.conversation),
                Arguments.of(TestCommands.updateParticipant(CONVERSATION, "MB1"), "UpdateParticipant", RateLimitScope.conversation),
                Arguments.of(TestCommands.removeParticipant(CONVERSATION, "MB1"), "RemoveParticipant", RateLimitScope.conversation),
                Arguments.of(TestCommands.sendMessage(CONVERSATION, "IM1", "alice", "hi"), "SendMessage", RateLimitScope.conversation),
                Arguments.of(TestCommands.updateMessage(CONVERSATION, "IM1", "hi"), "UpdateMessage", RateLimitScope.conversation),
                Arguments.of(TestCommands.removeMessage(CONVERSATION, "IM1"), "RemoveMessage", RateLimitScope.conversation),
                Arguments.of(TestCommands.createUser("alice"), "CreateUser", RateLimitScope.service),
                Arguments.of(TestCommands.updateUser("alice"), "UpdateUser", RateLimitScope.service),
                Arguments.of(TestCommands.deleteUser("alice"), "DeleteUser", RateLimitScope.service),
                Arguments.of(TestCommands.createRole("RL1"), "CreateRole", RateLimitScope.service),
                Arguments.of(TestCommands.updateRole("RL1", "sendMessage"), "UpdateRole", RateLimitScope.service),
                Arguments.of(TestCommands.deleteRole("RL1"), "DeleteRole", RateLimitScope.service));
    }

    @ParameterizedTest(name = "{1} counts per {2}")
    @MethodSource("everyCommand")
    void readsTheCommonFieldsAndTheRateScope(SpecificRecord body, String type, RateLimitScope scope) {
        Command command = Command.of(body);
        assertThat(command.type()).isEqualTo(type);
        assertThat(command.scope()).isEqualTo(scope);
        assertThat(command.commandId()).startsWith("cmd-");
        assertThat(command.serviceSid()).isEqualTo(SERVICE);
        assertThat(command.timestamp()).isEqualTo(T0);
        assertThat(command.body()).isSameAs(body);
        boolean conversationCommand = !type.endsWith("User") && !type.endsWith("Role");
        assertThat(command.conversationSid()).isEqualTo(conversationCommand ? CONVERSATION : null);
    }

    @Test
    void readsACommandOutOfTheEnvelopeOfItsTopic() {
        SpecificRecord add = TestCommands.addChat(CONVERSATION, "MB1", "alice");
        assertThat(Command.of(new ConversationCommand(add)).body()).isSameAs(add);
        assertThat(Command.of(add).conversationEnvelope().getCommand()).isSameAs(add);
        SpecificRecord user = TestCommands.createUser("alice");
        assertThat(Command.of(new ServiceCommand(user)).type()).isEqualTo("CreateUser");
    }

    @Test
    void refusesARecordThatIsNoCommand() {
        assertThatThrownBy(() -> Command.of((SpecificRecord) null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a command: null");
        assertThatThrownBy(() -> Command.of((SpecificRecord) io.convo.rules.conversation.TestEvents.created(CONVERSATION)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ConversationCreated");
    }
}
