package io.convo.rules.conversation;

import io.convo.internal.Conversation;
import io.convo.internal.MessageState;
import io.convo.internal.ParticipantState;
import io.convo.model.AddParticipant;
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
import io.convo.model.RejectionCode;
import io.convo.model.RemoveMessage;
import io.convo.model.RemoveParticipant;
import io.convo.model.SendMessage;
import io.convo.model.UpdateConversation;
import io.convo.model.UpdateMessage;
import io.convo.model.UpdateParticipant;
import io.convo.model.Channel;
import io.convo.rules.Command;
import io.convo.rules.CommandPipeline;
import io.convo.rules.CommandValidator;
import io.convo.rules.Decision;
import io.convo.rules.Limits;
import io.convo.rules.Rejection;
import java.util.List;
import java.util.Optional;

/**
 * Step 3 of SPEC §3 for conversation commands: existence, state, L6–L8 and duplicates against the conversation's
 * own state, then L9 through {@link Decision.AwaitIdentity}. Runs after validation and the rate limit. Pure: it reads
 * the state and returns events, which {@link ConversationFold#evolve} applies.
 */
public final class ConversationRules implements CommandPipeline.Rules<ConversationAggregate> {

    private final Limits limits;
    private final CommandValidator validator;

    public ConversationRules(Limits limits) {
        this.limits = limits;
        this.validator = new CommandValidator(limits);
    }

    /** Step 1: a message's media are checked against the limits of its author's channel (L11–L13). */
    @Override
    public Optional<Rejection> validate(Command command, ConversationAggregate state) {
        return validator.validate(command, authorChannel(command, state));
    }

    @Override
    public Decision decide(Command command, ConversationAggregate state) {
        Conversation conversation = state.conversation();
        if (command.body() instanceof CreateConversation c) {
            return conversation != null
                    ? reject(RejectionCode.CONVERSATION_EXISTS, "conversation " + c.getConversationSid() + " already exists")
                    : Decision.Accepted.of(created(c));
        }
        if (conversation == null) {
            return reject(RejectionCode.CONVERSATION_NOT_FOUND,
                    "conversation " + command.conversationSid() + " does not exist");
        }
        if (command.body() instanceof DeleteConversation c) {
            return Decision.Accepted.of(ConversationDeleted.newBuilder()
                    .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                    .setConversationSid(c.getConversationSid())
                    .build());
        }
        if (command.body() instanceof UpdateConversation c) {
            return update(c, conversation);
        }
        if (conversation.getState() == ConversationState.closed) {
            return closed(conversation);
        }
        if (command.body() instanceof AddParticipant c) {
            return addParticipant(c, conversation, state);
        }
        if (command.body() instanceof UpdateParticipant c) {
            return updateParticipant(c, conversation, state);
        }
        if (command.body() instanceof RemoveParticipant c) {
            return removeParticipant(c, state);
        }
        if (command.body() instanceof SendMessage c) {
            return sendMessage(c, conversation, state);
        }
        if (command.body() instanceof UpdateMessage c) {
            return updateMessage(c, state);
        }
        if (command.body() instanceof RemoveMessage c) {
            return removeMessage(c, state);
        }
        throw new IllegalArgumentException("not a conversation command: " + command.type());
    }

    /** An AddParticipant whose identity was granted its membership (L9): nothing can reject it now. */
    public Decision.Accepted granted(AddParticipant c) {
        return Decision.Accepted.of(ParticipantAdded.newBuilder()
                .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                .setConversationSid(c.getConversationSid())
                .setParticipantSid(c.getParticipantSid())
                .setChannel(Participants.channel(c))
                .setIdentity(c.getIdentity())
                .setProjectedAddress(c.getProjectedAddress())
                .setMessagingBinding(c.getMessagingBinding())
                .setRoleSid(c.getRoleSid())
                .setAttributes(c.getAttributes())
                .build());
    }

    /** An AddParticipant whose identity already belongs to its limit of conversations (L9). */
    public Decision.Rejected identityLimit(AddParticipant c, long count) {
        return new Decision.Rejected(Rejection.limit(RejectionCode.IDENTITY_CONVERSATION_LIMIT,
                limits.conversationsPerIdentity(), "identity " + c.getIdentity() + " belongs to " + count
                        + " conversations; the limit is " + limits.conversationsPerIdentity()));
    }

