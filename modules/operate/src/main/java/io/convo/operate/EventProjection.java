package io.convo.operate;

import io.convo.internal.ConversationAggregate;
import io.convo.internal.DeliverySummary;
import io.convo.internal.IdentityMemberships;
import io.convo.internal.MessageState;
import io.convo.internal.ParticipantState;
import io.convo.internal.RoleState;
import io.convo.internal.UserState;
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
import io.convo.model.RoleCreated;
import io.convo.model.RoleDeleted;
import io.convo.model.RoleUpdated;
import io.convo.model.ServiceEvent;
import io.convo.model.UserCreated;
import io.convo.model.UserDeleted;
import io.convo.model.UserUpdated;
import io.convo.topology.StoreNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Folds the event log into the shapes of the stores the live application keeps (SPEC §4: replaying
 * {@code conversation-events} and {@code service-events} from offset 0 rebuilds the same state). Each event changes
 * state exactly as the accepted decision that produced it did in the topology, including the memberships (L9) that
 * a ParticipantAdded reserves and a removal, a close or a delete releases. The store is keyed the way the topology
 * keys it: by the record key (the conversationSid) and the event's serviceSid.
 *
 * <p>Events of one conversation must be applied in log order; events of different conversations commute, so
 * partitions may interleave. An event the state cannot take (e.g. for a conversation the log never created, as
 * after retention deleted its start) is skipped and counted as an anomaly.
 */
public final class EventProjection {

    private static final int KEPT_ANOMALIES = 100;

    private final StoreSnapshot state = new StoreSnapshot();
    private final List<String> anomalies = new ArrayList<>();
    private long anomalyCount;
    private long applied;

    public StoreSnapshot state() {
        return state;
    }

    /** Events that could not be applied, described (the first hundred). */
    public List<String> anomalies() {
        return anomalies;
    }

    public long anomalyCount() {
        return anomalyCount;
    }

    public long applied() {
        return applied;
    }

    /** Applies a {@code conversation-events} record; {@code key} is its record key, the conversationSid. */
    public void apply(String key, ConversationEvent envelope) {
        applied++;
        Object event = envelope.getEvent();
        if (event instanceof ConversationCreated e) {
            created(key, e);
            return;
        }
        ConversationAggregate conversation = state.get(VerifiedStore.CONVERSATIONS, key);
        if (conversation == null) {
            anomaly("conversation-events", key, event.getClass().getSimpleName() + " for a conversation that does not exist");
            return;
        }
        if (event instanceof ConversationUpdated e) {
            updated(key, conversation, e);
        } else if (event instanceof ConversationDeleted e) {
            deleted(key, conversation, e);
        } else if (event instanceof ParticipantAdded e) {
            participantAdded(key, conversation, e);
        } else if (event instanceof ParticipantUpdated e) {
            participantUpdated(key, conversation, e);
        } else if (event instanceof ParticipantRemoved e) {
            participantRemoved(key, conversation, e);
        } else if (event instanceof MessageAdded e) {
            conversation.setNextMessageIndex(e.getIndex() + 1);
            state.put(VerifiedStore.MESSAGES, StoreNames.key(key, e.getMessageSid()),
                    new MessageState(e.getMessageSid(), e.getIndex(), e.getAuthor()));
        } else if (event instanceof MessageRemoved e) {
            state.put(VerifiedStore.MESSAGES, StoreNames.key(key, e.getMessageSid()), null);
        } else if (event instanceof DeliverySummaryUpdated e) {
            String messageKey = StoreNames.key(key, e.getMessageSid());
            DeliverySummary summary = state.get(VerifiedStore.DELIVERY_SUMMARIES, messageKey);
            if (summary == null) {
                summary = new DeliverySummary(e.getIndex(), new HashMap<>());
                state.put(VerifiedStore.DELIVERY_SUMMARIES, messageKey, summary);
            }
            summary.getStatuses().put(e.getParticipantSid(), e.getStatus());
        } else if (!(event instanceof MessageUpdated)) {
            // MessageUpdated changes a message's body, which no verified store keeps.
            anomaly("conversation-events", key, "unknown event " + event.getClass().getName());
        }
    }

    /** Applies a {@code service-events} record. */
    public void apply(String key, ServiceEvent envelope) {
        applied++;
        Object event = envelope.getEvent();
        if (event instanceof UserCreated e) {
            state.put(VerifiedStore.USERS, StoreNames.key(e.getServiceSid(), e.getIdentity()),
                    new UserState(e.getIdentity(), e.getFriendlyName(), e.getAttributes(), e.getRoleSid()));
        } else if (event instanceof UserUpdated e) {
            // The event carries the user as it is after the update.
            state.put(VerifiedStore.USERS, StoreNames.key(e.getServiceSid(), e.getIdentity()),
                    new UserState(e.getIdentity(), e.getFriendlyName(), e.getAttributes(), e.getRoleSid()));
        } else if (event instanceof UserDeleted e) {
            state.put(VerifiedStore.USERS, StoreNames.key(e.getServiceSid(), e.getIdentity()), null);
        } else if (event instanceof RoleCreated e) {
            state.put(VerifiedStore.ROLES, StoreNames.key(e.getServiceSid(), e.getRoleSid()),
                    new RoleState(e.getRoleSid(), e.getFriendlyName(), e.getRoleType(), new ArrayList<>(e.getPermissions())));
        } else if (event instanceof RoleUpdated e) {
            state.put(VerifiedStore.ROLES, StoreNames.key(e.getServiceSid(), e.getRoleSid()),
                    new RoleState(e.getRoleSid(), e.getFriendlyName(), e.getRoleType(), new ArrayList<>(e.getPermissions())));
        } else if (event instanceof RoleDeleted e) {
            state.put(VerifiedStore.ROLES, StoreNames.key(e.getServiceSid(), e.getRoleSid()), null);
        } else {
            anomaly("service-events", key, "unknown event " + event.getClass().getName());
        }
    }

