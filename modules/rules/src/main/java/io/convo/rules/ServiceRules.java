package io.convo.rules;

import io.convo.internal.RoleState;
import io.convo.internal.UserState;
import io.convo.model.CreateRole;
import io.convo.model.CreateUser;
import io.convo.model.DeleteRole;
import io.convo.model.DeleteUser;
import io.convo.model.RoleCreated;
import io.convo.model.RoleDeleted;
import io.convo.model.RoleUpdated;
import io.convo.model.UpdateRole;
import io.convo.model.UpdateUser;
import io.convo.model.UserCreated;
import io.convo.model.UserDeleted;
import io.convo.model.UserUpdated;
import java.util.function.Function;

/** Step 3 of SPEC §3 for user and role commands, against the service's users and roles. */
public final class ServiceRules {

    private ServiceRules() {
    }

    /**
     * @param users a service's users by identity (null when absent)
     * @param roles a service's roles by roleSid (null when absent)
     */
    public static ServiceDecision decide(Object command, Function<String, UserState> users,
                                         Function<String, RoleState> roles) {
        if (command instanceof CreateUser c) {
            if (users.apply(c.getIdentity()) != null) {
                return reject(RejectionCode.USER_EXISTS, "user " + c.getIdentity() + " already exists");
            }
            UserState next = new UserState(c.getIdentity(), c.getFriendlyName(), c.getAttributes(), c.getRoleSid());
            return new ServiceDecision.UserAccepted(new UserCreated(c.getCommandId(), c.getServiceSid(), c.getTimestamp(),
                    c.getIdentity(), c.getFriendlyName(), c.getAttributes(), c.getRoleSid()), c.getIdentity(), next);
        }
        if (command instanceof UpdateUser c) {
            UserState user = users.apply(c.getIdentity());
            if (user == null) {
                return userNotFound(c.getIdentity());
            }
            if (c.getFriendlyName() != null) {
                user.setFriendlyName(c.getFriendlyName());
            }
            if (c.getAttributes() != null) {
                user.setAttributes(c.getAttributes());
            }
            if (c.getRoleSid() != null) {
                user.setRoleSid(c.getRoleSid());
            }
            return new ServiceDecision.UserAccepted(new UserUpdated(c.getCommandId(), c.getServiceSid(), c.getTimestamp(),
                    user.getIdentity(), user.getFriendlyName(), user.getAttributes(), user.getRoleSid()), c.getIdentity(), user);
        }
        if (command instanceof DeleteUser c) {
            if (users.apply(c.getIdentity()) == null) {
                return userNotFound(c.getIdentity());
            }
            return new ServiceDecision.UserAccepted(new UserDeleted(c.getCommandId(), c.getServiceSid(), c.getTimestamp(),
                    c.getIdentity()), c.getIdentity(), null);
        }
        if (command instanceof CreateRole c) {
            if (roles.apply(c.getRoleSid()) != null) {
                return reject(RejectionCode.ROLE_EXISTS, "role " + c.getRoleSid() + " already exists");
            }
            RoleState next = new RoleState(c.getRoleSid(), c.getFriendlyName(), c.getRoleType(), c.getPermissions());
            return new ServiceDecision.RoleAccepted(new RoleCreated(c.getCommandId(), c.getServiceSid(), c.getTimestamp(),
                    c.getRoleSid(), c.getFriendlyName(), c.getRoleType(), c.getPermissions()), c.getRoleSid(), next);
        }
        if (command instanceof UpdateRole c) {
            RoleState role = roles.apply(c.getRoleSid());
            if (role == null) {
                return roleNotFound(c.getRoleSid());
            }
            if (c.getFriendlyName() != null) {
                role.setFriendlyName(c.getFriendlyName());
            }
            if (c.getRoleType() != null) {
                role.setRoleType(c.getRoleType());
            }
            role.setPermissions(c.getPermissions());
            return new ServiceDecision.RoleAccepted(new RoleUpdated(c.getCommandId(), c.getServiceSid(), c.getTimestamp(),
                    role.getRoleSid(), role.getFriendlyName(), role.getRoleType(), role.getPermissions()), c.getRoleSid(), role);
        }
        if (command instanceof DeleteRole c) {
            if (roles.apply(c.getRoleSid()) == null) {
                return roleNotFound(c.getRoleSid());
            }
            return new ServiceDecision.RoleAccepted(new RoleDeleted(c.getCommandId(), c.getServiceSid(), c.getTimestamp(),
                    c.getRoleSid()), c.getRoleSid(), null);
        }
        throw new IllegalArgumentException("not a service command: " + Commands.type(command));
    }

    private static ServiceDecision userNotFound(String identity) {
        return reject(RejectionCode.USER_NOT_FOUND, "user " + identity + " does not exist");
    }

    private static ServiceDecision roleNotFound(String roleSid) {
        return reject(RejectionCode.ROLE_NOT_FOUND, "role " + roleSid + " does not exist");
    }

    private static ServiceDecision reject(RejectionCode code, String reason) {
        return new ServiceDecision.Rejected(Rejection.of(code, reason));
    }
}
