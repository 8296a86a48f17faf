package io.convo.rules.conversation;

import io.convo.internal.Conversation;
import io.convo.internal.DeliverySummary;
import io.convo.internal.MessageState;
import io.convo.internal.ParticipantState;
import io.convo.model.Channel;
import io.convo.model.ConversationCreated;
import io.convo.model.ConversationDeleted;
import io.convo.model.ConversationEvent;
import io.convo.model.ConversationState;
import io.convo.model.ConversationUpdated;
import io.convo.model.DeliverySummaryUpdated;
import io.convo.model.MessageAdded;
import io.convo.model.MessageRemoved;
import io.convo.model.MessageUpdated;
import io.convo.model.MessagingBinding;
import io.convo.model.ParticipantAdded;
import io.convo.model.ParticipantRemoved;
import io.convo.model.ParticipantUpdated;
import io.convo.rules.conversation.ConversationAggregate.Change;
import io.convo.rules.identity.MembershipChange;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one fold of {@code conversation-events} into a conversation's state: the topology applies its own decisions
 * through it, and {@code replay} and every read model fold the event log through it, so that all of them hold the
 * same state for the same events. An event also implies membership changes (L9) of chat identities, which live
 * under the identities' keys: a chat participant added reserves one; removing it, closing or deleting the
 * conversation releases them.
 */
public final class ConversationFold {

    /**
     * What one event does: the changes to the conversation's state, the memberships it reserves or releases, and
     * an anomaly when the state cannot take the event (e.g. an event of a conversation the log never created, as
     * after retention deleted its start); then the changes are empty.
     */
    public record Evolution(List<Change> changes, List<MembershipChange> memberships, String anomaly) {

        static Evolution of(List<Change> changes, List<MembershipChange> memberships) {
            return new Evolution(changes, memberships, null);
        }

        static Evolution anomaly(String what) {
            return new Evolution(List.of(), List.of(), what);
        }
    }

    private ConversationFold() {
    }

    /** Derives what {@code event} does to {@code state} and applies it. */
    public static Evolution evolve(ConversationAggregate state, ConversationEvent envelope) {
        return evolve(state, (SpecificRecord) envelope.getEvent());
    }

    /** Derives what {@code event} does to {@code state} and applies it. */
    public static Evolution evolve(ConversationAggregate state, SpecificRecord event) {
        Evolution evolution = changes(state, event);
        state.apply(evolution.changes());
        return evolution;
    }

    /** What {@code event} does to {@code state}, without changing it. */
    public static Evolution changes(ConversationAggregate state, SpecificRecord event) {
        if (event instanceof ConversationCreated e) {
            return Evolution.of(List.of(new Change.PutConversation(created(e))), List.of());
        }
        Conversation conversation = state.conversation();
        if (conversation == null) {
            return Evolution.anomaly(event.getSchema().getName() + " for a conversation that does not exist");
        }
        if (event instanceof ConversationUpdated e) {
            return updated(state, conversation, e);
        }
        if (event instanceof ConversationDeleted e) {
            List<MembershipChange> released = conversation.getState() == ConversationState.closed
                    ? List.of() : releaseChatIdentities(state, e.getServiceSid());
            return Evolution.of(List.of(new Change.ClearConversation()), released);
        }
        if (event instanceof ParticipantAdded e) {
            return participantAdded(state, conversation, e);
        }
        if (event instanceof ParticipantUpdated e) {
            return participantUpdated(state, e);
        }
        if (event instanceof ParticipantRemoved e) {
            return participantRemoved(state, conversation, e);
        }
        if (event instanceof MessageAdded e) {
            Conversation next = Conversation.newBuilder(conversation).setNextMessageIndex(e.getIndex() + 1).build();
            return Evolution.of(List.of(new Change.PutConversation(next),
                    new Change.PutMessage(new MessageState(e.getMessageSid(), e.getIndex(), e.getAuthor()))), List.of());
        }
        if (event instanceof MessageUpdated) {
            // A message's body and attributes are in its events; the state keeps its index and author only.
            return Evolution.of(List.of(), List.of());
        }
        if (event instanceof MessageRemoved e) {
            return Evolution.of(List.of(new Change.DeleteMessage(e.getMessageSid())), List.of());
        }
        if (event instanceof DeliverySummaryUpdated e) {
            DeliverySummary counts = new DeliverySummary(e.getIndex(), e.getSent(), e.getDelivered(), e.getRead(),
                    e.getFailed(), e.getUndelivered());
            return Evolution.of(List.of(new Change.PutRecipientStatus(e.getMessageSid(), e.getParticipantSid(),
                    e.getStatus(), counts)), List.of());
        }
        return Evolution.anomaly("unknown event " + event.getSchema().getFullName());
    }

