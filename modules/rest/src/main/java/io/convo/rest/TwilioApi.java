package io.convo.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convo.internal.Conversation;
import io.convo.internal.ParticipantState;
import io.convo.internal.RoleState;
import io.convo.internal.UserState;
import io.convo.model.AddParticipant;
import io.convo.model.BindingType;
import io.convo.model.ConversationState;
import io.convo.model.CreateConversation;
import io.convo.model.CreateRole;
import io.convo.model.CreateUser;
import io.convo.model.DeleteConversation;
import io.convo.model.DeleteRole;
import io.convo.model.DeleteUser;
import io.convo.model.MessagingBinding;
import io.convo.model.RejectionCode;
import io.convo.model.RemoveMessage;
import io.convo.model.RemoveParticipant;
import io.convo.model.RoleType;
import io.convo.model.SendMessage;
import io.convo.model.Sha256;
import io.convo.model.UpdateConversation;
import io.convo.model.UpdateMessage;
import io.convo.model.UpdateParticipant;
import io.convo.model.UpdateRole;
import io.convo.model.UpdateUser;
import io.convo.operate.CommittedReadModel;
import io.convo.operate.StoreSnapshot;
import io.convo.rules.conversation.ConversationAggregate;
import io.convo.rules.identity.IdentityAggregate;
import io.convo.rules.permission.DefaultRoles;
import io.convo.rules.service.ServiceAggregate;
import io.convo.rules.state.StateKeys;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;

/**
 * Twilio Conversations v1, the core of it, over convo: every path of {@code /v1/Conversations} (with Participants,
 * Messages and their Receipts), {@code /v1/Users}, {@code /v1/Roles} and {@code /v1/ParticipantConversations}, and the
 * same under {@code /v1/Services/{ChatServiceSid}}. A write is a command, answered with the resource once its outcome
 * is committed, or with the error of its rejection; a read answers from the committed read model. Without a service in
 * the path, the account's default service is meant, as with Twilio.
 *
 * <p>It knows nothing of HTTP servers: {@link RestServer} gives it each request's method, path and parameters.
 */
final class TwilioApi {

    /** An answer: HTTP status, JSON body (null for 204) and, for a 429, the seconds of {@code Retry-After}. */
    record Answer(int status, ObjectNode body, Integer retryAfterSeconds) {
        static Answer of(int status, ObjectNode body) {
            return new Answer(status, body, null);
        }

        static Answer error(TwilioError e) {
            return new Answer(e.status(), e.body(), e.retryAfterSeconds());
        }
    }

    /** One request, authenticated. */
    record Call(Accounts.Account account, Resources.Scope scope, String method, List<String> path,
                Map<String, List<String>> query, Map<String, List<String>> form, String idempotencyKey) {

        String param(String name) {
            return Form.first(form, name);
        }

        boolean has(String name) {
            return form.containsKey(name);
        }

        /** The id of this request's command: from the {@code Idempotency-Key} if it has one, so a retry is the same. */
        String commandId() {
            return idempotencyKey == null ? "rest-" + TwilioSids.random()
                    : "rest-" + Sha256.hex(account.sid() + "\n" + idempotencyKey, 32);
        }
    }

