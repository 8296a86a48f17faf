package io.convo.rules;

import io.convo.internal.IdentityMemberships;
import java.util.ArrayList;

/**
 * L9 under the identity's key: the active or inactive conversations an identity belongs to. A reservation is
 * final when granted, because L9 is the last check of an AddParticipant: nothing can reject it afterwards.
 */
public final class IdentityRules {

    private IdentityRules() {
    }

    /** The outcome of a reservation: granted or not, and the count it was decided on. */
    public record Reservation(boolean granted, long count) {
    }

    /** Reserves a membership in place; a conversation already present is granted again without counting twice. */
    public static Reservation reserve(IdentityMemberships memberships, String conversationSid, int limit) {
        var conversations = memberships.getConversations();
        if (conversations.contains(conversationSid)) {
            return new Reservation(true, conversations.size());
        }
        if (conversations.size() >= limit) {
            return new Reservation(false, conversations.size());
        }
        conversations.add(conversationSid);
        return new Reservation(true, conversations.size());
    }

    /** Releases a membership in place; releasing one that is not held changes nothing. */
    public static boolean release(IdentityMemberships memberships, String conversationSid) {
        // by index: the arrays Avro decodes support remove(int) but not remove(Object)
        int i = memberships.getConversations().indexOf(conversationSid);
        if (i < 0) {
            return false;
        }
        memberships.getConversations().remove(i);
        return true;
    }

    public static IdentityMemberships empty() {
        return new IdentityMemberships(new ArrayList<>());
    }
}
