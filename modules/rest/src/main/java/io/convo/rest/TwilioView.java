package io.convo.rest;

import io.convo.model.CommandRejected;
import io.convo.model.ConversationCreated;
import io.convo.model.ConversationDeleted;
import io.convo.model.ConversationEvent;
import io.convo.model.ConversationUpdated;
import io.convo.model.DeliveryStatus;
import io.convo.model.DeliverySummaryUpdated;
import io.convo.model.Media;
import io.convo.model.MessageAdded;
import io.convo.model.MessageRemoved;
import io.convo.model.MessageUpdated;
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
import io.convo.operate.EventLogReplay;
import io.convo.rules.state.StateKeys;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * What Twilio's resources show that the rules' own state does not keep: when each resource was created and last
 * updated, the messages' bodies, media and attributes, the receipts of each recipient, and the indexes the lists
 * need (a service's conversations in creation order, unique names, the conversations of an address). It is the
 * REST front's half of the read model: {@link io.convo.operate.CommittedReadModel} folds the same committed events
 * through the rules ({@code ConversationFold}, {@code ServiceFold}) for the resources' state, and tells this view of
 * each event under the same lock. It also passes each command's outcome to {@link Outcomes}.
 *
 * <p>Only the reading thread changes it, under the read model's write lock; requests read it under the read lock.
 */
final class TwilioView implements EventLogReplay.Observer {

    /** When a resource was created and last changed (epoch ms: its commands' timestamps). */
    record Dates(long created, long updated) {
        Dates touched(long at) {
            return new Dates(created, at);
        }
    }

    /** A message as the Messages resource shows it. */
    record MessageView(String sid, long index, String author, String body, List<Media> media, String attributes,
                       Dates dates) {
    }

    /** One recipient's latest delivery status of a message. */
    record ReceiptView(String participantSid, DeliveryStatus status, Dates dates) {
    }

    private record ParticipantExtra(Dates dates, String address) {
    }

    private final Outcomes outcomes;
    private final Map<String, Dates> conversations = new HashMap<>();
    /** By service: creation time (16 digits) and sid, to the sid: the conversations in the order lists page them. */
    private final Map<String, NavigableMap<String, String>> conversationsByService = new HashMap<>();
    private final Map<String, String> orderKeys = new HashMap<>();
    private final Map<String, String> uniqueNames = new HashMap<>();
    private final Map<String, String> uniqueNameKeys = new HashMap<>();
    private final Map<String, Map<String, ParticipantExtra>> participants = new HashMap<>();
    private final Map<String, NavigableMap<Long, MessageView>> messages = new HashMap<>();
    private final Map<String, Long> messageIndexes = new HashMap<>();
    private final Map<String, Map<String, ReceiptView>> receipts = new HashMap<>();
    /** By service and binding address: the conversations the address participates in. */
    private final Map<String, Set<String>> addresses = new HashMap<>();
    private final Map<String, Dates> users = new HashMap<>();
    /** By service and user sid: the identity (a user's sid is derived from its identity, see {@link TwilioSids#user}). */
    private final Map<String, String> userIdentities = new HashMap<>();
    private final Map<String, Dates> roles = new HashMap<>();

    TwilioView(Outcomes outcomes) {
        this.outcomes = outcomes;
    }

    @Override
    public void conversationEvent(String key, ConversationEvent envelope) {
        Object event = envelope.getEvent();
        if (event instanceof ConversationCreated e) {
            created(e);
        } else if (event instanceof ConversationUpdated e) {
            conversations.computeIfPresent(e.getConversationSid(), (k, d) -> d.touched(e.getTimestamp()));
        } else if (event instanceof ConversationDeleted e) {
            deleted(e);
        } else if (event instanceof ParticipantAdded e) {
            String address = e.getMessagingBinding() == null ? null : e.getMessagingBinding().getAddress();
            participants.computeIfAbsent(e.getConversationSid(), k -> new HashMap<>()).put(e.getParticipantSid(),
                    new ParticipantExtra(new Dates(e.getTimestamp(), e.getTimestamp()), address));
            if (address != null) {
                addresses.computeIfAbsent(StateKeys.key(e.getServiceSid(), address), k -> new HashSet<>())
                        .add(e.getConversationSid());
            }
        } else if (event instanceof ParticipantUpdated e) {
            Map<String, ParticipantExtra> of = participants.get(e.getConversationSid());
            if (of != null) {
                of.computeIfPresent(e.getParticipantSid(),
                        (k, p) -> new ParticipantExtra(p.dates().touched(e.getTimestamp()), p.address()));
            }
        } else if (event instanceof ParticipantRemoved e) {
            removed(e.getServiceSid(), e.getConversationSid(), e.getParticipantSid());
        } else if (event instanceof MessageAdded e) {
            messages.computeIfAbsent(e.getConversationSid(), k -> new TreeMap<>()).put(e.getIndex(),
                    new MessageView(e.getMessageSid(), e.getIndex(), e.getAuthor(), e.getBody(), e.getMedia(),
                            e.getAttributes(), new Dates(e.getTimestamp(), e.getTimestamp())));
            messageIndexes.put(StateKeys.key(e.getConversationSid(), e.getMessageSid()), e.getIndex());
        } else if (event instanceof MessageUpdated e) {
            NavigableMap<Long, MessageView> of = messages.get(e.getConversationSid());
            if (of != null) {
                of.computeIfPresent(e.getIndex(), (k, m) -> new MessageView(m.sid(), m.index(), m.author(),
                        e.getBody() != null ? e.getBody() : m.body(), m.media(),
                        e.getAttributes() != null ? e.getAttributes() : m.attributes(), m.dates().touched(e.getTimestamp())));
            }
        } else if (event instanceof MessageRemoved e) {
            NavigableMap<Long, MessageView> of = messages.get(e.getConversationSid());
            if (of != null) {
                of.remove(e.getIndex());
            }
            messageIndexes.remove(StateKeys.key(e.getConversationSid(), e.getMessageSid()));
            receipts.remove(StateKeys.key(e.getConversationSid(), e.getMessageSid()));
        } else if (event instanceof DeliverySummaryUpdated e) {
            receipts.computeIfAbsent(StateKeys.key(e.getConversationSid(), e.getMessageSid()), k -> new LinkedHashMap<>())
                    .merge(e.getParticipantSid(), new ReceiptView(e.getParticipantSid(), e.getStatus(),
                            new Dates(e.getTimestamp(), e.getTimestamp())), (was, now) -> new ReceiptView(
                            was.participantSid(), now.status(), was.dates().touched(e.getTimestamp())));
        }
        decided((SpecificRecord) event);
    }

    @Override
    public void serviceEvent(String key, ServiceEvent envelope) {
        Object event = envelope.getEvent();
        if (event instanceof UserCreated e) {
            users.put(StateKeys.key(key, e.getIdentity()), new Dates(e.getTimestamp(), e.getTimestamp()));
            userIdentities.put(StateKeys.key(key, TwilioSids.user(key, e.getIdentity())), e.getIdentity());
        } else if (event instanceof UserUpdated e) {
            users.computeIfPresent(StateKeys.key(key, e.getIdentity()), (k, d) -> d.touched(e.getTimestamp()));
        } else if (event instanceof UserDeleted e) {
            users.remove(StateKeys.key(key, e.getIdentity()));
            userIdentities.remove(StateKeys.key(key, TwilioSids.user(key, e.getIdentity())));
        } else if (event instanceof RoleCreated e) {
            roles.put(StateKeys.key(key, e.getRoleSid()), new Dates(e.getTimestamp(), e.getTimestamp()));
        } else if (event instanceof RoleUpdated e) {
            roles.merge(StateKeys.key(key, e.getRoleSid()), new Dates(e.getTimestamp(), e.getTimestamp()),
                    (was, now) -> was.touched(e.getTimestamp()));
        } else if (event instanceof RoleDeleted e) {
            roles.remove(StateKeys.key(key, e.getRoleSid()));
        }
        decided((SpecificRecord) event);
    }

    @Override
    public void rejection(String key, CommandRejected rejection) {
        outcomes.decided(rejection.getCommandId(), new Outcomes.Rejected(rejection));
    }

    @Override
    public void caughtUp() {
        outcomes.release();
    }

    /** An event of a command (every event but a delivery summary's) is its command's outcome. */
    private void decided(SpecificRecord event) {
        Schema.Field commandId = event.getSchema().getField("commandId");
        if (commandId != null) {
            outcomes.decided((String) event.get(commandId.pos()), new Outcomes.Accepted(event.getSchema().getName()));
        }
    }

    private void created(ConversationCreated e) {
        String sid = e.getConversationSid();
        conversations.put(sid, new Dates(e.getTimestamp(), e.getTimestamp()));
        String order = String.format("%016d", e.getTimestamp()) + sid;
        orderKeys.put(sid, order);
        conversationsByService.computeIfAbsent(e.getServiceSid(), k -> new TreeMap<>()).put(order, sid);
        if (e.getUniqueName() != null) {
            String unique = StateKeys.key(e.getServiceSid(), e.getUniqueName());
            uniqueNames.put(unique, sid);
            uniqueNameKeys.put(sid, unique);
        }
    }

    private void deleted(ConversationDeleted e) {
        String sid = e.getConversationSid();
        conversations.remove(sid);
        NavigableMap<String, String> of = conversationsByService.get(e.getServiceSid());
        String order = orderKeys.remove(sid);
        if (of != null && order != null) {
            of.remove(order);
        }
        String unique = uniqueNameKeys.remove(sid);
        if (unique != null) {
            uniqueNames.remove(unique);
        }
        Map<String, ParticipantExtra> members = participants.get(sid);
        if (members != null) {
            for (String participantSid : List.copyOf(members.keySet())) {
                removed(e.getServiceSid(), sid, participantSid);
            }
        }
        participants.remove(sid);
        NavigableMap<Long, MessageView> removedMessages = messages.remove(sid);
        if (removedMessages != null) {
            for (MessageView m : removedMessages.values()) {
                messageIndexes.remove(StateKeys.key(sid, m.sid()));
                receipts.remove(StateKeys.key(sid, m.sid()));
            }
        }
    }

    private void removed(String serviceSid, String conversationSid, String participantSid) {
        Map<String, ParticipantExtra> of = participants.get(conversationSid);
        ParticipantExtra p = of == null ? null : of.remove(participantSid);
        if (p != null && p.address() != null) {
            Set<String> in = addresses.get(StateKeys.key(serviceSid, p.address()));
            if (in != null) {
                in.remove(conversationSid);
            }
        }
    }

    // Reads, under the read model's read lock.

    Dates conversation(String sid) {
        return conversations.get(sid);
    }

    /** The sid of the conversation named {@code uniqueName} in the service, or null. */
    String byUniqueName(String serviceSid, String uniqueName) {
        return uniqueNames.get(StateKeys.key(serviceSid, uniqueName));
    }

    /** The service's conversations, oldest first, by their paging keys. */
    NavigableMap<String, String> conversations(String serviceSid) {
        return conversationsByService.getOrDefault(serviceSid, new TreeMap<>());
    }

    Dates participant(String conversationSid, String participantSid) {
        Map<String, ParticipantExtra> of = participants.get(conversationSid);
        ParticipantExtra p = of == null ? null : of.get(participantSid);
        return p == null ? null : p.dates();
    }

    /** The conversation's messages by index. */
    NavigableMap<Long, MessageView> messages(String conversationSid) {
        return messages.getOrDefault(conversationSid, new TreeMap<>());
    }

    MessageView message(String conversationSid, String messageSid) {
        Long index = messageIndexes.get(StateKeys.key(conversationSid, messageSid));
        return index == null ? null : messages(conversationSid).get(index);
    }

    /** The message's receipts in the order their recipients first reported. */
    List<ReceiptView> receipts(String conversationSid, String messageSid) {
        Map<String, ReceiptView> of = receipts.get(StateKeys.key(conversationSid, messageSid));
        return of == null ? List.of() : List.copyOf(of.values());
    }

    /** The conversations in which {@code address} is a participant's binding address. */
    Set<String> conversationsOfAddress(String serviceSid, String address) {
        return addresses.getOrDefault(StateKeys.key(serviceSid, address), Set.of());
    }

    Dates user(String serviceSid, String identity) {
        return users.get(StateKeys.key(serviceSid, identity));
    }

    /** The identity of the service's user with this sid, or null. */
    String userIdentity(String serviceSid, String userSid) {
        return userIdentities.get(StateKeys.key(serviceSid, userSid));
    }

    Dates role(String serviceSid, String roleSid) {
        return roles.get(StateKeys.key(serviceSid, roleSid));
    }
}
