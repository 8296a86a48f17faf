package io.convo.rules.conversation;

import io.convo.internal.Conversation;
import io.convo.internal.DeliverySummary;
import io.convo.internal.MessageState;
import io.convo.internal.ParticipantRef;
import io.convo.internal.ParticipantState;
import io.convo.internal.RecipientStatus;
import io.convo.internal.RoleState;
import io.convo.model.DeliveryStatus;
import io.convo.rules.permission.DefaultRoles;
import io.convo.rules.permission.RoleDirectory;
import io.convo.rules.service.ServiceAggregate;
import io.convo.rules.state.KeyValues;
import io.convo.rules.state.SortedMapKeyValues;
import io.convo.rules.state.StateKeys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One conversation's state as the rules read it, over the stores that keep it. The conversation's own value holds
 * counts, flags, state and the next message index; each participant, message and recipient status is an entry of
 * its own under the conversation's id, so that no value grows with a limit (1000 participants with 4 KB of
 * attributes each fit, however long their identities). {@link #apply} is the only way state changes; the changes
 * come from {@link ConversationFold#evolve}.
 */
public final class ConversationAggregate {

    /**
     * Where a conversation's state lives.
     *
     * @param conversations    by conversationSid
     * @param participants     by conversationSid and participantSid
     * @param participantIndex by conversationSid and an identity, or a binding's address and proxy address
     * @param messages         by conversationSid and messageSid
     * @param summaries        by conversationSid and messageSid: counts of recipients by latest delivery status
     * @param statuses         by conversationSid, messageSid and participantSid: a recipient's latest status
     * @param services         every service's users and roles, which participants and users act with: read only,
     *                         kept from {@code service-events} by the service directory
     */
    public record Stores(KeyValues<Conversation> conversations, KeyValues<ParticipantState> participants,
                         KeyValues<ParticipantRef> participantIndex, KeyValues<MessageState> messages,
                         KeyValues<DeliverySummary> summaries, KeyValues<RecipientStatus> statuses,
                         ServiceAggregate.Stores services) {

        /** For folds that decide nothing (replay, read models): no users, no roles but the default ones. */
        public Stores(KeyValues<Conversation> conversations, KeyValues<ParticipantState> participants,
                      KeyValues<ParticipantRef> participantIndex, KeyValues<MessageState> messages,
                      KeyValues<DeliverySummary> summaries, KeyValues<RecipientStatus> statuses) {
            this(conversations, participants, participantIndex, messages, summaries, statuses,
                    ServiceAggregate.Stores.inMemory());
        }

        /** Stores in sorted maps, for replay, read models and tests. */
        public static Stores inMemory() {
            return new Stores(new SortedMapKeyValues<>(), new SortedMapKeyValues<>(), new SortedMapKeyValues<>(),
                    new SortedMapKeyValues<>(), new SortedMapKeyValues<>(), new SortedMapKeyValues<>(),
                    ServiceAggregate.Stores.inMemory());
        }
    }

    /** A change to a conversation's state, as {@link ConversationFold#evolve} derives it from an event. */
    public sealed interface Change {

        record PutConversation(Conversation conversation) implements Change {
        }

        /** The conversation and every entry under it go. */
        record ClearConversation() implements Change {
        }

        /** A participant's entry; {@code joined} when it is new, so that its identity or binding is indexed too. */
        record PutParticipant(ParticipantState participant, boolean joined) implements Change {
        }

        /** A participant's entry and its index entries go. */
        record DeleteParticipant(ParticipantState participant) implements Change {
        }

        record PutMessage(MessageState message) implements Change {
        }

        record DeleteMessage(String messageSid) implements Change {
        }

        /** A recipient's latest status for a message, and the message's counts that follow. */
        record PutRecipientStatus(String messageSid, String participantSid, DeliveryStatus status,
                                  DeliverySummary summary) implements Change {
        }
    }

    private static final String IDENTITY = "i";
    private static final String BINDING = "b";
    private static final Comparator<ParticipantState> JOIN_ORDER = Comparator.comparingLong(ParticipantState::getJoinSeq);

    private final Stores stores;
    private final String conversationSid;
    private Conversation conversation;
    private boolean loaded;
    /**
     * The last {@link #author} answer: a message's rules, its actor and its fan-out each ask for its author, and the
     * answer takes a lookup and a prefix scan. Forgotten whenever a participant changes.
     */
    private boolean authorKnown;
    private String authorAsked;
    private ParticipantState authorFound;

    public ConversationAggregate(Stores stores, String conversationSid) {
        this.stores = stores;
        this.conversationSid = conversationSid;
    }

    public String conversationSid() {
        return conversationSid;
    }

    /** The conversation's own value, or null when it does not exist. Not to be changed: values are shared. */
    public Conversation conversation() {
        if (!loaded) {
            conversation = stores.conversations().get(conversationSid);
            loaded = true;
        }
        return conversation;
    }

    public boolean exists() {
        return conversation() != null;
    }

    public ParticipantState participant(String participantSid) {
        return stores.participants().get(StateKeys.key(conversationSid, participantSid));
    }

    /**
     * How many messages {@code participant} has not read (SPEC §5): last index + 1 − (lastRead + 1). Indexes have no
     * gaps and are never renumbered, and the horizon never moves backwards, so this is exact; a participant who never
     * read has read nothing (lastRead + 1 = 0).
     */
    public long unread(ParticipantState participant) {
        long lastIndex = conversation().getNextMessageIndex() - 1;
        long lastRead = participant.getLastReadMessageIndex() == null ? -1 : participant.getLastReadMessageIndex();
        return lastIndex + 1 - (lastRead + 1);
    }

    /** The chat participant with this identity, or null. */
    public ParticipantState withIdentity(String identity) {
        return byRef(stores.participantIndex().get(identityKey(identity)));
    }

    /** The participant with this binding (address and proxy address, either may be absent), or null. */
    public ParticipantState withBinding(String address, String proxyAddress) {
        return byRef(stores.participantIndex().get(bindingKey(address, proxyAddress)));
    }

    /**
     * The participant a message's author names: the first to have joined of those whose identity or binding
     * address is {@code author}; null when none is.
     */
    public ParticipantState author(String author) {
        if (!authorKnown || !Objects.equals(author, authorAsked)) {
            authorFound = firstAuthor(author);
            authorAsked = author;
            authorKnown = true;
        }
        return authorFound;
    }

    private ParticipantState firstAuthor(String author) {
        ParticipantState first = withIdentity(author);
        for (Map.Entry<String, ParticipantRef> e : stores.participantIndex().scan(
                StateKeys.prefix(conversationSid, BINDING, author))) {
            ParticipantState p = byRef(e.getValue());
            if (p != null && (first == null || p.getJoinSeq() < first.getJoinSeq())) {
                first = p;
            }
        }
        return first;
    }

    /** Every participant, in the order they joined. */
    public List<ParticipantState> participants() {
        List<ParticipantState> all = new ArrayList<>();
        for (Map.Entry<String, ParticipantState> e : stores.participants().scan(StateKeys.prefix(conversationSid))) {
            all.add(e.getValue());
        }
        all.sort(JOIN_ORDER);
        return all;
    }

    /**
     * The role a participant acts with: its own, or the channel user's when it has none or its role is gone (SPEC §9).
     */
    public RoleState roleOf(ParticipantState participant) {
        return new RoleDirectory(stores.services().roles()).actingRole(conversation().getServiceSid(),
                participant.getRoleSid(), DefaultRoles.CHANNEL_USER);
    }

    /**
     * The service role the user {@code identity} acts with where a conversation has no participant to ask (creating
     * or joining one): its user's role, or the service user's.
     */
    public RoleState serviceRoleOf(String serviceSid, String identity) {
        ServiceAggregate service = new ServiceAggregate(stores.services(), serviceSid);
        return service.roleOf(service.user(identity));
    }

    public MessageState message(String messageSid) {
        return stores.messages().get(StateKeys.key(conversationSid, messageSid));
    }

    /** The counts of a message's recipients by latest status, or null before its first receipt. */
    public DeliverySummary summary(String messageSid) {
        return stores.summaries().get(StateKeys.key(conversationSid, messageSid));
    }

    /** A recipient's latest status for a message, or null when none was reported. */
    public DeliveryStatus status(String messageSid, String participantSid) {
        RecipientStatus s = stores.statuses().get(StateKeys.key(conversationSid, messageSid, participantSid));
        return s == null ? null : s.getStatus();
    }

    public void apply(List<Change> changes) {
        changes.forEach(this::apply);
    }

    public void apply(Change change) {
        if (!(change instanceof Change.PutConversation || change instanceof Change.PutMessage
                || change instanceof Change.DeleteMessage || change instanceof Change.PutRecipientStatus)) {
            authorKnown = false; // a participant changed, or every one went
        }
        if (change instanceof Change.PutConversation c) {
            stores.conversations().put(conversationSid, c.conversation());
            conversation = c.conversation();
            loaded = true;
        } else if (change instanceof Change.ClearConversation) {
            clear();
        } else if (change instanceof Change.PutParticipant p) {
            ParticipantState participant = p.participant();
            stores.participants().put(StateKeys.key(conversationSid, participant.getParticipantSid()), participant);
            if (p.joined()) {
                stores.participantIndex().put(indexKey(participant), new ParticipantRef(participant.getParticipantSid()));
            }
        } else if (change instanceof Change.DeleteParticipant p) {
            ParticipantState participant = p.participant();
            stores.participants().delete(StateKeys.key(conversationSid, participant.getParticipantSid()));
            stores.participantIndex().delete(indexKey(participant));
        } else if (change instanceof Change.PutMessage m) {
            stores.messages().put(StateKeys.key(conversationSid, m.message().getMessageSid()), m.message());
        } else if (change instanceof Change.DeleteMessage m) {
            stores.messages().delete(StateKeys.key(conversationSid, m.messageSid()));
        } else if (change instanceof Change.PutRecipientStatus s) {
            stores.statuses().put(StateKeys.key(conversationSid, s.messageSid(), s.participantSid()),
                    new RecipientStatus(s.status()));
            stores.summaries().put(StateKeys.key(conversationSid, s.messageSid()), s.summary());
        }
    }

    private void clear() {
        String all = StateKeys.prefix(conversationSid);
        stores.conversations().delete(conversationSid);
        stores.participants().deleteAll(all);
        stores.participantIndex().deleteAll(all);
        stores.messages().deleteAll(all);
        stores.summaries().deleteAll(all);
        stores.statuses().deleteAll(all);
        conversation = null;
        loaded = true;
    }

    private ParticipantState byRef(ParticipantRef ref) {
        return ref == null ? null : participant(ref.getParticipantSid());
    }

    private String indexKey(ParticipantState p) {
        return p.getIdentity() != null ? identityKey(p.getIdentity()) : bindingKey(p.getAddress(), p.getProxyAddress());
    }

    private String identityKey(String identity) {
        return StateKeys.key(conversationSid, IDENTITY, identity);
    }

    /** A missing proxy address and an empty one are different bindings, so each gets its own marker. */
    private String bindingKey(String address, String proxyAddress) {
        return StateKeys.key(conversationSid, BINDING, address, proxyAddress == null ? "-" : "+" + proxyAddress);
    }
}