    private void created(String key, ConversationCreated e) {
        ConversationAggregate conversation = ConversationAggregate.newBuilder()
                .setServiceSid(e.getServiceSid())
                .setConversationSid(e.getConversationSid())
                .setFriendlyName(e.getFriendlyName())
                .setUniqueName(e.getUniqueName())
                .setAttributes(e.getAttributes())
                .setState(e.getState())
                .setParticipants(new ArrayList<>())
                .setNextMessageIndex(0L)
                .build();
        state.put(VerifiedStore.CONVERSATIONS, key, conversation);
    }

    private void updated(String key, ConversationAggregate conversation, ConversationUpdated e) {
        boolean closing = conversation.getState() != ConversationState.closed && e.getState() == ConversationState.closed;
        if (e.getFriendlyName() != null) {
            conversation.setFriendlyName(e.getFriendlyName());
        }
        if (e.getAttributes() != null) {
            conversation.setAttributes(e.getAttributes());
        }
        conversation.setState(e.getState());
        if (closing) {
            // SPEC §5: closing releases the chat participants' memberships.
            releaseChatIdentities(key, conversation, e.getServiceSid());
        }
    }

    private void deleted(String key, ConversationAggregate conversation, ConversationDeleted e) {
        if (conversation.getState() != ConversationState.closed) {
            releaseChatIdentities(key, conversation, e.getServiceSid());
        }
        state.put(VerifiedStore.CONVERSATIONS, key, null);
        state.deleteAll(VerifiedStore.MESSAGES, key);
        state.deleteAll(VerifiedStore.DELIVERY_SUMMARIES, key);
    }

    private void participantAdded(String key, ConversationAggregate conversation, ParticipantAdded e) {
        MessagingBinding binding = e.getMessagingBinding();
        conversation.getParticipants().add(ParticipantState.newBuilder()
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
                .build());
        if (e.getChannel() == Channel.chat) {
            String membershipKey = StoreNames.key(e.getServiceSid(), e.getIdentity());
            IdentityMemberships held = state.get(VerifiedStore.IDENTITY_MEMBERSHIPS, membershipKey);
            if (held == null) {
                held = new IdentityMemberships(new ArrayList<>());
                state.put(VerifiedStore.IDENTITY_MEMBERSHIPS, membershipKey, held);
            }
            if (!held.getConversations().contains(key)) {
                held.getConversations().add(key);
            }
        }
    }

    private void participantUpdated(String key, ConversationAggregate conversation, ParticipantUpdated e) {
        ParticipantState p = find(conversation, e.getParticipantSid());
        if (p == null) {
            anomaly("conversation-events", key, "ParticipantUpdated for participant " + e.getParticipantSid() + " who is not in it");
            return;
        }
        // The event carries the horizon in force afterwards, already kept from moving backwards.
        if (e.getLastReadMessageIndex() != null) {
            p.setLastReadMessageIndex(e.getLastReadMessageIndex());
        }
        if (e.getAttributes() != null) {
            p.setAttributes(e.getAttributes());
        }
        if (e.getRoleSid() != null) {
            p.setRoleSid(e.getRoleSid());
        }
    }

    private void participantRemoved(String key, ConversationAggregate conversation, ParticipantRemoved e) {
        ParticipantState p = find(conversation, e.getParticipantSid());
        if (p == null) {
            anomaly("conversation-events", key, "ParticipantRemoved for participant " + e.getParticipantSid() + " who is not in it");
            return;
        }
        conversation.getParticipants().remove(p);
        if (p.getChannel() == Channel.chat) {
            release(e.getServiceSid(), p.getIdentity(), key);
        }
    }

    private void releaseChatIdentities(String key, ConversationAggregate conversation, String serviceSid) {
        for (ParticipantState p : conversation.getParticipants()) {
            if (p.getChannel() == Channel.chat) {
                release(serviceSid, p.getIdentity(), key);
            }
        }
    }

    private void release(String serviceSid, String identity, String conversationSid) {
        String membershipKey = StoreNames.key(serviceSid, identity);
        IdentityMemberships held = state.get(VerifiedStore.IDENTITY_MEMBERSHIPS, membershipKey);
        if (held == null) {
            return;
        }
        held.getConversations().remove(conversationSid);
        if (held.getConversations().isEmpty()) {
            // The topology deletes an identity's entry when its last membership goes.
            state.put(VerifiedStore.IDENTITY_MEMBERSHIPS, membershipKey, null);
        }
    }

    private static ParticipantState find(ConversationAggregate conversation, String participantSid) {
        for (ParticipantState p : conversation.getParticipants()) {
            if (p.getParticipantSid().equals(participantSid)) {
                return p;
            }
        }
        return null;
    }

    private void anomaly(String topic, String key, String what) {
        anomalyCount++;
        if (anomalies.size() < KEPT_ANOMALIES) {
            anomalies.add(topic + " key " + key + ": " + what);
        }
    }
}
