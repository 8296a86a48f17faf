package io.convo.gateway;

import io.convo.model.ConversationCreated;
import io.convo.model.ConversationDeleted;
import io.convo.model.ParticipantAdded;
import io.convo.model.ParticipantRemoved;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which chat identities participate in which conversation, built from {@code conversation-events}: the topology
 * does not check that a message's author is a participant, so the gateway does before it produces a client's
 * command (SPEC §7). Written by one thread (the downstream dispatcher), read by any. Non-chat participants
 * (SMS, WhatsApp bindings) have no identity and are not indexed.
 */
final class MembershipIndex {

    /** One conversation: its service and its chat participants both ways (participantSid ↔ identity). */
    private static final class Members {
        private final String serviceSid;
        private final Map<String, String> identityBySid = new ConcurrentHashMap<>();
        private final Map<String, String> sidByIdentity = new ConcurrentHashMap<>();

        private Members(String serviceSid) {
            this.serviceSid = serviceSid;
        }

        private void add(String participantSid, String identity) {
            identityBySid.put(participantSid, identity);
            sidByIdentity.put(identity, participantSid);
        }
    }

    private final Map<String, Members> conversations = new ConcurrentHashMap<>();

    /** Applies one event; events that change no membership are ignored. */
    void apply(Object event) {
        if (event instanceof ConversationCreated c) {
            conversations.putIfAbsent(c.getConversationSid(), new Members(c.getServiceSid()));
        } else if (event instanceof ParticipantAdded p && p.getIdentity() != null) {
            conversations.computeIfAbsent(p.getConversationSid(), k -> new Members(p.getServiceSid()))
                    .add(p.getParticipantSid(), p.getIdentity());
        } else if (event instanceof ParticipantRemoved p) {
            Members m = conversations.get(p.getConversationSid());
            if (m != null) {
                String identity = m.identityBySid.remove(p.getParticipantSid());
                if (identity != null) {
                    m.sidByIdentity.remove(identity, p.getParticipantSid());
                }
            }
        } else if (event instanceof ConversationDeleted d) {
            conversations.remove(d.getConversationSid());
        }
    }

    /** Adds what a snapshot holds ({@link ChangelogSnapshot}): a conversation of {@code serviceSid}. */
    void seedConversation(String conversationSid, String serviceSid) {
        conversations.putIfAbsent(conversationSid, new Members(serviceSid));
    }

    /** Adds what a snapshot holds: a chat participant of a conversation seeded before. */
    void seedMember(String conversationSid, String participantSid, String identity) {
        Members m = conversations.get(conversationSid);
        if (m != null) {
            m.add(participantSid, identity);
        }
    }

    /**
     * The chat participants of {@code conversationSid} now (identity → participantSid), empty when it is unknown:
     * read on the dispatcher thread at a message's place in the log, they are that message's chat audience.
     */
    Map<String, String> chatMembers(String conversationSid) {
        Members m = conversations.get(conversationSid);
        return m == null ? Map.of() : m.sidByIdentity;
    }

    /** True when {@code identity} of {@code serviceSid} is a chat participant of {@code conversationSid}. */
    boolean isParticipant(String conversationSid, String serviceSid, String identity) {
        Members m = conversationSid == null ? null : conversations.get(conversationSid);
        return m != null && m.serviceSid.equals(serviceSid) && m.sidByIdentity.containsKey(identity);
    }

    int conversations() {
        return conversations.size();
    }
}
