package io.convo.connectors;

import io.convo.model.Channel;
import io.convo.model.ConversationDeleted;
import io.convo.model.ConversationEvent;
import io.convo.model.ConversationState;
import io.convo.model.ConversationUpdated;
import io.convo.model.Delivery;
import io.convo.model.MessageAdded;
import io.convo.model.MessageRemoved;
import io.convo.model.ParticipantAdded;
import io.convo.model.ParticipantRemoved;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which participants each recent message was delivered to, so that the status endpoint believes a callback only for
 * a real recipient of a real message. Built from two sources, in whatever order their records are read:
 * <ul>
 * <li>{@code conversation-events}: a message exists once its {@code MessageAdded} has been read (and until its
 * {@code MessageRemoved} or its conversation's {@code ConversationDeleted}); participants join at the conversation's
 * next message index and leave at it, in log order. A <b>chat</b> participant is a recipient of a message when the
 * message's index lies in that span and the participant is not its author: membership at the message's place in the
 * log, which is how the topology fans out (and how chat deliveries, one record per message, will have to be read).</li>
 * <li>the <b>non-chat</b> delivery topics ({@code delivery-sms}, {@code -mms}, {@code -whatsapp}): a non-chat
 * participant is a recipient when a delivery of the message names it, or, for a group MMS (one delivery to all),
 * when its binding address is among the delivery's recipients while it was in the conversation. A non-chat
 * participant whose delivery failed at fan-out (e.g. {@code OUTBOUND_BODY_TOO_LONG}) got no delivery, and no
 * provider can report on it.</li>
 * </ul>
 *
 * <p><b>Bounded memory.</b> Messages are remembered in the order they are first read, up to {@code maxEntries}
 * entries: each message counts one, each recipient a delivery names and each group MMS address one more, each
 * departed participant kept for the remembered messages one; past the bound the oldest message is forgotten (and a
 * callback for it is answered 404), together with the departed participants only it could still need. Status
 * callbacks come within minutes of a send, hours at most for a WhatsApp {@code read}, so the last few hundred thousand
 * deliveries cover them; 200,000 entries took about 32 MB of heap (measured: 100,000 messages with one SMS recipient
 * each). What the bound does not cover is the current membership of open conversations: it must be folded from the
 * whole log (a participant who joined years ago still receives today's messages), and it is bounded by the log's live
 * state, at most {@code participants-per-conversation} (L6) per open conversation, as the inbound
 * {@link BindingDirectory} is (measured: about 365 bytes per present participant, 22 MB for 20,000 conversations of
 * three). Closed and deleted conversations are dropped once none of their messages is remembered.
 *
 * <p>One thread applies records, any number ask; every method holds the instance's lock briefly.
 */
final class MessageRecipients {

    /** What the directory knows of a callback's message and participant. */
    sealed interface Verdict {
    }

    /** The participant is one of the message's recipients. */
    record Recipient() implements Verdict {
    }

    /** No message of that conversation is known: the conversation is unknown (or long quiet and forgotten). */
    record UnknownConversation(String reason) implements Verdict {
    }

    /** The conversation is known, the message is not (never sent, removed, or older than what is remembered). */
    record UnknownMessage(String reason) implements Verdict {
    }

    /** The message is known, and the participant is not one of its recipients. */
    record NotRecipient(String reason) implements Verdict {
    }

    private static final Recipient RECIPIENT = new Recipient();
    private static final long PRESENT = Long.MAX_VALUE;

    /** A participant's channel, identity (chat) or binding address, and the message indexes it was there for. */
    private record Member(Channel channel, String name, long joinedAt, long leftAt) {
        boolean covers(long index) {
            return joinedAt <= index && index < leftAt;
        }

        boolean present() {
            return leftAt == PRESENT;
        }
    }

    private static final class Conversation {
        final String sid;
        /** Present participants, and departed ones while a remembered message may need them. */
        final Map<String, Member> members = new HashMap<>();
        final Map<String, Message> messages = new HashMap<>();
        /** The index the next MessageAdded gets, as read in log order: where a participant joins or leaves. */
        long nextIndex;
        int present;
        int departed;
        boolean closed;

        Conversation(String sid) {
            this.sid = sid;
        }
    }

    private static final class Message {
        final Conversation conversation;
        final String messageSid;
        long index;
        String author;
        /** True once its MessageAdded was read: a delivery read first does not make a message exist. */
        boolean added;
        boolean forgotten;
        Set<String> deliveredTo = Set.of();
        List<String> groupAddresses = List.of();

        Message(Conversation conversation, String messageSid, long index, String author) {
            this.conversation = conversation;
            this.messageSid = messageSid;
            this.index = index;
            this.author = author;
        }

        int entries() {
            return 1 + deliveredTo.size() + groupAddresses.size();
        }
    }

    private final long maxEntries;
    private final Map<String, Conversation> conversations = new HashMap<>();
    /** Messages in the order they were first read; forgotten ones are skipped when they reach the head. */
    private final ArrayDeque<Message> order = new ArrayDeque<>();
    private long entries;
    private long forgottenInOrder;

    /** @param maxEntries how many messages, recipients and departed participants to remember at most (≥ 1) */
    MessageRecipients(long maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    /** Applies one event of {@code conversation-events}; events that change no membership or message are ignored. */
    synchronized void apply(ConversationEvent envelope) {
        Object event = envelope.getEvent();
        if (event instanceof MessageAdded added) {
            added(added);
        } else if (event instanceof ParticipantAdded joined) {
            joined(joined);
        } else if (event instanceof ParticipantRemoved left) {
            left(left.getConversationSid(), left.getParticipantSid());
        } else if (event instanceof MessageRemoved removed) {
            Conversation c = conversations.get(removed.getConversationSid());
            Message m = c == null ? null : c.messages.get(removed.getMessageSid());
            if (m != null) {
                forget(m);
                dropIfIdle(c);
            }
        } else if (event instanceof ConversationDeleted deleted) {
            Conversation c = conversations.remove(deleted.getConversationSid());
            if (c != null) {
                List.copyOf(c.messages.values()).forEach(this::forget);
                entries -= c.departed;
            }
        } else if (event instanceof ConversationUpdated updated && updated.getState() == ConversationState.closed) {
            Conversation c = conversations.get(updated.getConversationSid());
            if (c != null) {
                c.closed = true; // its messages can still be reported on; nobody joins or writes any more
                dropIfIdle(c);
            }
        }
    }

    /** Applies one record of a non-chat delivery topic: the participants (or addresses) the message went to. */
    synchronized void apply(Delivery delivery) {
        Conversation c = conversations.computeIfAbsent(delivery.getConversationSid(), Conversation::new);
        Message m = c.messages.get(delivery.getMessageSid());
        if (m == null) {
            m = remember(c, delivery.getMessageSid(), delivery.getIndex(), delivery.getAuthor());
        }
        int before = m.entries();
        if (!m.deliveredTo.contains(delivery.getParticipantSid())) {
            Set<String> to = new HashSet<>(m.deliveredTo);
            to.add(delivery.getParticipantSid());
            m.deliveredTo = Set.copyOf(to);
        }
        if (delivery.getRecipients() != null && !delivery.getRecipients().isEmpty()) {
            m.groupAddresses = List.copyOf(delivery.getRecipients());
        }
        entries += m.entries() - before;
        evictBeyondBound();
    }

    /**
     * Whether {@code participantSid} is a recipient of message {@code messageSid} of conversation
     * {@code conversationSid}, as far as what has been read tells.
     */
    synchronized Verdict check(String conversationSid, String messageSid, String participantSid) {
        Conversation c = conversations.get(conversationSid);
        Message m = c == null ? null : c.messages.get(messageSid);
        if (m == null || !m.added) {
            if (c == null || c.present == 0 && c.messages.values().stream().noneMatch(x -> x.added)) {
                return new UnknownConversation("conversation " + conversationSid + " is not known here");
            }
            return new UnknownMessage("message " + messageSid + " is not known in conversation " + conversationSid
                    + " (never sent, removed, or older than the " + maxEntries + " deliveries remembered)");
        }
        if (m.deliveredTo.contains(participantSid)) {
            return RECIPIENT;
        }
        Member p = c.members.get(participantSid);
        if (p == null) {
            return new NotRecipient("participant " + participantSid + " is not a participant of conversation "
                    + conversationSid);
        }
        if (!p.covers(m.index)) {
            return new NotRecipient("participant " + participantSid + " was not in conversation " + conversationSid
                    + " when message " + messageSid + " (index " + m.index + ") was sent");
        }
        if (p.channel() == Channel.chat) {
            return p.name().equals(m.author)
                    ? new NotRecipient("participant " + participantSid + " is the author of message " + messageSid)
                    : RECIPIENT;
        }
        if (m.groupAddresses.contains(p.name())) {
            return RECIPIENT;
        }
        return new NotRecipient("message " + messageSid + " was not delivered to participant " + participantSid
                + " (no delivery names it)");
    }

    /** Messages remembered, for health and tests. */
    synchronized int messages() {
        return order.size() - (int) forgottenInOrder;
    }

    /** Entries counted against the bound, for tests. */
    synchronized long entries() {
        return entries;
    }

    private void added(MessageAdded added) {
        Conversation c = conversations.computeIfAbsent(added.getConversationSid(), Conversation::new);
        c.nextIndex = Math.max(c.nextIndex, added.getIndex() + 1);
        Message m = c.messages.get(added.getMessageSid());
        if (m == null) {
            m = remember(c, added.getMessageSid(), added.getIndex(), added.getAuthor());
        }
        m.index = added.getIndex();
        m.author = added.getAuthor();
        m.added = true;
        evictBeyondBound();
    }

    private void joined(ParticipantAdded joined) {
        Conversation c = conversations.computeIfAbsent(joined.getConversationSid(), Conversation::new);
        Channel channel = joined.getChannel() != null ? joined.getChannel()
                : joined.getIdentity() != null ? Channel.chat : Channel.sms;
        String name = channel == Channel.chat || joined.getMessagingBinding() == null ? joined.getIdentity()
                : joined.getMessagingBinding().getAddress();
        Member before = c.members.put(joined.getParticipantSid(), new Member(channel, String.valueOf(name), c.nextIndex,
                PRESENT));
        // A participantSid used again after it left: the earlier stay is forgotten (sids are not reused in practice).
        if (before == null || !before.present()) {
            c.present++;
        }
        if (before != null && !before.present()) {
            c.departed--;
            entries--;
        }
    }

    private void left(String conversationSid, String participantSid) {
        Conversation c = conversations.get(conversationSid);
        Member member = c == null ? null : c.members.get(participantSid);
        if (member == null || !member.present()) {
            return;
        }
        c.present--;
        if (c.messages.isEmpty() || member.joinedAt() >= c.nextIndex) {
            c.members.remove(participantSid); // no remembered message can have gone to it
        } else {
            c.members.put(participantSid, new Member(member.channel(), member.name(), member.joinedAt(), c.nextIndex));
            c.departed++;
            entries++;
            evictBeyondBound();
        }
        dropIfIdle(c);
    }

    private Message remember(Conversation c, String messageSid, long index, String author) {
        Message m = new Message(c, messageSid, index, author);
        c.messages.put(messageSid, m);
        order.addLast(m);
        entries += m.entries();
        return m;
    }

    /** Forgets a message removed or deleted: it stays in the order as a hole until it reaches the head. */
    private void forget(Message m) {
        if (m.forgotten) {
            return;
        }
        release(m);
        forgottenInOrder++;
        // Holes cost memory too; compact the order before they outnumber what is remembered.
        if (forgottenInOrder > order.size() / 2 && forgottenInOrder > 1024) {
            order.removeIf(x -> x.forgotten);
            forgottenInOrder = 0;
        }
    }

    private void release(Message m) {
        m.forgotten = true;
        m.conversation.messages.remove(m.messageSid);
        entries -= m.entries();
    }

    private void evictBeyondBound() {
        while (entries > maxEntries && !order.isEmpty()) {
            Message oldest = order.pollFirst();
            if (oldest.forgotten) {
                forgottenInOrder--;
                continue;
            }
            release(oldest);
            Conversation c = oldest.conversation;
            if (c.departed > 0) {
                pruneDeparted(c, c.messages.isEmpty() ? Long.MAX_VALUE : oldest.index + 1);
            }
            dropIfIdle(c);
        }
    }

    /**
     * Forgets the departed participants that left at or before {@code leftBy}. Messages are remembered in log order,
     * so once a message of the conversation is forgotten, the remembered ones mostly come later: a participant that
     * left before it can no longer be asked about (a delivery read ahead of its event can keep a slightly earlier
     * message a little longer; such a callback is then answered 409 instead of 202, near the bound only).
     */
    private void pruneDeparted(Conversation c, long leftBy) {
        for (Iterator<Member> it = c.members.values().iterator(); it.hasNext(); ) {
            Member member = it.next();
            if (!member.present() && member.leftAt() <= leftBy) {
                it.remove();
                c.departed--;
                entries--;
            }
        }
    }

    /** Drops a conversation nothing refers to any more: no remembered message, and nobody present (or closed). */
    private void dropIfIdle(Conversation c) {
        if (!c.messages.isEmpty()) {
            return;
        }
        if (c.departed > 0) {
            pruneDeparted(c, Long.MAX_VALUE);
        }
        if (c.present == 0 || c.closed) {
            conversations.remove(c.sid, c);
        }
    }
}
