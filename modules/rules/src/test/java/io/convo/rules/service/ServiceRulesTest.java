package io.convo.rules.service;

import static io.convo.rules.Rejections.assertRejected;
import static io.convo.rules.Rejections.rejection;
import static io.convo.rules.TestCommands.SERVICE;
import static io.convo.rules.TestCommands.createRole;
import static io.convo.rules.TestCommands.createUser;
import static io.convo.rules.TestCommands.deleteRole;
import static io.convo.rules.TestCommands.deleteUser;
import static io.convo.rules.TestCommands.updateRole;
import static io.convo.rules.TestCommands.updateUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convo.internal.RoleState;
import io.convo.internal.UserState;
import io.convo.model.CreateRole;
import io.convo.model.CreateUser;
import io.convo.model.RejectionCode;
import io.convo.model.RoleCreated;
import io.convo.model.RoleDeleted;
import io.convo.model.RoleType;
import io.convo.model.RoleUpdated;
import io.convo.model.ServiceEvent;
import io.convo.model.UpdateRole;
import io.convo.model.UpdateUser;
import io.convo.model.UserCreated;
import io.convo.model.UserDeleted;
import io.convo.model.UserUpdated;
import io.convo.rules.Command;
import io.convo.rules.Decision;
import io.convo.rules.Limits;
import io.convo.rules.TestCommands;
import io.convo.rules.permission.DefaultRoles;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Users and roles of a service: decide against the service's state, and the fold of its events. */
class ServiceRulesTest {

    private final ServiceRules rules = new ServiceRules(Limits.defaults());
    private final ServiceAggregate.Stores stores = ServiceAggregate.Stores.inMemory();
    private final ServiceAggregate service = new ServiceAggregate(stores, SERVICE);

    private Decision decide(SpecificRecord command) {
        return rules.decide(Command.of(command), service);
    }

    /** Decides {@code command}, which must be accepted, and folds its event. */
    @SuppressWarnings("unchecked")
    private <E extends SpecificRecord> E apply(SpecificRecord command, Class<E> type) {
        Decision decision = decide(command);
        assertThat(decision).isInstanceOf(Decision.Accepted.class);
        SpecificRecord event = ((Decision.Accepted) decision).events().get(0);
        assertThat(event).isInstanceOf(type);
        assertThat(ServiceFold.evolve(service, event)).isNotNull();
        return (E) event;
    }

    @Nested
    class Users {

        @Test
        void createsAUser() {
            UserCreated created = apply(CreateUser.newBuilder(createUser("alice")).setFriendlyName("Alice")
                    .setAttributes("{}").setRoleSid("RL1").build(), UserCreated.class);
            assertThat(created.getIdentity()).isEqualTo("alice");
            assertThat(service.user("alice")).isEqualTo(new UserState("alice", "Alice", "{}", "RL1"));
        }

        @Test
        void rejectsAUserThatExists() {
            apply(createUser("alice"), UserCreated.class);
            assertRejected(rejection(decide(createUser("alice"))), RejectionCode.USER_EXISTS, null,
                    "user alice already exists");
        }

        @Test
        void rejectsUpdatingOrDeletingAUserThatDoesNotExist() {
            assertRejected(rejection(decide(updateUser("bob"))), RejectionCode.USER_NOT_FOUND, null, "user bob does not exist");
            assertRejected(rejection(decide(deleteUser("bob"))), RejectionCode.USER_NOT_FOUND, null, "user bob does not exist");
        }

        @Test
        void anUpdateKeepsTheFieldsItDoesNotGive() {
            apply(CreateUser.newBuilder(createUser("alice")).setFriendlyName("Alice").setAttributes("{\"a\":1}")
                    .setRoleSid("RL1").build(), UserCreated.class);
            UserUpdated renamed = apply(UpdateUser.newBuilder(updateUser("alice")).setFriendlyName("Al").build(),
                    UserUpdated.class);
            assertThat(renamed.getAttributes()).isEqualTo("{\"a\":1}");
            assertThat(renamed.getRoleSid()).isEqualTo("RL1");
            apply(UpdateUser.newBuilder(updateUser("alice")).setRoleSid("RL2").build(), UserUpdated.class);
            assertThat(service.user("alice")).isEqualTo(new UserState("alice", "Al", "{\"a\":1}", "RL2"));
        }

