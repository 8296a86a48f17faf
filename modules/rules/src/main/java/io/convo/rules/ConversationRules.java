package io.convo.rules;

import io.convo.internal.ConversationAggregate;
import io.convo.internal.MessageState;
import io.convo.internal.ParticipantState;
import io.convo.model.AddParticipant;
import io.convo.model.Channel;
import io.convo.model.ConversationCreated;
import io.convo.model.ConversationDeleted;
import io.convo.model.ConversationState;
import io.convo.model.ConversationUpdated;
import io.convo.model.CreateConversation;
import io.convo.model.DeleteConversation;
import io.convo.model.MessageAdded;
import io.convo.model.MessageRemoved;
import io.convo.model.MessageUpdated;
import io.convo.model.MessagingBinding;
import io.convo.model.ParticipantAdded;
import io.convo.model.ParticipantRemoved;
import io.convo.model.ParticipantUpdated;
import io.convo.model.RemoveMessage;
import io.convo.model.RemoveParticipant;
import io.convo.model.SendMessage;
import io.convo.model.UpdateConversation;
import io.convo.model.UpdateMessage;
import io.convo.model.UpdateParticipant;
import io.convo.rules.ConversationDecision.Accepted;
import io.convo.rules.ConversationDecision.AwaitIdentity;
import io.convo.rules.ConversationDecision.MessageChange;
import io.convo.rules.ConversationDecision.Rejected;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Step 3 of SPEC §3 for conversation commands: existence, state, L6–L8 and duplicates against the conversation's
 * own state, then L9 through {@link ConversationDecision.AwaitIdentity}. Runs after validation and the rate limit.
 *
 * <p>The given aggregate is owned by the call: it was just read from the store and is updated in place, because
 * copying a thousand participants for every message would dominate the cost of a message.
 */
public final class ConversationRules {

    private final Limits limits;

    public ConversationRules(Limits limits) {
        this.limits = limits;
    }

    /**
     * @param state    the conversation, or null if it does not exist
     * @param messages looks up a message of this conversation by messageSid (null when absent)
     */
    public ConversationDecision decide(Object command, ConversationAggregate state,
                                       Function<String, MessageState> messages) {
        if (command instanceof CreateConversation c) {
            return state != null
                    ? reject(RejectionCode.CONVERSATION_EXISTS, "conversation " + c.getConversationSid() + " already exists")
                    : create(c);
        }
        if (state == null) {
            return reject(RejectionCode.CONVERSATION_NOT_FOUND,
                    "conversation " + Commands.conversationSid(command) + " does not exist");
        }
        if (command instanceof DeleteConversation c) {
            return delete(c, state);
        }
        if (command instanceof UpdateConversation c) {
            return update(c, state);
        }
        if (state.getState() == ConversationState.closed) {
            return closed(state);
        }
        if (command instanceof AddParticipant c) {
            return addParticipant(c, state);
        }
        if (command instanceof UpdateParticipant c) {
            return updateParticipant(c, state);
        }
        if (command instanceof RemoveParticipant c) {
            return removeParticipant(c, state);
        }
        if (command instanceof SendMessage c) {
            return sendMessage(c, state, messages);
        }
        if (command instanceof UpdateMessage c) {
            return updateMessage(c, state, messages);
        }
        if (command instanceof RemoveMessage c) {
            return removeMessage(c, state, messages);
        }
        throw new IllegalArgumentException("not a conversation command: " + Commands.type(command));
    }

    /** Applies an AddParticipant whose identity was granted its membership (L9). */
    public Accepted acceptParticipant(AddParticipant c, ConversationAggregate state) {
        MessagingBinding b = c.getMessagingBinding();
        Channel channel = b == null ? Channel.chat : Channel.valueOf(b.getType().name());
        ParticipantState p = ParticipantState.newBuilder()
                .setParticipantSid(c.getParticipantSid())
                .setChannel(channel)
                .setIdentity(c.getIdentity())
                .setProjectedAddress(c.getProjectedAddress())
                .setAddress(b == null ? null : b.getAddress())
                .setProxyAddress(b == null ? null : b.getProxyAddress())
                .setRoleSid(c.getRoleSid())
                .setAttributes(c.getAttributes())
                .setLastReadMessageIndex(null)
                .setJoinedAtIndex(state.getNextMessageIndex())
                .build();
        state.getParticipants().add(p);
        ParticipantAdded event = ParticipantAdded.newBuilder()
                .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                .setConversationSid(c.getConversationSid())
                .setParticipantSid(c.getParticipantSid())
                .setChannel(channel)
                .setIdentity(c.getIdentity())
                .setProjectedAddress(c.getProjectedAddress())
                .setMessagingBinding(b)
                .setRoleSid(c.getRoleSid())
                .setAttributes(c.getAttributes())
                .build();
        return new Accepted(event, state, List.of(), null);
    }

