package io.convo.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convo.internal.Conversation;
import io.convo.internal.ParticipantState;
import io.convo.model.AddParticipant;
import io.convo.model.BindingType;
import io.convo.model.CreateConversation;
import io.convo.model.DeleteConversation;
import io.convo.model.MessagingBinding;
import io.convo.model.RemoveMessage;
import io.convo.model.RemoveParticipant;
import io.convo.model.SendMessage;
import io.convo.model.UpdateConversation;
import io.convo.model.UpdateMessage;
import io.convo.model.UpdateParticipant;
import io.convo.rest.TwilioApi.Answer;
import io.convo.rest.TwilioApi.Call;
import io.convo.rest.TwilioApi.Refused;
import io.convo.rules.conversation.ConversationAggregate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * {@code /v1/Conversations} and what is under it (Participants, Messages, Receipts), also under
 * {@code /v1/Services/{ChatServiceSid}}: the routes and the resources' reads and writes.
 */
final class ConversationResources {

    private final RestCalls calls;
    private final TwilioView view;

    ConversationResources(RestCalls calls, TwilioView view) {
        this.calls = calls;
        this.view = view;
    }

    /** A request whose path starts with {@code Conversations}; null when no resource has its path. */
    Answer handle(Call call) {
        List<String> p = call.path();
        if (p.size() == 1) {
            return switch (call.method()) {
                case "GET" -> listConversations(call);
                case "POST" -> createConversation(call);
                default -> RestCalls.notAllowed();
            };
        }
        String sid = calls.read(s -> calls.conversationSid(s, call, p.get(1)));
        if (sid == null) {
            return Answer.error(TwilioError.notFound("Conversation " + p.get(1)));
        }
        if (p.size() == 2) {
            return switch (call.method()) {
                case "GET" -> conversationResource(call, sid, 200);
                case "POST" -> updateConversation(call, sid);
                case "DELETE" -> calls.deleted(call, DeleteConversation.newBuilder().setConversationSid(sid));
                default -> RestCalls.notAllowed();
            };
        }
        return switch (p.get(2)) {
            case "Participants" -> participants(call, sid);
            case "Messages" -> messages(call, sid);
            default -> null;
        };
    }

    private Answer listConversations(Call call) {
        Paging.Request paging = calls.paging(call);
        String state = Form.first(call.query(), "State");
        Map<String, String> filters = new LinkedHashMap<>();
        if (state != null) {
            filters.put("State", state);
        }
        return calls.read(s -> {
            ConversationAggregate.Stores stores = s.conversationStores();
            NavigableMap<String, String> all = view.conversations(call.scope().serviceSid());
            if (state != null) {
                // A filtered list is built per request; the unfiltered one pages the view's own index.
                NavigableMap<String, String> filtered = new TreeMap<>();
                all.forEach((order, sid) -> {
                    Conversation c = stores.conversations().get(sid);
                    if (c != null && c.getState().name().equals(state)) {
                        filtered.put(order, sid);
                    }
                });
                all = filtered;
            }
            return Answer.of(200, Paging.page(all, paging, "conversations", call.scope().root() + "/Conversations",
                    filters, k -> k, k -> k, sid -> Resources.conversation(call.scope(),
                            stores.conversations().get(sid), view.conversation(sid))));
        });
    }

    private Answer createConversation(Call call) {
        String commandId = call.commandId();
        String sid = TwilioSids.derived(TwilioSids.CONVERSATION, commandId);
        CreateConversation.Builder c = CreateConversation.newBuilder().setConversationSid(sid)
                .setFriendlyName(call.param("FriendlyName")).setUniqueName(call.param("UniqueName"))
                .setAttributes(call.param("Attributes")).setState(RestCalls.state(call.param("State")));
        return calls.submit(call, commandId, c, () -> conversationResource(call, sid, 201));
    }

    private Answer updateConversation(Call call, String sid) {
        if (call.has("UniqueName")) {
            throw new Refused(TwilioError.invalid("UniqueName cannot be changed in convo once a conversation has one"
                    + " (it names the conversation in its service)"));
        }
        String commandId = call.commandId();
        UpdateConversation.Builder c = UpdateConversation.newBuilder().setConversationSid(sid)
                .setFriendlyName(call.param("FriendlyName")).setAttributes(call.param("Attributes"))
                .setState(RestCalls.state(call.param("State")));
        return calls.submit(call, commandId, c, () -> conversationResource(call, sid, 200));
    }

    private Answer conversationResource(Call call, String sid, int status) {
        return calls.read(s -> {
            Conversation c = s.conversationStores().conversations().get(sid);
            return c == null ? Answer.error(TwilioError.notFound("Conversation " + sid))
                    : Answer.of(status, Resources.conversation(call.scope(), c, view.conversation(sid)));
        });
    }

