package io.convo.connectors;

import io.convo.model.BindingType;
import io.convo.model.Channel;
import io.convo.model.ConversationDeleted;
import io.convo.model.ConversationEvent;
import io.convo.model.ConversationState;
import io.convo.model.ConversationUpdated;
import io.convo.model.MessagingBinding;
import io.convo.model.ParticipantAdded;
import io.convo.model.ParticipantRemoved;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who an inbound message is from: the SMS and WhatsApp bindings of every open conversation, built from
 * {@code conversation-events} ({@code ParticipantAdded} and {@code ParticipantRemoved}), plus the projected
 * addresses of chat participants, which is where a group MMS conversation's SMS participants write to. A closed
 * or deleted conversation releases its bindings, as in a Twilio-style API, so the address can join another.
 *
 * <p>One thread applies events, any number look up: each conversation's entry is immutable and replaced whole.
 */
final class BindingDirectory {

    /** An SMS or WhatsApp participant's binding. */
    record Binding(String participantSid, BindingType type, String address, String proxyAddress) {
    }

    /** A conversation's bindings, and its chat participants' projected addresses by participantSid. */
    private record Conversation(String serviceSid, Map<String, Binding> bindings, Map<String, String> projected) {
    }

    /** The result of a lookup. */
    sealed interface Match {
    }

    record Found(String conversationSid, String participantSid) implements Match {
    }

    record NotFound(String reason) implements Match {
    }

    record Ambiguous(List<String> conversationSids) implements Match {
    }

    private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();
    /** address → conversations holding a binding with it; each value an immutable set, replaced whole. */
    private final Map<String, Set<String>> byAddress = new ConcurrentHashMap<>();

    /** Applies one event of {@code conversation-events}; events that do not touch bindings are ignored. */
    void apply(ConversationEvent envelope) {
        Object event = envelope.getEvent();
        if (event instanceof ParticipantAdded added) {
            added(added);
        } else if (event instanceof ParticipantRemoved removed) {
            removed(removed.getConversationSid(), removed.getParticipantSid());
        } else if (event instanceof ConversationDeleted deleted) {
            release(deleted.getConversationSid());
        } else if (event instanceof ConversationUpdated updated && updated.getState() == ConversationState.closed) {
            release(updated.getConversationSid());
        }
    }

    private void added(ParticipantAdded added) {
        String conversationSid = added.getConversationSid();
        Conversation current = conversations.getOrDefault(conversationSid,
                new Conversation(added.getServiceSid(), Map.of(), Map.of()));
        MessagingBinding binding = added.getMessagingBinding();
        if (binding != null && binding.getAddress() != null && binding.getType() != null) {
            Map<String, Binding> bindings = new HashMap<>(current.bindings());
            bindings.put(added.getParticipantSid(), new Binding(added.getParticipantSid(), binding.getType(),
                    binding.getAddress(), binding.getProxyAddress()));
            conversations.put(conversationSid, new Conversation(current.serviceSid(), Map.copyOf(bindings), current.projected()));
            index(binding.getAddress(), conversationSid, true);
        } else if (added.getProjectedAddress() != null) {
            Map<String, String> projected = new HashMap<>(current.projected());
            projected.put(added.getParticipantSid(), added.getProjectedAddress());
            conversations.put(conversationSid, new Conversation(current.serviceSid(), current.bindings(), Map.copyOf(projected)));
        }
    }

    private void removed(String conversationSid, String participantSid) {
        Conversation current = conversations.get(conversationSid);
        if (current == null) {
            return;
        }
        Binding binding = current.bindings().get(participantSid);
        Map<String, Binding> bindings = new HashMap<>(current.bindings());
        bindings.remove(participantSid);
        Map<String, String> projected = new HashMap<>(current.projected());
        projected.remove(participantSid);
        if (bindings.isEmpty() && projected.isEmpty()) {
            conversations.remove(conversationSid);
        } else {
            conversations.put(conversationSid, new Conversation(current.serviceSid(), Map.copyOf(bindings), Map.copyOf(projected)));
        }
        if (binding != null && bindings.values().stream().noneMatch(b -> b.address().equals(binding.address()))) {
            index(binding.address(), conversationSid, false);
        }
    }

    private void release(String conversationSid) {
        Conversation gone = conversations.remove(conversationSid);
        if (gone != null) {
            for (Binding binding : gone.bindings().values()) {
                index(binding.address(), conversationSid, false);
            }
        }
    }

    private void index(String address, String conversationSid, boolean add) {
        byAddress.compute(address, (a, sids) -> {
            Set<String> next = new HashSet<>(sids == null ? Set.of() : sids);
            if (add) {
                next.add(conversationSid);
            } else {
                next.remove(conversationSid);
            }
            return next.isEmpty() ? null : Set.copyOf(next);
        });
    }

    /**
     * The participant an inbound message comes from: in {@code serviceSid}, a binding whose address is
     * {@code from} and whose type carries {@code channel} (SMS and MMS come from {@code sms} bindings), reached at
     * {@code to}: the binding's proxy address, or, for a binding without one (group MMS), a projected address of
     * the conversation. When {@code conversationSid} is given, only that conversation is searched and {@code to} is
     * not checked.
     */
    Match find(String serviceSid, String conversationSid, Channel channel, String from, String to) {
        Set<String> candidates = conversationSid != null ? Set.of(conversationSid) : byAddress.getOrDefault(from, Set.of());
        List<Found> found = new ArrayList<>();
        for (String sid : candidates) {
            Conversation conversation = conversations.get(sid);
            if (conversation == null || !conversation.serviceSid().equals(serviceSid)) {
                continue;
            }
            for (Binding binding : conversation.bindings().values()) {
                if (binding.address().equals(from) && carries(binding.type(), channel)
                        && (conversationSid != null || reachedAt(binding, conversation, to))) {
                    found.add(new Found(sid, binding.participantSid()));
                }
            }
        }
        if (found.size() == 1) {
            return found.get(0);
        }
        if (found.isEmpty()) {
            return new NotFound("no " + channel + " participant with address " + from
                    + (conversationSid != null ? " in conversation " + conversationSid
                    : " reached at " + to + " in an open conversation") + " of service " + serviceSid);
        }
        return new Ambiguous(found.stream().map(Found::conversationSid).distinct().sorted().toList());
    }

    int size() {
        return conversations.values().stream().mapToInt(c -> c.bindings().size()).sum();
    }

    private static boolean carries(BindingType type, Channel channel) {
        return switch (channel) {
            case sms, mms -> type == BindingType.sms;
            case whatsapp -> type == BindingType.whatsapp;
            case chat -> false;
        };
    }

    private static boolean reachedAt(Binding binding, Conversation conversation, String to) {
        if (binding.proxyAddress() != null) {
            return Objects.equals(binding.proxyAddress(), to);
        }
        return conversation.projected().containsValue(to);
    }
}