    /** A request this API cannot take as it is: answered with the error, nothing sent. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient TwilioError error;

        Refused(TwilioError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    private final String baseUrl;
    private final Accounts accounts;
    private final CommittedReadModel model;
    private final TwilioView view;
    private final RestCommands commands;
    private final Clock clock;

    TwilioApi(String baseUrl, Accounts accounts, CommittedReadModel model, TwilioView view, RestCommands commands,
              Clock clock) {
        this.baseUrl = baseUrl;
        this.accounts = accounts;
        this.model = model;
        this.view = view;
        this.commands = commands;
        this.clock = clock;
    }

    /**
     * Answers one request.
     *
     * @param path the decoded path segments, e.g. {@code [v1, Conversations, CH…]}
     */
    Answer answer(String method, List<String> path, Map<String, List<String>> query, Map<String, List<String>> form,
                  String authorization, String idempotencyKey) {
        Accounts.Account account = accounts.authenticate(authorization);
        if (account == null) {
            return Answer.error(TwilioError.unauthorized());
        }
        if (path.size() < 2 || !path.get(0).equals("v1")) {
            return Answer.error(TwilioError.notFound(String.join("/", path)));
        }
        if (!model.ready()) {
            // Before the model has read the log once, a write could not be answered with its resource: none is sent.
            return Answer.error(new TwilioError(503, TwilioError.UNAVAILABLE,
                    "the read model is still reading the event log; retry shortly", 1));
        }
        List<String> rest = path.subList(1, path.size());
        String service = account.defaultService();
        boolean inPath = rest.get(0).equals("Services");
        if (inPath) {
            if (rest.size() < 3 || !account.owns(rest.get(1))) {
                return Answer.error(TwilioError.notFound("/" + String.join("/", path)));
            }
            service = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        Call call = new Call(account, new Resources.Scope(baseUrl, account.sid(), service, inPath), method, rest, query,
                form, idempotencyKey);
        try {
            Answer answer = switch (rest.get(0)) {
                case "Conversations" -> conversations(call);
                case "Users" -> users(call);
                case "Roles" -> roles(call);
                case "ParticipantConversations" -> rest.size() == 1 ? participantConversations(call) : null;
                default -> null;
            };
            return answer != null ? answer : Answer.error(TwilioError.notFound("/" + String.join("/", path)));
        } catch (Refused r) {
            return Answer.error(r.error);
        } catch (Paging.BadToken | NumberFormatException e) {
            return Answer.error(TwilioError.invalid(e.getMessage()));
        }
    }

    // Conversations, and what is under them.

    private Answer conversations(Call call) {
        List<String> p = call.path();
        if (p.size() == 1) {
            return switch (call.method()) {
                case "GET" -> listConversations(call);
                case "POST" -> createConversation(call);
                default -> notAllowed();
            };
        }
        String sid = read(s -> conversationSid(s, call, p.get(1)));
        if (sid == null) {
            return Answer.error(TwilioError.notFound("Conversation " + p.get(1)));
        }
        if (p.size() == 2) {
            return switch (call.method()) {
                case "GET" -> conversationResource(call, sid, 200);
                case "POST" -> updateConversation(call, sid);
                case "DELETE" -> deleted(call, DeleteConversation.newBuilder().setConversationSid(sid));
                default -> notAllowed();
            };
        }
        return switch (p.get(2)) {
            case "Participants" -> participants(call, sid);
            case "Messages" -> messages(call, sid);
            default -> null;
        };
    }

    private Answer listConversations(Call call) {
        Paging.Request paging = paging(call);
        String state = Form.first(call.query(), "State");
        Map<String, String> filters = new LinkedHashMap<>();
        if (state != null) {
            filters.put("State", state);
        }
        return read(s -> {
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
                .setAttributes(call.param("Attributes")).setState(state(call.param("State")));
        return submit(call, commandId, stamp(call, c, commandId), 201, () -> conversationResource(call, sid, 201));
    }

    private Answer updateConversation(Call call, String sid) {
        if (call.has("UniqueName")) {
            throw new Refused(TwilioError.invalid("UniqueName cannot be changed in convo once a conversation has one"
                    + " (it names the conversation in its service)"));
        }
        String commandId = call.commandId();
        UpdateConversation.Builder c = UpdateConversation.newBuilder().setConversationSid(sid)
                .setFriendlyName(call.param("FriendlyName")).setAttributes(call.param("Attributes"))
                .setState(state(call.param("State")));
        return submit(call, commandId, stamp(call, c, commandId), 200, () -> conversationResource(call, sid, 200));
    }

    private Answer conversationResource(Call call, String sid, int status) {
        return read(s -> {
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
                default -> notAllowed();
            };
        }
        if (p.size() != 4) {
            return null;
        }
        String participantSid = read(s -> {
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
            case "DELETE" -> deleted(call, RemoveParticipant.newBuilder().setConversationSid(conversationSid)
                    .setParticipantSid(participantSid));
            default -> notAllowed();
        };
    }

    private Answer listParticipants(Call call, String conversationSid) {
        Paging.Request paging = paging(call);
        return read(s -> {
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
        return submit(call, commandId, stamp(call, c, commandId), 201,
                () -> participantResource(call, conversationSid, sid, 201));
    }

    private Answer updateParticipant(Call call, String conversationSid, String participantSid) {
        String commandId = call.commandId();
        String lastRead = call.param("LastReadMessageIndex");
        UpdateParticipant.Builder c = UpdateParticipant.newBuilder().setConversationSid(conversationSid)
                .setParticipantSid(participantSid).setAttributes(call.param("Attributes"))
                .setRoleSid(call.param("RoleSid"))
                .setLastReadMessageIndex(lastRead == null || lastRead.isEmpty() ? null : integer("LastReadMessageIndex", lastRead));
        return submit(call, commandId, stamp(call, c, commandId), 200,
                () -> participantResource(call, conversationSid, participantSid, 200));
    }

    private Answer participantResource(Call call, String conversationSid, String participantSid, int status) {
        return read(s -> {
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
                default -> notAllowed();
            };
        }
        String messageSid = p.get(3);
        if (read(s -> view.message(conversationSid, messageSid)) == null) {
            return Answer.error(TwilioError.notFound("Message " + messageSid));
        }
        if (p.size() == 4) {
            return switch (call.method()) {
                case "GET" -> messageResource(call, conversationSid, messageSid, 200);
                case "POST" -> updateMessage(call, conversationSid, messageSid);
                case "DELETE" -> deleted(call, RemoveMessage.newBuilder().setConversationSid(conversationSid)
                        .setMessageSid(messageSid));
                default -> notAllowed();
            };
        }
        if (!p.get(4).equals("Receipts") || p.size() > 6) {
            return null;
        }
        if (!call.method().equals("GET")) {
            return notAllowed();
        }
        return p.size() == 5 ? listReceipts(call, conversationSid, messageSid)
                : receipt(call, conversationSid, messageSid, p.get(5));
    }

    private Answer listMessages(Call call, String conversationSid) {
        Paging.Request paging = paging(call);
        String order = Form.first(call.query(), "Order");
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw new Refused(TwilioError.invalid("Order must be asc or desc: " + order));
        }
        Map<String, String> filters = order == null ? Map.of() : Map.of("Order", order);
        return read(s -> {
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
        return submit(call, commandId, stamp(call, c, commandId), 201,
                () -> messageResource(call, conversationSid, sid, 201));
    }

    private Answer updateMessage(Call call, String conversationSid, String messageSid) {
        String commandId = call.commandId();
        UpdateMessage.Builder c = UpdateMessage.newBuilder().setConversationSid(conversationSid).setMessageSid(messageSid)
                .setBody(call.param("Body")).setAttributes(call.param("Attributes"));
        return submit(call, commandId, stamp(call, c, commandId), 200,
                () -> messageResource(call, conversationSid, messageSid, 200));
    }

    private Answer messageResource(Call call, String conversationSid, String messageSid, int status) {
        return read(s -> {
            ConversationAggregate c = new ConversationAggregate(s.conversationStores(), conversationSid);
            TwilioView.MessageView m = c.exists() ? view.message(conversationSid, messageSid) : null;
            return m == null ? Answer.error(TwilioError.notFound("Message " + messageSid))
                    : Answer.of(status, message(call, c, m));
        });
    }

    private Answer listReceipts(Call call, String conversationSid, String messageSid) {
        Paging.Request paging = paging(call);
        return read(s -> {
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
        return read(s -> {
            Conversation c = s.conversationStores().conversations().get(conversationSid);
            for (TwilioView.ReceiptView r : view.receipts(conversationSid, messageSid)) {
                if (TwilioSids.receipt(messageSid, r.participantSid()).equals(receiptSid)) {
                    return Answer.of(200, Resources.receipt(call.scope(), c, messageSid, r));
                }
            }
            return Answer.error(TwilioError.notFound("Receipt " + receiptSid));
        });
    }

    // Users and roles.

    private Answer users(Call call) {
        List<String> p = call.path();
        String service = call.scope().serviceSid();
        if (p.size() == 1) {
            return switch (call.method()) {
                case "GET" -> listUsers(call);
                case "POST" -> {
                    String identity = call.param("Identity");
                    String commandId = call.commandId();
                    CreateUser.Builder c = CreateUser.newBuilder().setIdentity(identity)
                            .setFriendlyName(call.param("FriendlyName")).setAttributes(call.param("Attributes"))
                            .setRoleSid(call.param("RoleSid"));
                    yield submit(call, commandId, stamp(call, c, commandId), 201, () -> userResource(call, identity, 201));
                }
                default -> notAllowed();
            };
        }
        if (p.size() > 4 || p.size() > 2 && !p.get(2).equals("Conversations")) {
            return null;
        }
        String identity = read(s -> {
            String byId = view.userIdentity(service, p.get(1));
            String candidate = byId != null ? byId : p.get(1);
            return new ServiceAggregate(s.serviceStores(), service).user(candidate) == null ? null : candidate;
        });
        if (identity == null) {
            return Answer.error(TwilioError.notFound("User " + p.get(1)));
        }
        if (p.size() > 2) {
            return !call.method().equals("GET") ? notAllowed()
                    : userConversations(call, identity, p.size() == 4 ? p.get(3) : null);
        }
        return switch (call.method()) {
            case "GET" -> userResource(call, identity, 200);
            case "POST" -> {
                String commandId = call.commandId();
                UpdateUser.Builder c = UpdateUser.newBuilder().setIdentity(identity)
                        .setFriendlyName(call.param("FriendlyName")).setAttributes(call.param("Attributes"))
                        .setRoleSid(call.param("RoleSid"));
                yield submit(call, commandId, stamp(call, c, commandId), 200, () -> userResource(call, identity, 200));
            }
            case "DELETE" -> deleted(call, DeleteUser.newBuilder().setIdentity(identity));
            default -> notAllowed();
        };
    }

    private Answer listUsers(Call call) {
        Paging.Request paging = paging(call);
        String service = call.scope().serviceSid();
        return read(s -> {
            NavigableMap<String, UserState> all = new TreeMap<>();
            for (Map.Entry<String, UserState> e : s.serviceStores().users().scan(StateKeys.prefix(service))) {
                TwilioView.Dates d = view.user(service, e.getValue().getIdentity());
                all.put(String.format("%016d", d == null ? 0 : d.created()) + e.getValue().getIdentity(), e.getValue());
            }
            return Answer.of(200, Paging.page(all, paging, "users", call.scope().root() + "/Users", Map.of(), k -> k,
                    k -> k, u -> Resources.user(call.scope(), u, view.user(service, u.getIdentity()))));
        });
    }

    /**
     * A user's conversations (Twilio's UserConversation): those its identity is a chat participant of, with its read
     * horizon and unread count; one of them when {@code conversation} (a sid or unique name) is given.
     */
    private Answer userConversations(Call call, String identity, String conversation) {
        Paging.Request paging = paging(call);
        String service = call.scope().serviceSid();
        return read(s -> {
            ConversationAggregate.Stores stores = s.conversationStores();
            String only = conversation == null ? null : conversationSid(s, call, conversation);
            NavigableMap<String, ConversationAggregate> all = new TreeMap<>();
            for (String sid : new IdentityAggregate(s.identityStores(), IdentityAggregate.key(service, identity))
                    .conversations()) {
                ConversationAggregate c = new ConversationAggregate(stores, sid);
                if (c.exists() && c.withIdentity(identity) != null && (conversation == null || sid.equals(only))) {
                    all.put(sid, c);
                }
            }
            String userUrl = call.scope().root() + "/Users/" + TwilioSids.user(service, identity);
            Function<ConversationAggregate, ObjectNode> render = c -> Resources.userConversation(call.scope(),
                    userUrl, c, c.withIdentity(identity), view.conversation(c.conversationSid()));
            if (conversation != null) {
                return all.isEmpty() ? Answer.error(TwilioError.notFound("Conversation " + conversation + " of user "
                        + identity)) : Answer.of(200, render.apply(all.firstEntry().getValue()));
            }
            return Answer.of(200, Paging.page(all, paging, "conversations", userUrl + "/Conversations", Map.of(),
                    k -> k, k -> k, render));
        });
    }

    private Answer userResource(Call call, String identity, int status) {
        String service = call.scope().serviceSid();
        return read(s -> {
            UserState u = new ServiceAggregate(s.serviceStores(), service).user(identity);
            return u == null ? Answer.error(TwilioError.notFound("User " + identity))
                    : Answer.of(status, Resources.user(call.scope(), u, view.user(service, identity)));
        });
    }

    private Answer roles(Call call) {
        List<String> p = call.path();
        if (p.size() == 1) {
            return switch (call.method()) {
                case "GET" -> listRoles(call);
                case "POST" -> {
                    String commandId = call.commandId();
                    String sid = TwilioSids.derived(TwilioSids.ROLE, commandId);
                    CreateRole.Builder c = CreateRole.newBuilder().setRoleSid(sid)
                            .setFriendlyName(call.param("FriendlyName")).setRoleType(roleType(call.param("Type")))
                            .setPermissions(call.form().get("Permission"));
                    yield submit(call, commandId, stamp(call, c, commandId), 201, () -> roleResource(call, sid, 201));
                }
                default -> notAllowed();
            };
        }
        if (p.size() != 2) {
            return null;
        }
        String sid = p.get(1);
        if (read(s -> new ServiceAggregate(s.serviceStores(), call.scope().serviceSid()).role(sid)) == null) {
            return Answer.error(TwilioError.notFound("Role " + sid));
        }
        return switch (call.method()) {
            case "GET" -> roleResource(call, sid, 200);
            case "POST" -> {
                String commandId = call.commandId();
                UpdateRole.Builder c = UpdateRole.newBuilder().setRoleSid(sid).setPermissions(call.form().get("Permission"));
                yield submit(call, commandId, stamp(call, c, commandId), 200, () -> roleResource(call, sid, 200));
            }
            case "DELETE" -> deleted(call, DeleteRole.newBuilder().setRoleSid(sid));
            default -> notAllowed();
        };
    }

    private Answer listRoles(Call call) {
        Paging.Request paging = paging(call);
        String service = call.scope().serviceSid();
        return read(s -> {
            ServiceAggregate aggregate = new ServiceAggregate(s.serviceStores(), service);
            NavigableMap<String, RoleState> all = new TreeMap<>();
            for (DefaultRoles d : DefaultRoles.values()) {
                RoleState r = aggregate.role(d.sid(service));
                all.put(String.format("%016d", 0) + r.getRoleSid(), r);
            }
            for (Map.Entry<String, RoleState> e : s.serviceStores().roles().scan(StateKeys.prefix(service))) {
                TwilioView.Dates d = view.role(service, e.getValue().getRoleSid());
                if (DefaultRoles.withSid(service, e.getValue().getRoleSid()) == null) {
                    all.put(String.format("%016d", d == null ? 0 : d.created()) + e.getValue().getRoleSid(), e.getValue());
                }
            }
            return Answer.of(200, Paging.page(all, paging, "roles", call.scope().root() + "/Roles", Map.of(), k -> k,
                    k -> k, r -> Resources.role(call.scope(), r, view.role(service, r.getRoleSid()))));
        });
    }

    private Answer roleResource(Call call, String sid, int status) {
        String service = call.scope().serviceSid();
        return read(s -> {
            RoleState r = new ServiceAggregate(s.serviceStores(), service).role(sid);
            return r == null ? Answer.error(TwilioError.notFound("Role " + sid))
                    : Answer.of(status, Resources.role(call.scope(), r, view.role(service, sid)));
        });
    }

    // An identity's or an address's conversations.

    private Answer participantConversations(Call call) {
        if (!call.method().equals("GET")) {
            return notAllowed();
        }
        String identity = Form.first(call.query(), "Identity");
        String address = Form.first(call.query(), "Address");
        if ((identity == null) == (address == null)) {
            throw new Refused(TwilioError.invalid("give either Identity or Address"));
        }
        Paging.Request paging = paging(call);
        String service = call.scope().serviceSid();
        Map<String, String> filters = identity != null ? Map.of("Identity", identity) : Map.of("Address", address);
        return read(s -> {
            ConversationAggregate.Stores stores = s.conversationStores();
            List<String> conversations = identity != null
                    ? new IdentityAggregate(s.identityStores(), IdentityAggregate.key(service, identity)).conversations()
                    : new ArrayList<>(view.conversationsOfAddress(service, address));
            NavigableMap<String, Map.Entry<Conversation, ParticipantState>> all = new TreeMap<>();
            for (String sid : conversations) {
                ConversationAggregate c = new ConversationAggregate(stores, sid);
                ParticipantState member = !c.exists() ? null
                        : identity != null ? c.withIdentity(identity) : bindingOf(c, address);
                if (member != null) {
                    all.put(sid, Map.entry(c.conversation(), member));
                }
            }
            return Answer.of(200, Paging.page(all, paging, "conversations", call.scope().root()
                            + "/ParticipantConversations", filters, k -> k, k -> k,
                    m -> Resources.participantConversation(call.scope(), m.getKey(),
                            view.conversation(m.getKey().getConversationSid()), m.getValue())));
        });
    }

    private static ParticipantState bindingOf(ConversationAggregate c, String address) {
        for (ParticipantState p : c.participants()) {
            if (address.equals(p.getAddress())) {
                return p;
            }
        }
        return null;
    }

    // Helpers.

    /** The sid of the conversation {@code id} (its sid or its unique name) in the request's service, or null. */
    private String conversationSid(StoreSnapshot s, Call call, String id) {
        String service = call.scope().serviceSid();
        Conversation c = s.conversationStores().conversations().get(id);
        if (c == null) {
            String sid = view.byUniqueName(service, id);
            c = sid == null ? null : s.conversationStores().conversations().get(sid);
        }
        return c != null && c.getServiceSid().equals(service) ? c.getConversationSid() : null;
    }

    private <T> T read(Function<StoreSnapshot, T> read) {
        return model.read(read);
    }

    /**
     * Sets the three fields every command has (SPEC §8: {@code commandId}, {@code serviceSid}, {@code timestamp}) and
     * builds it. Avro generates the same three setters on every command's builder but gives them no common type, so
     * they are called by name here, once, rather than at each of the fourteen commands.
     */
    private <B> SpecificRecord stamp(Call call, B builder, String commandId) {
        try {
            builder.getClass().getMethod("setCommandId", String.class).invoke(builder, commandId);
            builder.getClass().getMethod("setServiceSid", String.class).invoke(builder, call.scope().serviceSid());
            builder.getClass().getMethod("setTimestamp", long.class).invoke(builder, clock.millis());
            return (SpecificRecord) builder.getClass().getMethod("build").invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("not a command builder: " + builder.getClass().getName(), e);
        }
    }

    private Answer deleted(Call call, Object builder) {
        String commandId = call.commandId();
        return submit(call, commandId, stamp(call, builder, commandId), 204, () -> Answer.of(204, null));
    }

    /**
     * Sends the command and answers: {@code onAccepted} once it is accepted (or was, for a retry of the same
     * {@code Idempotency-Key}), else the error of its rejection.
     */
    private Answer submit(Call call, String commandId, SpecificRecord command, int status,
                          Supplier<Answer> onAccepted) {
        Outcomes.Outcome outcome;
        try {
            outcome = commands.run(commandId, command);
        } catch (RestCommands.NoOutcome e) {
            return Answer.error(new TwilioError(503, TwilioError.UNAVAILABLE, e.getMessage(), null));
        }
        if (outcome instanceof Outcomes.Rejected r) {
            if (!r.rejection().getCode().equals(RejectionCode.DUPLICATE_COMMAND.name())) {
                return Answer.error(TwilioError.of(r.rejection()));
            }
            String original = r.rejection().getOriginalOutcome();
            if (original != null && isRejectionCode(original)) {
                return Answer.error(new TwilioError(409, 409, "this Idempotency-Key's request was already refused with "
                        + original, null));
            }
        }
        return onAccepted.get();
    }

    private static boolean isRejectionCode(String name) {
        for (RejectionCode c : RejectionCode.values()) {
            if (c.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private Paging.Request paging(Call call) {
        Paging.Request r = Paging.Request.of(call.query());
        if (r.problem() != null) {
            throw new Refused(TwilioError.invalid(r.problem()));
        }
        return r;
    }

    private static ConversationState state(String state) {
        if (state == null) {
            return null;
        }
        try {
            return ConversationState.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw new Refused(TwilioError.invalid("State must be active, inactive or closed: " + state));
        }
    }

    private static RoleType roleType(String type) {
        if (type == null) {
            throw new Refused(TwilioError.invalid("Type is required: conversation or service"));
        }
        try {
            return RoleType.valueOf(type);
        } catch (IllegalArgumentException e) {
            throw new Refused(TwilioError.invalid("Type must be conversation or service: " + type));
        }
    }

    private static long integer(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new Refused(TwilioError.invalid(name + " must be an integer: " + value));
        }
    }

    private static Answer notAllowed() {
        return Answer.error(new TwilioError(405, TwilioError.METHOD_NOT_ALLOWED, "Method not allowed on this resource",
                null));
    }
}