        @Test
        void deletesAUserWhoMayThenBeCreatedAgain() {
            apply(createUser("alice"), UserCreated.class);
            UserDeleted deleted = apply(deleteUser("alice"), UserDeleted.class);
            assertThat(deleted.getIdentity()).isEqualTo("alice");
            assertThat(service.user("alice")).isNull();
            apply(createUser("alice"), UserCreated.class);
        }

        @Test
        void usersOfOtherServicesAreApart() {
            apply(createUser("alice"), UserCreated.class);
            ServiceAggregate other = new ServiceAggregate(stores, "IS2");
            assertThat(other.user("alice")).isNull();
            assertThat(rules.decide(Command.of(CreateUser.newBuilder(createUser("alice")).setServiceSid("IS2").build()), other))
                    .isInstanceOf(Decision.Accepted.class);
        }
    }

    @Nested
    class Roles {

        @Test
        void createsARole() {
            RoleCreated created = apply(createRole("RL1"), RoleCreated.class);
            assertThat(created.getPermissions()).containsExactly("sendMessage");
            assertThat(service.role("RL1")).isEqualTo(new RoleState("RL1", "role RL1", RoleType.conversation,
                    List.of("sendMessage")));
        }

        @Test
        void rejectsARoleThatExists() {
            apply(createRole("RL1"), RoleCreated.class);
            assertRejected(rejection(decide(createRole("RL1"))), RejectionCode.ROLE_EXISTS, null, "role RL1 already exists");
        }

        @Test
        void rejectsUpdatingOrDeletingARoleThatDoesNotExist() {
            assertRejected(rejection(decide(updateRole("RL9", "sendMessage"))), RejectionCode.ROLE_NOT_FOUND, null,
                    "role RL9 does not exist");
            assertRejected(rejection(decide(deleteRole("RL9"))), RejectionCode.ROLE_NOT_FOUND, null, "role RL9 does not exist");
        }

        @Test
        void anUpdateKeepsTheNameAndTypeItDoesNotGiveAndReplacesThePermissions() {
            apply(CreateRole.newBuilder(createRole("RL1")).setRoleType(RoleType.service).build(), RoleCreated.class);
            RoleUpdated updated = apply(updateRole("RL1", "editOwnMessage", "deleteOwnMessage"), RoleUpdated.class);
            assertThat(updated.getFriendlyName()).isEqualTo("role RL1");
            assertThat(updated.getRoleType()).isEqualTo(RoleType.service);
            assertThat(service.role("RL1")).isEqualTo(new RoleState("RL1", "role RL1", RoleType.service,
                    List.of("editOwnMessage", "deleteOwnMessage")));
            apply(UpdateRole.newBuilder(updateRole("RL1", "sendMessage")).setFriendlyName("writer").build(), RoleUpdated.class);
            assertThat(service.role("RL1").getFriendlyName()).isEqualTo("writer");
            assertThat(service.role("RL1").getRoleType()).isEqualTo(RoleType.service);
        }

        @Test
        void deletesARole() {
            apply(createRole("RL1"), RoleCreated.class);
            apply(deleteRole("RL1"), RoleDeleted.class);
            assertThat(service.role("RL1")).isNull();
        }
    }

    /** SPEC §9: a user acting on users takes editOwnUserInfo or editAnyUserInfo; the default roles stay. */
    @Nested
    class Permissions {

        private UpdateUser as(String identity, UpdateUser command) {
            command.setActingIdentity(identity);
            return command;
        }

        @Test
        void aServiceUserEditsItsOwnInfoButNotAnothers() {
            apply(createUser("alice"), UserCreated.class);
            apply(createUser("bob"), UserCreated.class);
            UpdateUser own = UpdateUser.newBuilder(updateUser("alice")).setFriendlyName("Alice").build();
            assertThat(decide(as("alice", own))).isInstanceOf(Decision.Accepted.class);
            UpdateUser others = UpdateUser.newBuilder(updateUser("bob")).setFriendlyName("Bobby").build();
            assertRejected(rejection(decide(as("alice", others))), RejectionCode.NOT_AUTHORIZED, 50107,
                    "alice may not change the user info of bob", "editAnyUserInfo", "service user");
        }

