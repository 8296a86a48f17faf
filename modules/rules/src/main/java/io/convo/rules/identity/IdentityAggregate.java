package io.convo.rules.identity;

import io.convo.internal.Membership;
import io.convo.internal.MembershipCount;
import io.convo.rules.state.KeyValues;
import io.convo.rules.state.SortedMapKeyValues;
import io.convo.rules.state.StateKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One chat identity's memberships (L9) as the rules read them: a count under the identity's key, and one entry per
 * conversation under the identity's key and the conversation's, so that neither grows into one large value.
 */
public final class IdentityAggregate {

    /**
     * @param counts      by serviceSid and identity
     * @param memberships by serviceSid, identity and conversationSid
     */
    public record Stores(KeyValues<MembershipCount> counts, KeyValues<Membership> memberships) {

        public static Stores inMemory() {
            return new Stores(new SortedMapKeyValues<>(), new SortedMapKeyValues<>());
        }
    }

    private final Stores stores;
    private final String key;

    /** @param key the identity's key: {@link #key(String, String)} of its service and identity */
    public IdentityAggregate(Stores stores, String key) {
        this.stores = stores;
        this.key = key;
    }

    /** An identity's key: identities are unique within their service. */
    public static String key(String serviceSid, String identity) {
        return StateKeys.key(serviceSid, identity);
    }

    public int count() {
        MembershipCount c = stores.counts().get(key);
        return c == null ? 0 : c.getCount();
    }

    public boolean holds(String conversationSid) {
        return stores.memberships().get(StateKeys.key(key, conversationSid)) != null;
    }

    /** The conversations held, sorted by conversationSid. */
    public List<String> conversations() {
        List<String> held = new ArrayList<>();
        for (Map.Entry<String, Membership> e : stores.memberships().scan(StateKeys.prefix(key))) {
            held.add(e.getValue().getConversationSid());
        }
        return held;
    }

    /** Applies what {@link IdentityRules#evolve} derived. */
    void apply(int count, String conversationSid, boolean held) {
        String membership = StateKeys.key(key, conversationSid);
        if (held) {
            stores.memberships().put(membership, new Membership(conversationSid));
        } else {
            stores.memberships().delete(membership);
        }
        if (count == 0) {
            stores.counts().delete(key);
        } else {
            stores.counts().put(key, new MembershipCount(count));
        }
    }
}
