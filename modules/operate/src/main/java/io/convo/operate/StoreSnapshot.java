package io.convo.operate;

import io.convo.rules.conversation.ConversationAggregate;
import io.convo.rules.identity.IdentityAggregate;
import io.convo.rules.service.ServiceAggregate;
import io.convo.rules.state.KeyValues;
import io.convo.rules.state.SortedMapKeyValues;
import java.util.EnumMap;
import java.util.Map;
import java.util.NavigableMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * The contents of the {@link VerifiedStore}s, key by key, as the stores hold them: built either by folding the
 * event log through the rules ({@link EventProjection}) or by reading the live application's changelogs
 * ({@link ChangelogState}). Keys are sorted, so that differences print in a stable order.
 */
public final class StoreSnapshot {

    private final Map<VerifiedStore, SortedMapKeyValues<SpecificRecord>> stores = new EnumMap<>(VerifiedStore.class);

    public StoreSnapshot() {
        for (VerifiedStore store : VerifiedStore.values()) {
            stores.put(store, new SortedMapKeyValues<>());
        }
    }

    /** Puts the entry; a null value deletes it, as a tombstone does in a changelog. */
    public void put(VerifiedStore store, String key, SpecificRecord value) {
        if (value == null) {
            stores.get(store).delete(key);
        } else {
            stores.get(store).put(key, value);
        }
    }

    /** The store's entries, sorted by key; a live view. */
    public NavigableMap<String, SpecificRecord> entries(VerifiedStore store) {
        return stores.get(store).entries();
    }

    public int size(VerifiedStore store) {
        return stores.get(store).entries().size();
    }

    /** The conversations' stores, as the rules read and change them. */
    public ConversationAggregate.Stores conversationStores() {
        return new ConversationAggregate.Stores(typed(VerifiedStore.CONVERSATIONS), typed(VerifiedStore.PARTICIPANTS),
                typed(VerifiedStore.PARTICIPANT_INDEX), typed(VerifiedStore.MESSAGES),
                typed(VerifiedStore.DELIVERY_SUMMARIES), typed(VerifiedStore.DELIVERY_STATUSES));
    }

    public IdentityAggregate.Stores identityStores() {
        return new IdentityAggregate.Stores(typed(VerifiedStore.IDENTITY_MEMBERSHIP_COUNTS),
                typed(VerifiedStore.IDENTITY_MEMBERSHIPS));
    }

    public ServiceAggregate.Stores serviceStores() {
        return new ServiceAggregate.Stores(typed(VerifiedStore.USERS), typed(VerifiedStore.ROLES));
    }

    /** The store, typed by its values; each holds values of its {@link VerifiedStore#valueType()} only. */
    @SuppressWarnings("unchecked")
    private <V> KeyValues<V> typed(VerifiedStore store) {
        return (KeyValues<V>) stores.get(store);
    }
}
