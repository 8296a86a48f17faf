package io.convo.rules.service;

import io.convo.internal.RoleState;
import io.convo.internal.UserState;
import io.convo.rules.permission.DefaultRoles;
import io.convo.rules.permission.RoleDirectory;
import io.convo.rules.state.KeyValues;
import io.convo.rules.state.SortedMapKeyValues;
import io.convo.rules.state.StateKeys;

/** One service's users and roles as the rules read them, each an entry under the service's id. */
public final class ServiceAggregate {

    /**
     * @param users by serviceSid and identity
     * @param roles by serviceSid and roleSid
     */
    public record Stores(KeyValues<UserState> users, KeyValues<RoleState> roles) {

        public static Stores inMemory() {
            return new Stores(new SortedMapKeyValues<>(), new SortedMapKeyValues<>());
        }
    }

    /** A change to a service's state, as {@link ServiceFold#evolve} derives it from an event. */
    public sealed interface Change {

        record PutUser(UserState user) implements Change {
        }

        record DeleteUser(String identity) implements Change {
        }

        record PutRole(RoleState role) implements Change {
        }

        record DeleteRole(String roleSid) implements Change {
        }
    }

    private final Stores stores;
    private final String serviceSid;

    public ServiceAggregate(Stores stores, String serviceSid) {
        this.stores = stores;
        this.serviceSid = serviceSid;
    }

    public String serviceSid() {
        return serviceSid;
    }

    public UserState user(String identity) {
        return stores.users().get(StateKeys.key(serviceSid, identity));
    }

    /** The role, a default one included (every service has those), or null. */
    public RoleState role(String roleSid) {
        return new RoleDirectory(stores.roles()).find(serviceSid, roleSid);
    }

    /** The role a user acts with: its own, or the service user's when it has none or its role is gone. */
    public RoleState roleOf(UserState user) {
        return new RoleDirectory(stores.roles()).actingRole(serviceSid, user == null ? null : user.getRoleSid(),
                DefaultRoles.SERVICE_USER);
    }

    public void apply(Change change) {
        if (change instanceof Change.PutUser u) {
            stores.users().put(StateKeys.key(serviceSid, u.user().getIdentity()), u.user());
        } else if (change instanceof Change.DeleteUser u) {
            stores.users().delete(StateKeys.key(serviceSid, u.identity()));
        } else if (change instanceof Change.PutRole r) {
            stores.roles().put(StateKeys.key(serviceSid, r.role().getRoleSid()), r.role());
        } else if (change instanceof Change.DeleteRole r) {
            stores.roles().delete(StateKeys.key(serviceSid, r.roleSid()));
        }
    }
}
