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
import io.convo.rules.permission.Authorization;
import io.convo.rules.permission.Permission;
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
            if (conversation != null) {
                return reject(RejectionCode.CONVERSATION_EXISTS, "conversation " + c.getConversationSid() + " already exists");
            }
            Rejection refused = asUser(command, state, Permission.createConversation,
                    "create conversation " + c.getConversationSid());
            return refused != null ? new Decision.Rejected(refused) : Decision.Accepted.of(created(c));
        }
        if (conversation == null) {
            return reject(RejectionCode.CONVERSATION_NOT_FOUND,
                    "conversation " + command.conversationSid() + " does not exist");
        }
        Actor actor = Actor.of(command, state);
        if (actor != null && actor.participant() == null) {
            if (!(command.body() instanceof AddParticipant c && joins(c, actor))) {
                return new Decision.Rejected(Authorization.notParticipant(actor.identity(), conversation.getConversationSid()));
            }
            // A user adding itself joins: its service role decides, and then nothing else about the actor does;
            // but it may not choose its own role (that would be promoting itself, as in UpdateParticipant).
            AddParticipant join = (AddParticipant) command.body();
            if (join.getRoleSid() != null) {
                return reject(RejectionCode.NOT_AUTHORIZED, actor.identity() + " may not join conversation "
                        + conversation.getConversationSid() + " with a role of its choosing (" + join.getRoleSid()
                        + "): only a participant with editAnyParticipantAttributes, or a backend, gives roles");
            }
            Rejection refused = asUser(command, state, Permission.joinConversation,
                    "join conversation " + conversation.getConversationSid());
            if (refused != null) {
                return new Decision.Rejected(refused);
            }
            actor = null;
        }
        if (command.body() instanceof DeleteConversation c) {
            Decision.Rejected refused = refused(actor, "delete conversation " + c.getConversationSid(),
                    Permission.deleteConversation);
            if (refused != null) {
                return refused;
            }
            return Decision.Accepted.of(ConversationDeleted.newBuilder()
                    .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                    .setConversationSid(c.getConversationSid())
                    .build());
        }
        if (command.body() instanceof UpdateConversation c) {
            return update(c, conversation, actor);
        }
        if (conversation.getState() == ConversationState.closed) {
            return closed(conversation);
        }
        if (command.body() instanceof AddParticipant c) {
            return addParticipant(c, conversation, state, actor);
        }
        if (command.body() instanceof UpdateParticipant c) {
            return updateParticipant(c, conversation, state, actor);
        }
        if (command.body() instanceof RemoveParticipant c) {
            return removeParticipant(c, state, actor);
        }
        if (command.body() instanceof SendMessage c) {
            return sendMessage(c, conversation, state, actor);
        }
        if (command.body() instanceof UpdateMessage c) {
            return updateMessage(c, state, actor);
        }
        if (command.body() instanceof RemoveMessage c) {
            return removeMessage(c, state, actor);
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

    private static Decision update(UpdateConversation c, Conversation conversation, Actor actor) {
        // Twilio's SDK has no permission for a conversation's state; closing it is treated as changing its settings.
        Decision.Rejected refused = refused(actor, "change conversation " + c.getConversationSid(),
                c.getFriendlyName() == null ? null : Permission.editConversationName,
                c.getAttributes() == null && c.getState() == null ? null : Permission.editConversationAttributes);
        if (refused != null) {
            return refused;
        }
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
                                    ConversationAggregate state, Actor actor) {
        boolean nonChat = c.getMessagingBinding() != null;
        Decision.Rejected refused = refused(actor, "add participant " + c.getParticipantSid(),
                nonChat ? Permission.addNonChatParticipant : Permission.addParticipant);
        if (refused != null) {
            return refused;
        }
        int count = conversation.getParticipants();
        if (count >= limits.participantsPerConversation()) {
            return new Decision.Rejected(Rejection.limit(RejectionCode.PARTICIPANT_LIMIT,
                    limits.participantsPerConversation(), "conversation " + c.getConversationSid() + " has " + count
                            + " participants; the limit is " + limits.participantsPerConversation()));
        }
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
                                              ConversationAggregate state, Actor actor) {
        ParticipantState p = state.participant(c.getParticipantSid());
        if (p == null) {
            return participantNotFound(c.getParticipantSid(), c.getConversationSid());
        }
        Decision.Rejected refused = actor == null ? null : participantChange(c, p, actor);
        if (refused != null) {
            return refused;
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

    private static Decision removeParticipant(RemoveParticipant c, ConversationAggregate state, Actor actor) {
        ParticipantState p = state.participant(c.getParticipantSid());
        if (p == null) {
            return participantNotFound(c.getParticipantSid(), c.getConversationSid());
        }
        boolean leaves = actor != null && actor.is(p);
        Decision.Rejected refused = refused(actor, leaves ? "leave the conversation" : "remove participant "
                + c.getParticipantSid(), leaves ? Permission.leaveConversation : Permission.removeParticipant);
        if (refused != null) {
            return refused;
        }
        return Decision.Accepted.of(ParticipantRemoved.newBuilder()
                .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                .setConversationSid(c.getConversationSid())
                .setParticipantSid(c.getParticipantSid())
                .setIdentity(p.getIdentity())
                .build());
    }

    private static Decision sendMessage(SendMessage c, Conversation conversation,
                                        ConversationAggregate state, Actor actor) {
        if (state.message(c.getMessageSid()) != null) {
            return reject(RejectionCode.INVALID_COMMAND, "message " + c.getMessageSid() + " already exists in conversation "
                    + c.getConversationSid());
        }
        if (actor != null && c.getAuthor() != null && !c.getAuthor().equals(actor.identity())) {
            return reject(RejectionCode.NOT_AUTHORIZED, actor.identity() + " may not send a message as " + c.getAuthor()
                    + ": a user's messages are authored by its own identity");
        }
        boolean media = c.getMedia() != null && !c.getMedia().isEmpty();
        Decision.Rejected refused = refused(actor, "send message " + c.getMessageSid(), Permission.sendMessage,
                media ? Permission.sendMediaMessage : null);
        if (refused != null) {
            return refused;
        }
        return Decision.Accepted.of(MessageAdded.newBuilder()
                .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                .setConversationSid(c.getConversationSid())
                .setMessageSid(c.getMessageSid())
                .setIndex(conversation.getNextMessageIndex())
                // A user's message without an author is its own (SPEC §9: the author is the acting identity).
                .setAuthor(c.getAuthor() != null || actor == null ? c.getAuthor() : actor.identity())
                .setBody(c.getBody())
                .setMedia(c.getMedia() == null ? List.of() : c.getMedia())
                .setAttributes(c.getAttributes())
                .build());
    }

    private static Decision updateMessage(UpdateMessage c, ConversationAggregate state, Actor actor) {
        MessageState m = state.message(c.getMessageSid());
        if (m == null) {
            return messageNotFound(c.getMessageSid(), c.getConversationSid());
        }
        boolean own = actor != null && actor.identity().equals(m.getAuthor());
        Decision.Rejected refused = refused(actor, "edit message " + c.getMessageSid() + (own ? "" : " of " + m.getAuthor()),
                c.getBody() == null ? null : own ? Permission.editOwnMessage : Permission.editAnyMessage,
                c.getAttributes() == null ? null
                        : own ? Permission.editOwnMessageAttributes : Permission.editAnyMessageAttributes);
        if (refused != null) {
            return refused;
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

    private static Decision removeMessage(RemoveMessage c, ConversationAggregate state, Actor actor) {
        MessageState m = state.message(c.getMessageSid());
        if (m == null) {
            return messageNotFound(c.getMessageSid(), c.getConversationSid());
        }
        boolean own = actor != null && actor.identity().equals(m.getAuthor());
        Decision.Rejected refused = refused(actor, "delete message " + c.getMessageSid() + (own ? "" : " of " + m.getAuthor()),
                own ? Permission.deleteOwnMessage : Permission.deleteAnyMessage);
        if (refused != null) {
            return refused;
        }
        return Decision.Accepted.of(MessageRemoved.newBuilder()
                .setCommandId(c.getCommandId()).setServiceSid(c.getServiceSid()).setTimestamp(c.getTimestamp())
                .setConversationSid(c.getConversationSid())
                .setMessageSid(c.getMessageSid())
                .setIndex(m.getIndex())
                .build());
    }

    /**
     * A participant changing a participant: its own attributes take editOwnParticipantAttributes and its own read
     * horizon nothing (every reader keeps its own); anyone else's attributes or read horizon, and any role (its own
     * too: that would be promoting itself), take editAnyParticipantAttributes.
     */
    private static Decision.Rejected participantChange(UpdateParticipant c, ParticipantState p, Actor actor) {
        if (!actor.is(p)) {
            return refused(actor, "change participant " + p.getParticipantSid(), Permission.editAnyParticipantAttributes);
        }
        return refused(actor, "change its own participant",
                c.getAttributes() == null ? null : Permission.editOwnParticipantAttributes,
                c.getRoleSid() == null ? null : Permission.editAnyParticipantAttributes);
    }

    /** A chat participant for the acting identity itself: a user joining. */
    private static boolean joins(AddParticipant c, Actor actor) {
        return c.getMessagingBinding() == null && actor.identity().equals(c.getIdentity());
    }

    /**
     * Null when no identity acts or the acting user's service role grants {@code needed}; for what a conversation's
     * roles cannot decide, since no participant acts yet (SPEC §9).
     */
    private static Rejection asUser(Command command, ConversationAggregate state, Permission needed, String action) {
        String acting = command.actingIdentity();
        if (acting == null) {
            return null;
        }
        return Authorization.check(acting, state.serviceRoleOf(command.serviceSid(), acting), needed, action);
    }

    /**
     * Null when a backend acts (no actor) or the actor's role grants every one of {@code needed} (nulls stand for
     * nothing needed); else the refusal for the first it lacks.
     */
    private static Decision.Rejected refused(Actor actor, String action, Permission... needed) {
        if (actor == null) {
            return null;
        }
        for (Permission p : needed) {
            Rejection r = p == null ? null : actor.check(p, action);
            if (r != null) {
                return new Decision.Rejected(r);
            }
        }
        return null;
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
