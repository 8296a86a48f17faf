package io.convo.rules.service;

import io.convo.internal.RoleState;
import io.convo.internal.UserState;
import io.convo.model.RoleCreated;
import io.convo.model.RoleDeleted;
import io.convo.model.RoleUpdated;
import io.convo.model.ServiceEvent;
import io.convo.model.UserCreated;
import io.convo.model.UserDeleted;
import io.convo.model.UserUpdated;
import java.util.ArrayList;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one fold of {@code service-events} into a service's users and roles, for the topology, replay and read
 * models alike. Created and updated events carry the whole user or role as it is afterwards.
 */
public final class ServiceFold {

    private ServiceFold() {
    }

    /** Applies the event; returns the change, or null for an event this fold does not know. */
    public static ServiceAggregate.Change evolve(ServiceAggregate service, ServiceEvent envelope) {
        return evolve(service, (SpecificRecord) envelope.getEvent());
    }

    /** Applies the event; returns the change, or null for an event this fold does not know. */
    public static ServiceAggregate.Change evolve(ServiceAggregate service, SpecificRecord event) {
        ServiceAggregate.Change change = change(event);
        if (change != null) {
            service.apply(change);
        }
        return change;
    }

    /** What the event does, without applying it; null for an event this fold does not know. */
    public static ServiceAggregate.Change change(SpecificRecord event) {
        if (event instanceof UserCreated e) {
            return new ServiceAggregate.Change.PutUser(
                    new UserState(e.getIdentity(), e.getFriendlyName(), e.getAttributes(), e.getRoleSid()));
        }
        if (event instanceof UserUpdated e) {
            return new ServiceAggregate.Change.PutUser(
                    new UserState(e.getIdentity(), e.getFriendlyName(), e.getAttributes(), e.getRoleSid()));
        }
        if (event instanceof UserDeleted e) {
            return new ServiceAggregate.Change.DeleteUser(e.getIdentity());
        }
        if (event instanceof RoleCreated e) {
            return new ServiceAggregate.Change.PutRole(new RoleState(e.getRoleSid(), e.getFriendlyName(), e.getRoleType(),
                    new ArrayList<>(e.getPermissions())));
        }
        if (event instanceof RoleUpdated e) {
            return new ServiceAggregate.Change.PutRole(new RoleState(e.getRoleSid(), e.getFriendlyName(), e.getRoleType(),
                    new ArrayList<>(e.getPermissions())));
        }
        if (event instanceof RoleDeleted e) {
            return new ServiceAggregate.Change.DeleteRole(e.getRoleSid());
        }
        return null;
    }
}