        @Test
        void aUserMayNotGiveItselfARoleButAServiceAdminMay() {
            String admin = DefaultRoles.SERVICE_ADMIN.sid(SERVICE);
            apply(createUser("alice"), UserCreated.class);
            apply(CreateUser.newBuilder(createUser("root")).setRoleSid(admin).build(), UserCreated.class);
            UpdateUser promote = UpdateUser.newBuilder(updateUser("alice")).setRoleSid(admin).build();
            assertRejected(rejection(decide(as("alice", promote))), RejectionCode.NOT_AUTHORIZED, 50107,
                    "editAnyUserInfo");
            assertThat(decide(as("root", UpdateUser.newBuilder(promote).setCommandId(TestCommands.nextCommandId())
                    .build()))).isInstanceOf(Decision.Accepted.class);
        }

        @Test
        void ownInfoTakesEditOwnUserInfo() {
            apply(CreateRole.newBuilder(createRole("RLreader")).setRoleType(RoleType.service).build(), RoleCreated.class);
            apply(CreateUser.newBuilder(createUser("alice")).setRoleSid("RLreader").build(), UserCreated.class);
            UpdateUser own = UpdateUser.newBuilder(updateUser("alice")).setAttributes("{}").build();
            assertRejected(rejection(decide(as("alice", own))), RejectionCode.NOT_AUTHORIZED, 50107,
                    "editOwnUserInfo");
        }

        @Test
        void theDefaultRolesExistInEveryServiceAndCanBeChangedButNotDeleted() {
            String channelUser = DefaultRoles.CHANNEL_USER.sid(SERVICE);
            assertThat(service.role(channelUser).getPermissions()).contains("sendMessage", "deleteOwnMessage");
            assertRejected(rejection(decide(CreateRole.newBuilder(createRole(channelUser)).build())),
                    RejectionCode.ROLE_EXISTS, null, channelUser);
            apply(updateRole(channelUser, "sendMessage"), RoleUpdated.class);
            assertThat(service.role(channelUser).getPermissions()).containsExactly("sendMessage");
            assertRejected(rejection(decide(deleteRole(channelUser))), RejectionCode.INVALID_COMMAND, null,
                    "default 'channel user' role", "not deleted");
        }

        @Test
        void defaultRoleSidsAreTheSameForEveryoneAndDifferPerService() {
            assertThat(DefaultRoles.CHANNEL_ADMIN.sid("IS1")).isEqualTo(DefaultRoles.CHANNEL_ADMIN.sid("IS1"))
                    .startsWith("RL").hasSize(34)
                    .isNotEqualTo(DefaultRoles.CHANNEL_ADMIN.sid("IS2"))
                    .isNotEqualTo(DefaultRoles.CHANNEL_USER.sid("IS1"));
        }
    }

    @Test
    void validatesAUsersFields() {
        assertThat(rules.validate(Command.of(createUser("alice")), service)).isEmpty();
        assertThat(rules.validate(Command.of(createUser("a".repeat(257))), service).orElseThrow().code())
                .isEqualTo(RejectionCode.IDENTITY_TOO_LONG);
    }

    @Test
    void refusesACommandThatIsNoServiceCommand() {
        assertThatThrownBy(() -> decide(TestCommands.createConversation("CH1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CreateConversation");
    }

    @Test
    void theFoldTakesEventsInTheirEnvelopeAndIgnoresOthers() {
        UserCreated created = new UserCreated("c1", SERVICE, 1L, "alice", null, null, null);
        assertThat(ServiceFold.evolve(service, new ServiceEvent(created)))
                .isEqualTo(new ServiceAggregate.Change.PutUser(new UserState("alice", null, null, null)));
        assertThat(service.user("alice")).isNotNull();
        assertThat(ServiceFold.evolve(service, io.convo.rules.conversation.TestEvents.created("CH1"))).isNull();
        assertThat(ServiceFold.change(created)).isInstanceOf(ServiceAggregate.Change.PutUser.class);
    }
}