    /** The channel of the participant a SendMessage names as author; null when it names none. */
    private static Channel authorChannel(Command command, ConversationAggregate state) {
        if (!(command.body() instanceof SendMessage m) || m.getAuthor() == null || !state.exists()) {
            return null;
        }
        ParticipantState author = state.author(m.getAuthor());
        return author == null ? null : author.getChannel();
    }

    private static ConversationCreated created(CreateConversation c) {
        return ConversationCreated.newBuilder()
                .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                .setConversationSid(c.getConversationSid())
                .setFriendlyName(c.getFriendlyName())
                .setUniqueName(c.getUniqueName())
                .setAttributes(c.getAttributes())
                .setState(c.getState() == null ? ConversationState.active : c.getState())
                .build();
    }

    private static Decision update(UpdateConversation c, Conversation conversation) {
        ConversationState from = conversation.getState();
        ConversationState to = c.getState() == null ? from : c.getState();
        if (from == ConversationState.closed && to != ConversationState.closed) {
            return closed(conversation);
        }
        return Decision.Accepted.of(ConversationUpdated.newBuilder()
                .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                .setConversationSid(c.getConversationSid())
                .setFriendlyName(c.getFriendlyName())
                .setAttributes(c.getAttributes())
                .setState(to)
                .build());
    }

    private Decision addParticipant(AddParticipant c, Conversation conversation,
                                    ConversationAggregate state) {
        int count = conversation.getParticipants();
        if (count >= limits.participantsPerConversation()) {
            return new Decision.Rejected(Rejection.limit(RejectionCode.PARTICIPANT_LIMIT,
                    limits.participantsPerConversation(), "conversation " + c.getConversationSid() + " has " + count
                            + " participants; the limit is " + limits.participantsPerConversation()));
        }
        boolean nonChat = c.getMessagingBinding() != null;
        int nonChatCount = conversation.getNonChatParticipants();
        if (nonChat && nonChatCount >= limits.nonChatParticipantsPerConversation()) {
            return new Decision.Rejected(Rejection.limit(RejectionCode.NON_CHAT_PARTICIPANT_LIMIT,
                    limits.nonChatParticipantsPerConversation(),
                    "conversation " + c.getConversationSid() + " has " + nonChatCount
                            + " non-chat participants; the limit is " + limits.nonChatParticipantsPerConversation()));
        }
        boolean groupMms = conversation.getGroupMmsMembers() > 0 || Participants.makesGroupMms(c);
        if (groupMms && count >= limits.groupMmsParticipants()) {
            return new Decision.Rejected(Rejection.limit(RejectionCode.GROUP_MMS_PARTICIPANT_LIMIT,
                    limits.groupMmsParticipants(), "group MMS conversation " + c.getConversationSid() + " has " + count
                            + " participants; the limit is " + limits.groupMmsParticipants()));
        }
        Rejection exists = conflict(c, state);
        if (exists != null) {
            return new Decision.Rejected(exists);
        }
        return nonChat ? granted(c) : new Decision.AwaitIdentity(c.getIdentity());
    }

    /**
     * PARTICIPANT_EXISTS when the participantSid, the identity or the binding is already in the conversation;
     * when several participants clash, the one that joined first is named, for its first clash.
     */
    private static Rejection conflict(AddParticipant c, ConversationAggregate state) {
        MessagingBinding b = c.getMessagingBinding();
        ParticipantState first = earliest(state.participant(c.getParticipantSid()),
                c.getIdentity() == null ? null : state.withIdentity(c.getIdentity()),
                b == null || b.getAddress() == null ? null : state.withBinding(b.getAddress(), b.getProxyAddress()));
        if (first == null) {
            return null;
        }
        if (first.getParticipantSid().equals(c.getParticipantSid())) {
            return Rejection.of(RejectionCode.PARTICIPANT_EXISTS,
                    "participant " + c.getParticipantSid() + " is already in conversation " + c.getConversationSid());
        }
        if (c.getIdentity() != null && c.getIdentity().equals(first.getIdentity())) {
            return Rejection.of(RejectionCode.PARTICIPANT_EXISTS,
                    "identity " + c.getIdentity() + " is already in conversation " + c.getConversationSid());
        }
        return Rejection.of(RejectionCode.PARTICIPANT_EXISTS,
                        "a binding with address " + b.getAddress() + " and proxy address " + b.getProxyAddress()
                                + " is already in conversation " + c.getConversationSid())
                .withTwilioCode(RejectionCode.DUPLICATE_BINDING_TWILIO_CODE);
    }

