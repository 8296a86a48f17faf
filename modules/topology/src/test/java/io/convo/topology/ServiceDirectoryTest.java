package io.convo.topology;

import static io.convo.topology.Outcomes.accepted;
import static io.convo.topology.Outcomes.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.AddParticipant;
import io.convo.model.ConversationCreated;
import io.convo.model.CreateRole;
import io.convo.model.CreateUser;
import io.convo.model.MessageAdded;
import io.convo.model.MessageUpdated;
import io.convo.model.ParticipantAdded;
import io.convo.model.RoleCreated;
import io.convo.model.RoleDeleted;
import io.convo.model.RoleType;
import io.convo.model.RoleUpdated;
import io.convo.model.SendMessage;
import io.convo.model.UpdateMessage;
import io.convo.model.UserCreated;
import io.convo.rules.permission.DefaultRoles;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §9 through the topology: the role commands of {@code service-commands} reach the conversation engine's
 * permission checks through the global service directory built from {@code service-events}: roles, and users'
 * roles for what no participant can decide (creating a conversation).
 */
class ServiceDirectoryTest {

    private final CommandFactory given = new CommandFactory();
    private final ConvoDriver convo = new ConvoDriver();

    @AfterEach
    void stop() {
        convo.close();
    }

    private static <C extends SpecificRecordBase> C as(String identity, C command) {
        command.put("actingIdentity", identity);
        return command;
    }

    private UpdateMessage carolEditsAlicesMessage() {
        return as("carol", given.editMessage("CH1", "IM1", "moderated"));
    }

    @Test
    void roleCommandsChangeWhatAParticipantMayDo() {
        accepted(convo.outcome(given.create("CH1")), ConversationCreated.class);
        accepted(convo.outcome(given.chat("CH1", "MB1", "alice")), ParticipantAdded.class);
        accepted(convo.outcome(given.createRole("RLmod")), RoleCreated.class);
        accepted(convo.outcome(AddParticipant.newBuilder(given.chat("CH1", "MB2", "carol")).setRoleSid("RLmod").build()),
                ParticipantAdded.class);
        accepted(convo.outcome(as("alice", given.message("CH1", "IM1", "alice", "hi"))), MessageAdded.class);

        String refusal = rejected(convo.outcome(carolEditsAlicesMessage()), "NOT_AUTHORIZED").getReason();
        assertThat(refusal).contains("carol may not edit message IM1 of alice", "RLmod", "editAnyMessage");

        accepted(convo.outcome(given.updateRole("RLmod", List.of("sendMessage", "editAnyMessage"))), RoleUpdated.class);
        accepted(convo.outcome(carolEditsAlicesMessage()), MessageUpdated.class);

        accepted(convo.outcome(given.deleteRole("RLmod")), RoleDeleted.class);
        assertThat(rejected(convo.outcome(carolEditsAlicesMessage()), "NOT_AUTHORIZED").getReason())
                .as("a participant whose role is gone acts as a channel user").contains("channel user");
    }

    @Test
    void aChangedDefaultRoleReachesEveryConversation() {
        accepted(convo.outcome(given.create("CH1")), ConversationCreated.class);
        accepted(convo.outcome(given.chat("CH1", "MB1", "alice")), ParticipantAdded.class);
        SendMessage hi = as("alice", given.message("CH1", "IM1", "alice", "hi"));
        accepted(convo.outcome(hi), MessageAdded.class);

        String channelUser = DefaultRoles.CHANNEL_USER.sid(CommandFactory.SERVICE);
        accepted(convo.outcome(given.updateRole(channelUser, List.of("leaveConversation"))), RoleUpdated.class);
        assertThat(rejected(convo.outcome(as("alice", given.message("CH1", "IM2", "alice", "again"))),
                "NOT_AUTHORIZED").getTwilioCode()).isEqualTo(50107);
    }

    @Test
    void aUsersServiceRoleDecidesWhetherItMayCreateAConversation() {
        accepted(convo.outcome(given.createUser("alice")), UserCreated.class);
        accepted(convo.outcome(as("alice", given.create("CH1"))), ConversationCreated.class);

        CreateRole guest = CreateRole.newBuilder(given.createRole("RLguest")).setRoleType(RoleType.service)
                .setPermissions(List.of("joinConversation")).build();
        accepted(convo.outcome(guest), RoleCreated.class);
        accepted(convo.outcome(CreateUser.newBuilder(given.createUser("guest")).setRoleSid("RLguest").build()),
                UserCreated.class);
        assertThat(rejected(convo.outcome(as("guest", given.create("CH2"))), "NOT_AUTHORIZED").getReason())
                .contains("guest may not create conversation CH2", "createConversation");
    }
}
