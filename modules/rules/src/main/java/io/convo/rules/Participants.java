package io.convo.rules;

import io.convo.internal.ConversationAggregate;
import io.convo.internal.ParticipantState;
import io.convo.model.AddParticipant;
import io.convo.model.BindingType;
import io.convo.model.Channel;
import io.convo.model.MessagingBinding;

/** Questions about a conversation's participants, derived from the list rather than kept as counters that could drift. */
public final class Participants {

    private Participants() {
    }

    public static ParticipantState find(ConversationAggregate state, String participantSid) {
        for (ParticipantState p : state.getParticipants()) {
            if (p.getParticipantSid().equals(participantSid)) {
                return p;
            }
        }
        return null;
    }

    /** The participant a message author names: a chat identity or a binding address. */
    public static ParticipantState byAuthor(ConversationAggregate state, String author) {
        for (ParticipantState p : state.getParticipants()) {
            if (author.equals(p.getIdentity()) || author.equals(p.getAddress())) {
                return p;
            }
        }
        return null;
    }

    public static long nonChatCount(ConversationAggregate state) {
        long n = 0;
        for (ParticipantState p : state.getParticipants()) {
            if (p.getChannel() != Channel.chat) {
                n++;
            }
        }
        return n;
    }

    /** SPEC §5: an SMS participant without a proxy address, or a chat participant with a projected address. */
    public static boolean isGroupMms(ConversationAggregate state) {
        for (ParticipantState p : state.getParticipants()) {
            if (isGroupMmsMember(p)) {
                return true;
            }
        }
        return false;
    }

    public static boolean isGroupMmsMember(ParticipantState p) {
        return p.getChannel() == Channel.sms && p.getAddress() != null && p.getProxyAddress() == null
                || p.getChannel() == Channel.chat && p.getProjectedAddress() != null;
    }

    static boolean makesGroupMms(AddParticipant c) {
        MessagingBinding b = c.getMessagingBinding();
        return b != null ? b.getType() == BindingType.sms && b.getProxyAddress() == null
                : c.getProjectedAddress() != null;
    }

    /** PARTICIPANT_EXISTS when the participantSid, the identity or the binding is already in the conversation. */
    static Rejection conflict(AddParticipant c, ConversationAggregate state) {
        MessagingBinding b = c.getMessagingBinding();
        for (ParticipantState p : state.getParticipants()) {
            if (p.getParticipantSid().equals(c.getParticipantSid())) {
                return Rejection.of(RejectionCode.PARTICIPANT_EXISTS,
                        "participant " + c.getParticipantSid() + " is already in conversation " + c.getConversationSid());
            }
            if (c.getIdentity() != null && c.getIdentity().equals(p.getIdentity())) {
                return Rejection.of(RejectionCode.PARTICIPANT_EXISTS,
                        "identity " + c.getIdentity() + " is already in conversation " + c.getConversationSid());
            }
            if (b != null && b.getAddress().equals(p.getAddress())
                    && java.util.Objects.equals(b.getProxyAddress(), p.getProxyAddress())) {
                return Rejection.of(RejectionCode.PARTICIPANT_EXISTS,
                                "a binding with address " + b.getAddress() + " and proxy address " + b.getProxyAddress()
                                        + " is already in conversation " + c.getConversationSid())
                        .withTwilioCode(RejectionCode.DUPLICATE_BINDING_TWILIO_CODE);
            }
        }
        return null;
    }
}
