package io.convo.rules.permission;

import io.convo.internal.RoleState;
import io.convo.model.RejectionCode;
import io.convo.rules.Rejection;

/** The refusals of SPEC §9: {@code NOT_AUTHORIZED} (Twilio's 50107), saying who, what, and the missing permission. */
public final class Authorization {

    private Authorization() {
    }

    /**
     * Null when {@code role} grants {@code needed}; else the refusal.
     *
     * @param action what the identity tried, e.g. "edit message IM1"
     */
    public static Rejection check(String identity, RoleState role, Permission needed, String action) {
        if (RoleDirectory.grants(role, needed)) {
            return null;
        }
        return Rejection.of(RejectionCode.NOT_AUTHORIZED, identity + " may not " + action + ": its role '"
                + role.getFriendlyName() + "' (" + role.getRoleSid() + ") lacks the permission " + needed);
    }

    /** An identity acting in a conversation it does not participate in. */
    public static Rejection notParticipant(String identity, String conversationSid) {
        return Rejection.of(RejectionCode.NOT_AUTHORIZED, identity + " is not a participant of conversation "
                + conversationSid + "; only its participants act in it");
    }
}
