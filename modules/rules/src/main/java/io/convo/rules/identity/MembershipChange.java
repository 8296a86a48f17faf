package io.convo.rules.identity;

/**
 * A chat identity joins or leaves a conversation's membership (L9). The conversation's events imply them; the
 * topology sends them to the identity's key, replay applies them to the identity's state.
 */
public record MembershipChange(Kind kind, String serviceSid, String identity, String conversationSid) {

    public enum Kind { RESERVE, RELEASE }

    public static MembershipChange reserve(String serviceSid, String identity, String conversationSid) {
        return new MembershipChange(Kind.RESERVE, serviceSid, identity, conversationSid);
    }

    public static MembershipChange release(String serviceSid, String identity, String conversationSid) {
        return new MembershipChange(Kind.RELEASE, serviceSid, identity, conversationSid);
    }
}