    private static Conversation created(ConversationCreated e) {
        return Conversation.newBuilder()
                .setServiceSid(e.getServiceSid())
                .setConversationSid(e.getConversationSid())
                .setFriendlyName(e.getFriendlyName())
                .setUniqueName(e.getUniqueName())
                .setAttributes(e.getAttributes())
                .setState(e.getState())
                .setNextMessageIndex(0L)
                .setParticipants(0)
                .setNonChatParticipants(0)
                .setGroupMmsMembers(0)
                .setJoins(0L)
                .build();
    }

    private static Evolution updated(ConversationAggregate state, Conversation conversation, ConversationUpdated e) {
        Conversation.Builder next = Conversation.newBuilder(conversation).setState(e.getState());
        if (e.getFriendlyName() != null) {
            next.setFriendlyName(e.getFriendlyName());
        }
        if (e.getAttributes() != null) {
            next.setAttributes(e.getAttributes());
        }
        // SPEC §5: closing releases the chat participants' memberships.
        boolean closing = conversation.getState() != ConversationState.closed && e.getState() == ConversationState.closed;
        return Evolution.of(List.of(new Change.PutConversation(next.build())),
                closing ? releaseChatIdentities(state, e.getServiceSid()) : List.of());
    }

    private static Evolution participantAdded(ConversationAggregate state, Conversation conversation, ParticipantAdded e) {
        MessagingBinding binding = e.getMessagingBinding();
        ParticipantState p = ParticipantState.newBuilder()
                .setParticipantSid(e.getParticipantSid())
                .setChannel(e.getChannel())
                .setIdentity(e.getIdentity())
                .setProjectedAddress(e.getProjectedAddress())
                .setAddress(binding == null ? null : binding.getAddress())
                .setProxyAddress(binding == null ? null : binding.getProxyAddress())
                .setRoleSid(e.getRoleSid())
                .setAttributes(e.getAttributes())
                .setLastReadMessageIndex(null)
                .setJoinedAtIndex(conversation.getNextMessageIndex())
                .setJoinSeq(conversation.getJoins())
                .build();
        Conversation next = counted(conversation, p, 1).setJoins(conversation.getJoins() + 1).build();
        List<MembershipChange> reserved = e.getChannel() == Channel.chat
                ? List.of(MembershipChange.reserve(e.getServiceSid(), e.getIdentity(), state.conversationSid()))
                : List.of();
        return Evolution.of(List.of(new Change.PutConversation(next), new Change.PutParticipant(p, true)), reserved);
    }

    private static Evolution participantUpdated(ConversationAggregate state, ParticipantUpdated e) {
        ParticipantState p = state.participant(e.getParticipantSid());
        if (p == null) {
            return Evolution.anomaly("ParticipantUpdated for participant " + e.getParticipantSid() + " who is not in it");
        }
        ParticipantState.Builder next = ParticipantState.newBuilder(p);
        // The event carries the horizon in force afterwards, already kept from moving backwards.
        if (e.getLastReadMessageIndex() != null) {
            next.setLastReadMessageIndex(e.getLastReadMessageIndex());
        }
        if (e.getAttributes() != null) {
            next.setAttributes(e.getAttributes());
        }
        if (e.getRoleSid() != null) {
            next.setRoleSid(e.getRoleSid());
        }
        return Evolution.of(List.of(new Change.PutParticipant(next.build(), false)), List.of());
    }

    private static Evolution participantRemoved(ConversationAggregate state, Conversation conversation, ParticipantRemoved e) {
        ParticipantState p = state.participant(e.getParticipantSid());
        if (p == null) {
            return Evolution.anomaly("ParticipantRemoved for participant " + e.getParticipantSid() + " who is not in it");
        }
        List<MembershipChange> released = p.getChannel() == Channel.chat
                ? List.of(MembershipChange.release(e.getServiceSid(), p.getIdentity(), state.conversationSid()))
                : List.of();
        return Evolution.of(List.of(new Change.PutConversation(counted(conversation, p, -1).build()),
                new Change.DeleteParticipant(p)), released);
    }

    /** The conversation's counts with one participant more ({@code delta} 1) or fewer (-1). */
    private static Conversation.Builder counted(Conversation conversation, ParticipantState p, int delta) {
        return Conversation.newBuilder(conversation)
                .setParticipants(conversation.getParticipants() + delta)
                .setNonChatParticipants(conversation.getNonChatParticipants() + (p.getChannel() == Channel.chat ? 0 : delta))
                .setGroupMmsMembers(conversation.getGroupMmsMembers() + (Participants.isGroupMmsMember(p) ? delta : 0));
    }

    private static List<MembershipChange> releaseChatIdentities(ConversationAggregate state, String serviceSid) {
        List<MembershipChange> released = new ArrayList<>();
        for (ParticipantState p : state.participants()) {
            if (p.getChannel() == Channel.chat) {
                released.add(MembershipChange.release(serviceSid, p.getIdentity(), state.conversationSid()));
            }
        }
        return released;
    }
}
