package io.convo.rules.permission;

import io.convo.internal.RoleState;
import io.convo.rules.state.KeyValues;
import io.convo.rules.state.StateKeys;

/**
 * Every service's roles as the rules look them up: those role commands created or changed, by service and roleSid,
 * and where none is kept, the service's {@link DefaultRoles}.
 */
public final class RoleDirectory {

    private final KeyValues<RoleState> roles;

    /** @param roles by serviceSid and roleSid, as {@code ServiceFold} keeps them */
    public RoleDirectory(KeyValues<RoleState> roles) {
        this.roles = roles;
    }

    /** The role, or null when {@code serviceSid} has none with this sid. */
    public RoleState find(String serviceSid, String roleSid) {
        RoleState kept = roles.get(StateKeys.key(serviceSid, roleSid));
        if (kept != null) {
            return kept;
        }
        DefaultRoles d = DefaultRoles.withSid(serviceSid, roleSid);
        return d == null ? null : d.role(serviceSid);
    }

    /**
     * The role a participant or user with {@code roleSid} acts with: {@code fallback} when it names none, one the
     * service no longer has (a deleted role leaves its holders with the default, not with nothing), or one of the
     * other scope.
     */
    public RoleState actingRole(String serviceSid, String roleSid, DefaultRoles fallback) {
        RoleState role = roleSid == null ? null : find(serviceSid, roleSid);
        // A role of the other scope (a service role given to a participant) grants nothing here: the default does.
        boolean fits = role != null && role.getRoleType() == fallback.type();
        return fits ? role : defaultRole(serviceSid, fallback);
    }

    /** {@code d} as {@code serviceSid} has it: changed by a role command, or as it comes. */
    private RoleState defaultRole(String serviceSid, DefaultRoles d) {
        // Most commands act with a default role: its sid is computed once here, not matched against every default.
        RoleState kept = roles.get(StateKeys.key(serviceSid, d.sid(serviceSid)));
        return kept != null ? kept : d.role(serviceSid);
    }

    /** Whether the role grants the permission, under its name or an alias. */
    public static boolean grants(RoleState role, Permission permission) {
        for (String name : role.getPermissions()) {
            if (Permission.named(name) == permission) {
                return true;
            }
        }
        return false;
    }
}
