package io.convo.app.read;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convo.internal.Conversation;
import io.convo.internal.DeliverySummary;
import io.convo.internal.MessageState;
import io.convo.internal.ParticipantState;
import io.convo.internal.RecipientStatus;
import io.convo.operate.CommittedReadModel;
import io.convo.rules.conversation.ConversationAggregate;
import io.convo.rules.identity.IdentityAggregate;
import io.convo.operate.StoreSnapshot;
import io.convo.rules.state.StateKeys;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Answers read API requests from the {@link CommittedReadModel}: committed state only, the same on every instance.
 */
final class LocalReads {

    /** A response: HTTP status and JSON body. */
    record Response(int status, ObjectNode body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaStreams streams;
    private final CommittedReadModel model;

    LocalReads(KafkaStreams streams, CommittedReadModel model) {
        this.streams = streams;
        this.model = model;
    }

    /**
     * @throws CommittedReadModel.NotReady before the read model first reached the log's end
     */
    Response answer(ReadRoute route) {
        return switch (route.kind()) {
            case HEALTH -> health();
            case CONVERSATION, PARTICIPANTS, UNREAD -> model.read(state -> conversationResource(route, state));
            case DELIVERY -> model.read(state -> delivery(route, state));
            case IDENTITY_CONVERSATIONS -> model.read(state -> identityConversations(route, state));
        };
    }

    private Response health() {
        ObjectNode body = JSON.createObjectNode();
        body.put("state", streams.state().name());
        body.put("readModel", model.ready() ? "FOLLOWING" : "READING");
        body.put("eventsApplied", model.applied());
        return new Response(streams.state().isRunningOrRebalancing() ? 200 : 503, body);
    }

    private static Response conversationResource(ReadRoute route, StoreSnapshot snapshot) {
        String sid = route.ids().get(0);
        ConversationAggregate state = new ConversationAggregate(snapshot.conversationStores(), sid);
        Conversation c = state.conversation();
        if (c == null) {
            return conversationNotFound(sid);
        }
        if (route.kind() == ReadRoute.Kind.CONVERSATION) {
            return ok(conversation(c));
        }
        if (route.kind() == ReadRoute.Kind.PARTICIPANTS) {
            ObjectNode body = JSON.createObjectNode();
            body.put("conversationSid", sid);
            body.put("participantsCount", c.getParticipants());
            ArrayNode list = body.putArray("participants");
            for (ParticipantState p : state.participants()) {
                list.add(participant(state, p));
            }
            return ok(body);
        }
        String participantSid = route.ids().get(1);
        ParticipantState p = state.participant(participantSid);
        if (p == null) {
            return notFound("PARTICIPANT_NOT_FOUND", "participant " + participantSid + " is not in conversation " + sid);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("conversationSid", sid);
        body.put("participantSid", participantSid);
        putIndex(body, "lastMessageIndex", c.getNextMessageIndex() - 1);
        body.put("lastReadMessageIndex", p.getLastReadMessageIndex());
        body.put("unreadMessagesCount", state.unread(p));
        return ok(body);
    }

    private static Response delivery(ReadRoute route, StoreSnapshot snapshot) {
        String sid = route.ids().get(0);
        String messageSid = route.ids().get(1);
        ConversationAggregate.Stores stores = snapshot.conversationStores();
        ConversationAggregate state = new ConversationAggregate(stores, sid);
        if (!state.exists()) {
            return conversationNotFound(sid);
        }
        MessageState message = state.message(messageSid);
        DeliverySummary summary = state.summary(messageSid);
        if (message == null && summary == null) {
            return notFound("MESSAGE_NOT_FOUND", "message " + messageSid + " is not in conversation " + sid);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("conversationSid", sid);
        body.put("messageSid", messageSid);
        body.put("index", message != null ? message.getIndex() : summary.getIndex());
        List<Map.Entry<String, RecipientStatus>> statuses = stores.statuses().scan(StateKeys.prefix(sid, messageSid));
        body.put("recipientsReported", statuses.size());
        body.put("sent", summary == null ? 0 : summary.getSent());
        body.put("delivered", summary == null ? 0 : summary.getDelivered());
        body.put("read", summary == null ? 0 : summary.getRead());
        body.put("failed", summary == null ? 0 : summary.getFailed());
        body.put("undelivered", summary == null ? 0 : summary.getUndelivered());
        ObjectNode byParticipant = body.putObject("statuses");
        String prefix = StateKeys.prefix(sid, messageSid);
        for (Map.Entry<String, RecipientStatus> e : statuses) {
            byParticipant.put(e.getKey().substring(prefix.length()), e.getValue().getStatus().name());
        }
        return ok(body);
    }

    private static Response identityConversations(ReadRoute route, StoreSnapshot snapshot) {
        IdentityAggregate identity = new IdentityAggregate(snapshot.identityStores(), route.key());
        ObjectNode body = JSON.createObjectNode();
        body.put("serviceSid", route.ids().get(0));
        body.put("identity", route.ids().get(1));
        // No entry is the exact answer for an identity in no (active or inactive) conversation: count 0 (L9).
        body.put("conversationsCount", identity.count());
        ArrayNode list = body.putArray("conversations");
        identity.conversations().forEach(list::add);
        return ok(body);
    }

    private static ObjectNode conversation(Conversation c) {
        ObjectNode body = JSON.createObjectNode();
        body.put("conversationSid", c.getConversationSid());
        body.put("serviceSid", c.getServiceSid());
        body.put("friendlyName", c.getFriendlyName());
        body.put("uniqueName", c.getUniqueName());
        body.put("attributes", c.getAttributes());
        body.put("state", c.getState().name());
        body.put("participantsCount", c.getParticipants());
        body.put("chatParticipantsCount", c.getParticipants() - c.getNonChatParticipants());
        body.put("nonChatParticipantsCount", c.getNonChatParticipants());
        body.put("groupMms", c.getGroupMmsMembers() > 0);
        body.put("nextMessageIndex", c.getNextMessageIndex());
        putIndex(body, "lastMessageIndex", c.getNextMessageIndex() - 1);
        return body;
    }

    private static ObjectNode participant(ConversationAggregate state, ParticipantState p) {
        ObjectNode node = JSON.createObjectNode();
        node.put("participantSid", p.getParticipantSid());
        node.put("channel", p.getChannel().name());
        node.put("identity", p.getIdentity());
        node.put("address", p.getAddress());
        node.put("proxyAddress", p.getProxyAddress());
        node.put("projectedAddress", p.getProjectedAddress());
        node.put("roleSid", p.getRoleSid());
        node.put("attributes", p.getAttributes());
        node.put("lastReadMessageIndex", p.getLastReadMessageIndex());
        node.put("unreadMessagesCount", state.unread(p));
        return node;
    }

    private static void putIndex(ObjectNode body, String field, long index) {
        if (index < 0) {
            body.putNull(field);
        } else {
            body.put(field, index);
        }
    }

    private static Response conversationNotFound(String sid) {
        return notFound("CONVERSATION_NOT_FOUND", "conversation " + sid + " does not exist");
    }

    static Response notFound(String code, String message) {
        return error(404, code, message);
    }

    static Response error(int status, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("status", status);
        body.put("code", code);
        body.put("message", message);
        return new Response(status, body);
    }

    private static Response ok(ObjectNode body) {
        return new Response(200, body);
    }
}