    private Answer participants(Call call, String conversationSid) {
        List<String> p = call.path();
        if (p.size() == 3) {
            return switch (call.method()) {
                case "GET" -> listParticipants(call, conversationSid);
                case "POST" -> addParticipant(call, conversationSid);
                default -> RestCalls.notAllowed();
            };
        }
        if (p.size() != 4) {
            return null;
        }
        String participantSid = calls.read(s -> {
            ConversationAggregate c = new ConversationAggregate(s.conversationStores(), conversationSid);
            ParticipantState found = c.participant(p.get(3));
            if (found == null) {
                found = c.withIdentity(p.get(3));
            }
            return found == null ? null : found.getParticipantSid();
        });
        if (participantSid == null) {
            return Answer.error(TwilioError.notFound("Participant " + p.get(3)));
        }
        return switch (call.method()) {
            case "GET" -> participantResource(call, conversationSid, participantSid, 200);
            case "POST" -> updateParticipant(call, conversationSid, participantSid);
            case "DELETE" -> calls.deleted(call, RemoveParticipant.newBuilder().setConversationSid(conversationSid)
                    .setParticipantSid(participantSid));
            default -> RestCalls.notAllowed();
        };
    }

    private Answer listParticipants(Call call, String conversationSid) {
        Paging.Request paging = calls.paging(call);
        return calls.read(s -> {
            ConversationAggregate c = new ConversationAggregate(s.conversationStores(), conversationSid);
            NavigableMap<String, ParticipantState> all = new TreeMap<>();
            for (ParticipantState member : c.participants()) {
                TwilioView.Dates d = view.participant(conversationSid, member.getParticipantSid());
                all.put(String.format("%016d", d == null ? 0 : d.created()) + member.getParticipantSid(), member);
            }
            return Answer.of(200, Paging.page(all, paging, "participants",
                    call.scope().conversation(conversationSid) + "/Participants", Map.of(), k -> k, k -> k,
                    member -> Resources.participant(call.scope(), c.conversation(), member,
                            view.participant(conversationSid, member.getParticipantSid()))));
        });
    }

    private Answer addParticipant(Call call, String conversationSid) {
        String commandId = call.commandId();
        String sid = TwilioSids.derived(TwilioSids.PARTICIPANT, commandId);
        String address = call.param("MessagingBinding.Address");
        AddParticipant.Builder c = AddParticipant.newBuilder().setConversationSid(conversationSid).setParticipantSid(sid)
                .setIdentity(call.param("Identity")).setProjectedAddress(call.param("MessagingBinding.ProjectedAddress"))
                .setRoleSid(call.param("RoleSid")).setAttributes(call.param("Attributes"));
        if (address != null) {
            c.setMessagingBinding(MessagingBinding.newBuilder()
                    .setType(address.startsWith("whatsapp:") ? BindingType.whatsapp : BindingType.sms)
                    .setAddress(address).setProxyAddress(call.param("MessagingBinding.ProxyAddress")).build());
        }
        return calls.submit(call, commandId, c,
                () -> participantResource(call, conversationSid, sid, 201));
    }

    private Answer updateParticipant(Call call, String conversationSid, String participantSid) {
        String commandId = call.commandId();
        String lastRead = call.param("LastReadMessageIndex");
        UpdateParticipant.Builder c = UpdateParticipant.newBuilder().setConversationSid(conversationSid)
                .setParticipantSid(participantSid).setAttributes(call.param("Attributes"))
                .setRoleSid(call.param("RoleSid"))
                .setLastReadMessageIndex(lastRead == null || lastRead.isEmpty() ? null : RestCalls.integer("LastReadMessageIndex", lastRead));
        return calls.submit(call, commandId, c,
                () -> participantResource(call, conversationSid, participantSid, 200));
    }

    private Answer participantResource(Call call, String conversationSid, String participantSid, int status) {
        return calls.read(s -> {
            ConversationAggregate c = new ConversationAggregate(s.conversationStores(), conversationSid);
            ParticipantState p = c.exists() ? c.participant(participantSid) : null;
            return p == null ? Answer.error(TwilioError.notFound("Participant " + participantSid))
                    : Answer.of(status, Resources.participant(call.scope(), c.conversation(), p,
                    view.participant(conversationSid, participantSid)));
        });
    }

