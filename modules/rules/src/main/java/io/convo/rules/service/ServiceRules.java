package io.convo.rules.service;

import io.convo.internal.RoleState;
import io.convo.internal.UserState;
import io.convo.model.CreateRole;
import io.convo.model.CreateUser;
import io.convo.model.DeleteRole;
import io.convo.model.DeleteUser;
import io.convo.model.RejectionCode;
import io.convo.model.RoleCreated;
import io.convo.model.RoleDeleted;
import io.convo.model.RoleUpdated;
import io.convo.model.UpdateRole;
import io.convo.model.UpdateUser;
import io.convo.model.UserCreated;
import io.convo.model.UserDeleted;
import io.convo.model.UserUpdated;
import io.convo.rules.Command;
import io.convo.rules.CommandPipeline;
import io.convo.rules.CommandValidator;
import io.convo.rules.Decision;
import io.convo.rules.Limits;
import io.convo.rules.Rejection;
import io.convo.rules.permission.Authorization;
import io.convo.rules.permission.DefaultRoles;
import io.convo.rules.permission.Permission;
import java.util.Optional;

/**
 * Steps 1 and 3 of SPEC §3 for user and role commands, against the service's users and roles. Pure: an update's
 * event carries the whole user or role as it is afterwards, which {@link ServiceFold#evolve} keeps.
 */
public final class ServiceRules implements CommandPipeline.Rules<ServiceAggregate> {

    private final CommandValidator validator;

    public ServiceRules(Limits limits) {
        this.validator = new CommandValidator(limits);
    }

    @Override
    public Optional<Rejection> validate(Command command, ServiceAggregate state) {
        return validator.validate(command, null);
    }

    @Override
    public Decision decide(Command command, ServiceAggregate service) {
        if (command.body() instanceof CreateUser c) {
            if (service.user(c.getIdentity()) != null) {
                return reject(RejectionCode.USER_EXISTS, "user " + c.getIdentity() + " already exists");
            }
            return Decision.Accepted.of(new UserCreated(c.getCommandId(), c.getServiceSid(), c.getTimestamp(),
                    c.getIdentity(), c.getFriendlyName(), c.getAttributes(), c.getRoleSid()));
        }
        if (command.body() instanceof UpdateUser c) {
            UserState user = service.user(c.getIdentity());
            if (user == null) {
                return userNotFound(c.getIdentity());
            }
            Rejection refused = authorize(command.actingIdentity(), c, service);
            if (refused != null) {
                return new Decision.Rejected(refused);
            }
            return Decision.Accepted.of(new UserUpdated(c.getCommandId(), c.getServiceSid(), c.getTimestamp(),
                    user.getIdentity(), or(c.getFriendlyName(), user.getFriendlyName()),
                    or(c.getAttributes(), user.getAttributes()), or(c.getRoleSid(), user.getRoleSid())));
        }
        if (command.body() instanceof DeleteUser c) {
            if (service.user(c.getIdentity()) == null) {
                return userNotFound(c.getIdentity());
            }
            return Decision.Accepted.of(new UserDeleted(c.getCommandId(), c.getServiceSid(), c.getTimestamp(),
                    c.getIdentity()));
        }
        if (command.body() instanceof CreateRole c) {
            if (service.role(c.getRoleSid()) != null) {
                return reject(RejectionCode.ROLE_EXISTS, "role " + c.getRoleSid() + " already exists");
            }
            return Decision.Accepted.of(new RoleCreated(c.getCommandId(), c.getServiceSid(), c.getTimestamp(),
                    c.getRoleSid(), c.getFriendlyName(), c.getRoleType(), c.getPermissions()));
        }
        if (command.body() instanceof UpdateRole c) {
            RoleState role = service.role(c.getRoleSid());
            if (role == null) {
                return roleNotFound(c.getRoleSid());
            }
            return Decision.Accepted.of(new RoleUpdated(c.getCommandId(), c.getServiceSid(), c.getTimestamp(),
                    role.getRoleSid(), or(c.getFriendlyName(), role.getFriendlyName()),
                    or(c.getRoleType(), role.getRoleType()), c.getPermissions()));
        }
        if (command.body() instanceof DeleteRole c) {
            if (service.role(c.getRoleSid()) == null) {
                return roleNotFound(c.getRoleSid());
            }
            DefaultRoles builtIn = DefaultRoles.withSid(c.getServiceSid(), c.getRoleSid());
            if (builtIn != null) {
                return reject(RejectionCode.INVALID_COMMAND, "role " + c.getRoleSid() + " is the service's default '"
                        + builtIn.friendlyName() + "' role; it can be changed, not deleted");
            }
            return Decision.Accepted.of(new RoleDeleted(c.getCommandId(), c.getServiceSid(), c.getTimestamp(),
                    c.getRoleSid()));
        }
        throw new IllegalArgumentException("not a service command: " + command.type());
    }

    /**
     * A user changing a user (SPEC §9): its own friendly name and attributes take editOwnUserInfo, anyone else's, or
     * any role (its own too: that would be promoting itself), editAnyUserInfo. Null for a backend's command.
     */
    private static Rejection authorize(String acting, UpdateUser c, ServiceAggregate service) {
        if (acting == null) {
            return null;
        }
        boolean own = acting.equals(c.getIdentity());
        Permission needed = own && c.getRoleSid() == null ? Permission.editOwnUserInfo : Permission.editAnyUserInfo;
        String action = c.getRoleSid() != null ? "change the role of user " + c.getIdentity()
                : own ? "change its own user info" : "change the user info of " + c.getIdentity();
        return Authorization.check(acting, service.roleOf(service.user(acting)), needed, action);
    }

    /** An update's value where it gives one, else what the user or role had. */
    private static <T> T or(T given, T current) {
        return given != null ? given : current;
    }

    private static Decision userNotFound(String identity) {
        return reject(RejectionCode.USER_NOT_FOUND, "user " + identity + " does not exist");
    }

    private static Decision roleNotFound(String roleSid) {
        return reject(RejectionCode.ROLE_NOT_FOUND, "role " + roleSid + " does not exist");
    }

    private static Decision reject(RejectionCode code, String reason) {
        return new Decision.Rejected(Rejection.of(code, reason));
    }
}
