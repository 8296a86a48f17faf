package io.convo.gateway;

import io.convo.model.ConversationDeleted;
import io.convo.model.MessageAdded;
import io.convo.model.MessageRemoved;
import io.convo.model.MessageUpdated;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The recent messages of every conversation, from {@code conversation-events}, for catch-up after a reconnect.
 * Retention is bounded per conversation by a count and by age (of the message's timestamp); a catch-up that asks
 * for messages older than what is kept says so ({@link CatchUp#complete()} false). Removed messages are dropped;
 * an updated message is kept with its latest {@code MessageUpdated}. Confined to the downstream dispatcher thread.
 */
final class MessageLog {

    /** A kept message and its latest update, if any. */
    record Entry(MessageAdded added, MessageUpdated lastUpdate) {
    }

    /**
     * What a catch-up returns.
     *
     * @param entries   the kept messages with index greater than asked, in index order
     * @param lastIndex the highest message index the log has seen in the conversation, -1 if none
     * @param complete  false when messages after the asked index were evicted by retention
     */
    record CatchUp(List<Entry> entries, long lastIndex, boolean complete) {
    }

    private static final class Conversation {
        private final TreeMap<Long, Entry> entries = new TreeMap<>();
        private long lastIndex = -1;
        private long evictedThrough = -1; // highest index dropped by retention (not by removal)
        private boolean seeded; // started from a snapshot, no message read yet
    }

    private final int maxMessages;
    private final long maxAgeMs;
    private final Clock clock;
    private final Map<String, Conversation> conversations = new HashMap<>();

    MessageLog(int maxMessages, Duration maxAge, Clock clock) {
        this.maxMessages = maxMessages;
        this.maxAgeMs = maxAge.toMillis();
        this.clock = clock;
    }

    /**
     * Starts a conversation from a snapshot ({@link ChangelogSnapshot}) in which its last index is {@code lastIndex}:
     * its messages were not read, as if retention had dropped them, until the first message the gateway reads of it
     * (the oldest of the catch-up window, read next in log order): only those before it stay dropped.
     */
    void seed(String conversationSid, long lastIndex) {
        Conversation c = conversations.computeIfAbsent(conversationSid, k -> new Conversation());
        c.lastIndex = Math.max(c.lastIndex, lastIndex);
        c.evictedThrough = Math.max(c.evictedThrough, lastIndex);
        c.seeded = true;
    }

    void apply(Object event) {
        if (event instanceof MessageAdded m) {
            Conversation c = conversations.computeIfAbsent(m.getConversationSid(), k -> new Conversation());
            if (c.seeded) {
                c.evictedThrough = Math.min(c.evictedThrough, m.getIndex() - 1);
                c.seeded = false;
            }
            c.entries.put(m.getIndex(), new Entry(m, null));
            c.lastIndex = Math.max(c.lastIndex, m.getIndex());
            while (c.entries.size() > maxMessages) {
                c.evictedThrough = Math.max(c.evictedThrough, c.entries.pollFirstEntry().getKey());
            }
        } else if (event instanceof MessageUpdated u) {
            Conversation c = conversations.get(u.getConversationSid());
            Entry e = c == null ? null : c.entries.get(u.getIndex());
            if (e != null) {
                c.entries.put(u.getIndex(), new Entry(e.added(), u));
            }
        } else if (event instanceof MessageRemoved r) {
            Conversation c = conversations.get(r.getConversationSid());
            if (c != null) {
                c.entries.remove(r.getIndex());
            }
        } else if (event instanceof ConversationDeleted d) {
            conversations.remove(d.getConversationSid());
        }
    }

    /** The kept messages of {@code conversationSid} with index greater than {@code afterIndex}. */
    CatchUp after(String conversationSid, long afterIndex) {
        Conversation c = conversations.get(conversationSid);
        if (c == null) {
            return new CatchUp(List.of(), -1, true);
        }
        evictOld(c);
        List<Entry> entries = new ArrayList<>(c.entries.tailMap(afterIndex, false).values());
        return new CatchUp(entries, c.lastIndex, afterIndex >= c.evictedThrough);
    }

    /** Drops messages past their age everywhere; the dispatcher calls it now and then. */
    void sweep() {
        conversations.values().forEach(this::evictOld);
    }

    private void evictOld(Conversation c) {
        long oldest = clock.millis() - maxAgeMs;
        Iterator<Map.Entry<Long, Entry>> it = c.entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Entry> e = it.next();
            if (e.getValue().added().getTimestamp() >= oldest) {
                break; // indexes grow with time within a conversation
            }
            c.evictedThrough = Math.max(c.evictedThrough, e.getKey());
            it.remove();
        }
    }
}
