package io.convo.rules.identity;

/**
 * L9 under the identity's key: the active or inactive conversations a chat identity belongs to. A reservation is
 * final when granted, because L9 is the last check of an AddParticipant: nothing can reject it afterwards.
 */
public final class IdentityRules {

    private IdentityRules() {
    }

    /** The answer to a reservation: granted or not, and the count it was decided on. */
    public record Reservation(boolean granted, long count) {
    }

    /**
     * Decides a conversation's request for a membership: granted when the identity holds it already (without
     * counting it twice) or holds fewer than {@code limit}. Changes nothing: a grant is then applied with
     * {@link #evolve} of {@link MembershipChange#reserve}.
     */
    public static Reservation reserve(IdentityAggregate state, String conversationSid, int limit) {
        int count = state.count();
        if (state.holds(conversationSid)) {
            return new Reservation(true, count);
        }
        return count >= limit ? new Reservation(false, count) : new Reservation(true, count + 1);
    }

    /**
     * The one fold of membership changes into an identity's state, for the topology and replay alike: a
     * reservation already held and a release of one not held change nothing.
     *
     * @return whether the state changed
     */
    public static boolean evolve(IdentityAggregate state, MembershipChange change) {
        boolean held = state.holds(change.conversationSid());
        boolean reserve = change.kind() == MembershipChange.Kind.RESERVE;
        if (held == reserve) {
            return false;
        }
        state.apply(state.count() + (reserve ? 1 : -1), change.conversationSid(), reserve);
        return true;
    }
}