    /** Rejection for an AddParticipant whose identity already belongs to its limit of conversations (L9). */
    public Rejection identityLimit(AddParticipant c, long count) {
        return Rejection.limit(RejectionCode.IDENTITY_CONVERSATION_LIMIT, limits.conversationsPerIdentity(),
                "identity " + c.getIdentity() + " belongs to " + count + " conversations; the limit is "
                        + limits.conversationsPerIdentity());
    }

    private ConversationDecision create(CreateConversation c) {
        ConversationState initial = c.getState() == null ? ConversationState.active : c.getState();
        ConversationAggregate next = ConversationAggregate.newBuilder()
                .setServiceSid(c.getServiceSid())
                .setConversationSid(c.getConversationSid())
                .setFriendlyName(c.getFriendlyName())
                .setUniqueName(c.getUniqueName())
                .setAttributes(c.getAttributes())
                .setState(initial)
                .setParticipants(new ArrayList<>())
                .setNextMessageIndex(0L)
                .build();
        ConversationCreated event = ConversationCreated.newBuilder()
                .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                .setConversationSid(c.getConversationSid())
                .setFriendlyName(c.getFriendlyName())
                .setUniqueName(c.getUniqueName())
                .setAttributes(c.getAttributes())
                .setState(initial)
                .build();
        return new Accepted(event, next, List.of(), null);
    }

    private ConversationDecision update(UpdateConversation c, ConversationAggregate state) {
        ConversationState from = state.getState();
        ConversationState to = c.getState() == null ? from : c.getState();
        if (from == ConversationState.closed && to != ConversationState.closed) {
            return closed(state);
        }
        List<String> released = from != ConversationState.closed && to == ConversationState.closed
                ? chatIdentities(state)
                : List.of();
        if (c.getFriendlyName() != null) {
            state.setFriendlyName(c.getFriendlyName());
        }
        if (c.getAttributes() != null) {
            state.setAttributes(c.getAttributes());
        }
        state.setState(to);
        ConversationUpdated event = ConversationUpdated.newBuilder()
                .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                .setConversationSid(c.getConversationSid())
                .setFriendlyName(c.getFriendlyName())
                .setAttributes(c.getAttributes())
                .setState(to)
                .build();
        return new Accepted(event, state, released, null);
    }

    private ConversationDecision delete(DeleteConversation c, ConversationAggregate state) {
        List<String> released = state.getState() == ConversationState.closed ? List.of() : chatIdentities(state);
        ConversationDeleted event = ConversationDeleted.newBuilder()
                .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                .setConversationSid(c.getConversationSid())
                .build();
        return new Accepted(event, null, released, new MessageChange.RemoveAll());
    }

    private ConversationDecision addParticipant(AddParticipant c, ConversationAggregate state) {
        List<ParticipantState> participants = state.getParticipants();
        int count = participants.size();
        if (count >= limits.participantsPerConversation()) {
            return new Rejected(Rejection.limit(RejectionCode.PARTICIPANT_LIMIT, limits.participantsPerConversation(),
                    "conversation " + c.getConversationSid() + " has " + count + " participants; the limit is "
                            + limits.participantsPerConversation()));
        }
        boolean nonChat = c.getMessagingBinding() != null;
        long nonChatCount = Participants.nonChatCount(state);
        if (nonChat && nonChatCount >= limits.nonChatParticipantsPerConversation()) {
            return new Rejected(Rejection.limit(RejectionCode.NON_CHAT_PARTICIPANT_LIMIT,
                    limits.nonChatParticipantsPerConversation(),
                    "conversation " + c.getConversationSid() + " has " + nonChatCount
                            + " non-chat participants; the limit is " + limits.nonChatParticipantsPerConversation()));
        }
        boolean groupMms = Participants.isGroupMms(state) || Participants.makesGroupMms(c);
        if (groupMms && count >= limits.groupMmsParticipants()) {
            return new Rejected(Rejection.limit(RejectionCode.GROUP_MMS_PARTICIPANT_LIMIT, limits.groupMmsParticipants(),
                    "group MMS conversation " + c.getConversationSid() + " has " + count
                            + " participants; the limit is " + limits.groupMmsParticipants()));
        }
        Rejection exists = Participants.conflict(c, state);
        if (exists != null) {
            return new Rejected(exists);
        }
        return nonChat ? acceptParticipant(c, state) : new AwaitIdentity(c.getIdentity());
    }

