package io.convo.rules.conversation;

import io.convo.internal.ParticipantState;
import io.convo.model.AddParticipant;
import io.convo.model.BindingType;
import io.convo.model.Channel;
import io.convo.model.MessagingBinding;

/** What a participant is: its channel, and whether it makes its conversation a group MMS conversation. */
public final class Participants {

    private Participants() {
    }

    /** SPEC §5: an SMS participant without a proxy address, or a chat participant with a projected address. */
    public static boolean isGroupMmsMember(ParticipantState p) {
        return p.getChannel() == Channel.sms && p.getAddress() != null && p.getProxyAddress() == null
                || p.getChannel() == Channel.chat && p.getProjectedAddress() != null;
    }

    /** Whether the participant the command adds is a group MMS member (see {@link #isGroupMmsMember}). */
    static boolean makesGroupMms(AddParticipant c) {
        MessagingBinding b = c.getMessagingBinding();
        return b != null ? b.getType() == BindingType.sms && b.getProxyAddress() == null
                : c.getProjectedAddress() != null;
    }

    /** The channel of the participant the command adds: chat for an identity, else its binding's type. */
    static Channel channel(AddParticipant c) {
        MessagingBinding b = c.getMessagingBinding();
        return b == null ? Channel.chat : Channel.valueOf(b.getType().name());
    }
}
