package io.convo.gateway;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections of this instance: all of them (for heartbeats and shutdown) and the open ones by chat identity
 * (service and identity), where each {@code Delivery} goes to every connection of its recipient.
 */
final class ConnectionRegistry {

    private record IdentityKey(String serviceSid, String identity) {
    }

    private final Set<ChatConnection> all = ConcurrentHashMap.newKeySet();
    private final Map<IdentityKey, Set<ChatConnection>> byIdentity = new ConcurrentHashMap<>();

    /** Admitted, not yet open: known for the sweep that releases upgrades that never completed. */
    void admitted(ChatConnection connection) {
        all.add(connection);
    }

    void opened(ChatConnection connection) {
        AccessToken t = connection.token();
        byIdentity.computeIfAbsent(new IdentityKey(t.serviceSid(), t.identity()), k -> ConcurrentHashMap.newKeySet())
                .add(connection);
    }

    void removed(ChatConnection connection) {
        all.remove(connection);
        AccessToken t = connection.token();
        byIdentity.computeIfPresent(new IdentityKey(t.serviceSid(), t.identity()), (k, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        });
    }

    Collection<ChatConnection> of(String serviceSid, String identity) {
        Set<ChatConnection> set = byIdentity.get(new IdentityKey(serviceSid, identity));
        return set == null ? Collections.emptySet() : set;
    }

    Collection<ChatConnection> all() {
        return all;
    }

    int size() {
        return all.size();
    }
}