    private ConversationDecision updateParticipant(UpdateParticipant c, ConversationAggregate state) {
        ParticipantState p = Participants.find(state, c.getParticipantSid());
        if (p == null) {
            return participantNotFound(c.getParticipantSid(), c.getConversationSid());
        }
        Long lastRead = c.getLastReadMessageIndex();
        if (lastRead != null) {
            long lastIndex = state.getNextMessageIndex() - 1;
            if (lastRead > lastIndex) {
                return reject(RejectionCode.MESSAGE_NOT_FOUND, "lastReadMessageIndex " + lastRead
                        + " is past the conversation's last message index " + lastIndex);
            }
            // The read horizon never moves backwards (SPEC §5): a stale update keeps the later horizon.
            if (p.getLastReadMessageIndex() != null && p.getLastReadMessageIndex() > lastRead) {
                lastRead = p.getLastReadMessageIndex();
            }
            p.setLastReadMessageIndex(lastRead);
        }
        if (c.getAttributes() != null) {
            p.setAttributes(c.getAttributes());
        }
        if (c.getRoleSid() != null) {
            p.setRoleSid(c.getRoleSid());
        }
        ParticipantUpdated event = ParticipantUpdated.newBuilder()
                .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                .setConversationSid(c.getConversationSid())
                .setParticipantSid(c.getParticipantSid())
                .setAttributes(c.getAttributes())
                .setRoleSid(c.getRoleSid())
                .setLastReadMessageIndex(lastRead)
                .build();
        return new Accepted(event, state, List.of(), null);
    }

    private ConversationDecision removeParticipant(RemoveParticipant c, ConversationAggregate state) {
        ParticipantState p = Participants.find(state, c.getParticipantSid());
        if (p == null) {
            return participantNotFound(c.getParticipantSid(), c.getConversationSid());
        }
        // by index: the arrays Avro decodes support remove(int) but not remove(Object)
        state.getParticipants().remove(state.getParticipants().indexOf(p));
        ParticipantRemoved event = ParticipantRemoved.newBuilder()
                .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                .setConversationSid(c.getConversationSid())
                .setParticipantSid(c.getParticipantSid())
                .setIdentity(p.getIdentity())
                .build();
        List<String> released = p.getChannel() == Channel.chat ? List.of(p.getIdentity()) : List.of();
        return new Accepted(event, state, released, null);
    }

    private ConversationDecision sendMessage(SendMessage c, ConversationAggregate state,
                                             Function<String, MessageState> messages) {
        if (messages.apply(c.getMessageSid()) != null) {
            return reject(RejectionCode.INVALID_COMMAND, "message " + c.getMessageSid() + " already exists in conversation "
                    + c.getConversationSid());
        }
        long index = state.getNextMessageIndex();
        state.setNextMessageIndex(index + 1);
        MessageAdded event = MessageAdded.newBuilder()
                .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                .setConversationSid(c.getConversationSid())
                .setMessageSid(c.getMessageSid())
                .setIndex(index)
                .setAuthor(c.getAuthor())
                .setBody(c.getBody())
                .setMedia(c.getMedia() == null ? List.of() : c.getMedia())
                .setAttributes(c.getAttributes())
                .build();
        MessageState stored = new MessageState(c.getMessageSid(), index, c.getAuthor());
        return new Accepted(event, state, List.of(), new MessageChange.Put(stored));
    }

    private ConversationDecision updateMessage(UpdateMessage c, ConversationAggregate state,
                                               Function<String, MessageState> messages) {
        MessageState m = messages.apply(c.getMessageSid());
        if (m == null) {
            return messageNotFound(c.getMessageSid(), c.getConversationSid());
        }
        MessageUpdated event = MessageUpdated.newBuilder()
                .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                .setConversationSid(c.getConversationSid())
                .setMessageSid(c.getMessageSid())
                .setIndex(m.getIndex())
                .setBody(c.getBody())
                .setAttributes(c.getAttributes())
                .build();
        return new Accepted(event, state, List.of(), null);
    }

    private ConversationDecision removeMessage(RemoveMessage c, ConversationAggregate state,
                                               Function<String, MessageState> messages) {
        MessageState m = messages.apply(c.getMessageSid());
        if (m == null) {
            return messageNotFound(c.getMessageSid(), c.getConversationSid());
        }
        MessageRemoved event = MessageRemoved.newBuilder()
                .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                .setConversationSid(c.getConversationSid())
                .setMessageSid(c.getMessageSid())
                .setIndex(m.getIndex())
                .build();
        return new Accepted(event, state, List.of(), new MessageChange.Remove(c.getMessageSid()));
    }

    private static List<String> chatIdentities(ConversationAggregate state) {
        List<String> identities = new ArrayList<>();
        for (ParticipantState p : state.getParticipants()) {
            if (p.getChannel() == Channel.chat) {
                identities.add(p.getIdentity());
            }
        }
        return identities;
    }

    private static Rejected closed(ConversationAggregate state) {
        return reject(RejectionCode.CONVERSATION_CLOSED, "conversation " + state.getConversationSid() + " is closed");
    }

    private static Rejected participantNotFound(String participantSid, String conversationSid) {
        return reject(RejectionCode.PARTICIPANT_NOT_FOUND,
                "participant " + participantSid + " is not in conversation " + conversationSid);
    }

    private static Rejected messageNotFound(String messageSid, String conversationSid) {
        return reject(RejectionCode.MESSAGE_NOT_FOUND,
                "message " + messageSid + " is not in conversation " + conversationSid);
    }

    private static Rejected reject(RejectionCode code, String reason) {
        return new Rejected(Rejection.of(code, reason));
    }
}
