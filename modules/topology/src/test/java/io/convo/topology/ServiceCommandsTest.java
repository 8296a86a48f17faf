package io.convo.topology;

import static io.convo.topology.Outcomes.accepted;
import static io.convo.topology.Outcomes.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.RoleCreated;
import io.convo.model.RoleUpdated;
import io.convo.model.UserCreated;
import io.convo.model.UserDeleted;
import io.convo.model.UserUpdated;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Users and roles of a service. */
class ServiceCommandsTest {

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
    void createsUpdatesAndDeletesUsers() {
        accepted(convo.outcome(given.createUser("alice")), UserCreated.class);
        rejected(convo.outcome(given.createUser("alice")), "USER_EXISTS");
        UserUpdated updated = accepted(convo.outcome(given.updateUser("alice", "Alice")), UserUpdated.class);
        assertThat(updated.getFriendlyName()).isEqualTo("Alice");
        accepted(convo.outcome(given.deleteUser("alice")), UserDeleted.class);
        rejected(convo.outcome(given.updateUser("alice", "Again")), "USER_NOT_FOUND");
        rejected(convo.outcome(given.deleteUser("alice")), "USER_NOT_FOUND");
    }

    @Test
    void createsAndUpdatesRoles() {
        accepted(convo.outcome(given.createRole("RL1")), RoleCreated.class);
        rejected(convo.outcome(given.createRole("RL1")), "ROLE_EXISTS");
        RoleUpdated updated = accepted(convo.outcome(given.updateRole("RL1", List.of("sendMessage", "addMember"))),
                RoleUpdated.class);
        assertThat(updated.getPermissions()).containsExactly("sendMessage", "addMember");
        assertThat(updated.getFriendlyName()).isEqualTo("admin");
        rejected(convo.outcome(given.updateRole("RL2", List.of("sendMessage"))), "ROLE_NOT_FOUND");
        rejected(convo.outcome(given.updateRole("RL1", List.of())), "INVALID_COMMAND");
        rejected(convo.outcome(given.updateRole("RL1", List.of("sendMesage"))), "INVALID_COMMAND");
        rejected(convo.outcome(given.updateRole("RL1", List.of("addMember", "addParticipant"))), "INVALID_COMMAND");
    }
}