    private Answer messages(Call call, String conversationSid) {
        List<String> p = call.path();
        if (p.size() == 3) {
            return switch (call.method()) {
                case "GET" -> listMessages(call, conversationSid);
                case "POST" -> sendMessage(call, conversationSid);
                default -> RestCalls.notAllowed();
            };
        }
        String messageSid = p.get(3);
        if (calls.read(s -> view.message(conversationSid, messageSid)) == null) {
            return Answer.error(TwilioError.notFound("Message " + messageSid));
        }
        if (p.size() == 4) {
            return switch (call.method()) {
                case "GET" -> messageResource(call, conversationSid, messageSid, 200);
                case "POST" -> updateMessage(call, conversationSid, messageSid);
                case "DELETE" -> calls.deleted(call, RemoveMessage.newBuilder().setConversationSid(conversationSid)
                        .setMessageSid(messageSid));
                default -> RestCalls.notAllowed();
            };
        }
        if (!p.get(4).equals("Receipts") || p.size() > 6) {
            return null;
        }
        if (!call.method().equals("GET")) {
            return RestCalls.notAllowed();
        }
        return p.size() == 5 ? listReceipts(call, conversationSid, messageSid)
                : receipt(call, conversationSid, messageSid, p.get(5));
    }

    private Answer listMessages(Call call, String conversationSid) {
        Paging.Request paging = calls.paging(call);
        String order = Form.first(call.query(), "Order");
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw new Refused(TwilioError.invalid("Order must be asc or desc: " + order));
        }
        Map<String, String> filters = order == null ? Map.of() : Map.of("Order", order);
        return calls.read(s -> {
            ConversationAggregate c = new ConversationAggregate(s.conversationStores(), conversationSid);
            NavigableMap<Long, TwilioView.MessageView> all = view.messages(conversationSid);
            return Answer.of(200, Paging.page("desc".equals(order) ? all.descendingMap() : all, paging, "messages",
                    call.scope().conversation(conversationSid) + "/Messages", filters, String::valueOf, Long::valueOf,
                    m -> message(call, c, m)));
        });
    }

    private ObjectNode message(Call call, ConversationAggregate c, TwilioView.MessageView m) {
        return Resources.message(call.scope(), c.conversation(), m, m.author() == null ? null : c.author(m.author()),
                c.summary(m.sid()));
    }

    private Answer sendMessage(Call call, String conversationSid) {
        if (call.has("MediaSid") || call.has("ContentSid")) {
            throw new Refused(TwilioError.invalid("MediaSid and ContentSid are not supported: convo has no media or"
                    + " content store; send media metadata through the command topic"));
        }
        String commandId = call.commandId();
        String sid = TwilioSids.derived(TwilioSids.MESSAGE, commandId);
        String author = call.param("Author");
        SendMessage.Builder c = SendMessage.newBuilder().setConversationSid(conversationSid).setMessageSid(sid)
                .setAuthor(author == null || author.isEmpty() ? "system" : author).setBody(call.param("Body"))
                .setAttributes(call.param("Attributes"));
        return calls.submit(call, commandId, c,
                () -> messageResource(call, conversationSid, sid, 201));
    }

    private Answer updateMessage(Call call, String conversationSid, String messageSid) {
        String commandId = call.commandId();
        UpdateMessage.Builder c = UpdateMessage.newBuilder().setConversationSid(conversationSid).setMessageSid(messageSid)
                .setBody(call.param("Body")).setAttributes(call.param("Attributes"));
        return calls.submit(call, commandId, c,
                () -> messageResource(call, conversationSid, messageSid, 200));
    }

    private Answer messageResource(Call call, String conversationSid, String messageSid, int status) {
        return calls.read(s -> {
            ConversationAggregate c = new ConversationAggregate(s.conversationStores(), conversationSid);
            TwilioView.MessageView m = c.exists() ? view.message(conversationSid, messageSid) : null;
            return m == null ? Answer.error(TwilioError.notFound("Message " + messageSid))
                    : Answer.of(status, message(call, c, m));
        });
    }

    private Answer listReceipts(Call call, String conversationSid, String messageSid) {
        Paging.Request paging = calls.paging(call);
        return calls.read(s -> {
            Conversation c = s.conversationStores().conversations().get(conversationSid);
            NavigableMap<String, TwilioView.ReceiptView> all = new TreeMap<>();
            for (TwilioView.ReceiptView r : view.receipts(conversationSid, messageSid)) {
                all.put(TwilioSids.receipt(messageSid, r.participantSid()), r);
            }
            return Answer.of(200, Paging.page(all, paging, "delivery_receipts",
                    call.scope().conversation(conversationSid) + "/Messages/" + messageSid + "/Receipts", Map.of(),
                    k -> k, k -> k, r -> Resources.receipt(call.scope(), c, messageSid, r)));
        });
    }

    private Answer receipt(Call call, String conversationSid, String messageSid, String receiptSid) {
        return calls.read(s -> {
            Conversation c = s.conversationStores().conversations().get(conversationSid);
            for (TwilioView.ReceiptView r : view.receipts(conversationSid, messageSid)) {
                if (TwilioSids.receipt(messageSid, r.participantSid()).equals(receiptSid)) {
                    return Answer.of(200, Resources.receipt(call.scope(), c, messageSid, r));
                }
            }
            return Answer.error(TwilioError.notFound("Receipt " + receiptSid));
        });
    }

}