    private static ParticipantState earliest(ParticipantState... candidates) {
        ParticipantState first = null;
        for (ParticipantState p : candidates) {
            if (p != null && (first == null || p.getJoinSeq() < first.getJoinSeq())) {
                first = p;
            }
        }
        return first;
    }

    private static Decision updateParticipant(UpdateParticipant c, Conversation conversation,
                                              ConversationAggregate state) {
        ParticipantState p = state.participant(c.getParticipantSid());
        if (p == null) {
            return participantNotFound(c.getParticipantSid(), c.getConversationSid());
        }
        Long lastRead = c.getLastReadMessageIndex();
        if (lastRead != null) {
            long lastIndex = conversation.getNextMessageIndex() - 1;
            if (lastRead > lastIndex) {
                return reject(RejectionCode.MESSAGE_NOT_FOUND, "lastReadMessageIndex " + lastRead
                        + " is past the conversation's last message index " + lastIndex);
            }
            // The read horizon never moves backwards (SPEC §5): a stale update keeps the later horizon.
            if (p.getLastReadMessageIndex() != null && p.getLastReadMessageIndex() > lastRead) {
                lastRead = p.getLastReadMessageIndex();
            }
        }
        return Decision.Accepted.of(ParticipantUpdated.newBuilder()
                .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                .setConversationSid(c.getConversationSid())
                .setParticipantSid(c.getParticipantSid())
                .setAttributes(c.getAttributes())
                .setRoleSid(c.getRoleSid())
                .setLastReadMessageIndex(lastRead)
                .build());
    }

    private static Decision removeParticipant(RemoveParticipant c, ConversationAggregate state) {
        ParticipantState p = state.participant(c.getParticipantSid());
        if (p == null) {
            return participantNotFound(c.getParticipantSid(), c.getConversationSid());
        }
        return Decision.Accepted.of(ParticipantRemoved.newBuilder()
                .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                .setConversationSid(c.getConversationSid())
                .setParticipantSid(c.getParticipantSid())
                .setIdentity(p.getIdentity())
                .build());
    }

    private static Decision sendMessage(SendMessage c, Conversation conversation,
                                        ConversationAggregate state) {
        if (state.message(c.getMessageSid()) != null) {
            return reject(RejectionCode.INVALID_COMMAND, "message " + c.getMessageSid() + " already exists in conversation "
                    + c.getConversationSid());
        }
        return Decision.Accepted.of(MessageAdded.newBuilder()
                .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                .setConversationSid(c.getConversationSid())
                .setMessageSid(c.getMessageSid())
                .setIndex(conversation.getNextMessageIndex())
                .setAuthor(c.getAuthor())
                .setBody(c.getBody())
                .setMedia(c.getMedia() == null ? List.of() : c.getMedia())
                .setAttributes(c.getAttributes())
                .build());
    }

    private static Decision updateMessage(UpdateMessage c, ConversationAggregate state) {
        MessageState m = state.message(c.getMessageSid());
        if (m == null) {
            return messageNotFound(c.getMessageSid(), c.getConversationSid());
        }
        return Decision.Accepted.of(MessageUpdated.newBuilder()
                .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                .setConversationSid(c.getConversationSid())
                .setMessageSid(c.getMessageSid())
                .setIndex(m.getIndex())
                .setBody(c.getBody())
                .setAttributes(c.getAttributes())
                .build());
    }

    private static Decision removeMessage(RemoveMessage c, ConversationAggregate state) {
        MessageState m = state.message(c.getMessageSid());
        if (m == null) {
            return messageNotFound(c.getMessageSid(), c.getConversationSid());
        }
        return Decision.Accepted.of(MessageRemoved.newBuilder()
                .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                .setConversationSid(c.getConversationSid())
                .setMessageSid(c.getMessageSid())
                .setIndex(m.getIndex())
                .build());
    }

    private static Decision.Rejected closed(Conversation conversation) {
        return reject(RejectionCode.CONVERSATION_CLOSED, "conversation " + conversation.getConversationSid() + " is closed");
    }

    private static Decision.Rejected participantNotFound(String participantSid, String conversationSid) {
        return reject(RejectionCode.PARTICIPANT_NOT_FOUND,
                "participant " + participantSid + " is not in conversation " + conversationSid);
    }

    private static Decision.Rejected messageNotFound(String messageSid, String conversationSid) {
        return reject(RejectionCode.MESSAGE_NOT_FOUND, "message " + messageSid + " is not in conversation " + conversationSid);
    }

    private static Decision.Rejected reject(RejectionCode code, String reason) {
        return new Decision.Rejected(Rejection.of(code, reason));
    }
}
