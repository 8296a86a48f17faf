package io.convo.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convo.internal.Conversation;
import io.convo.internal.ParticipantState;
import io.convo.internal.RoleState;
import io.convo.internal.UserState;
import io.convo.model.CreateRole;
import io.convo.model.CreateUser;
import io.convo.model.DeleteRole;
import io.convo.model.DeleteUser;
import io.convo.model.UpdateRole;
import io.convo.model.UpdateUser;
import io.convo.rest.TwilioApi.Answer;
import io.convo.rest.TwilioApi.Call;
import io.convo.rest.TwilioApi.Refused;
import io.convo.rules.conversation.ConversationAggregate;
import io.convo.rules.identity.IdentityAggregate;
import io.convo.rules.permission.DefaultRoles;
import io.convo.rules.service.ServiceAggregate;
import io.convo.rules.state.StateKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A service's {@code /v1/Users} (with a user's conversations), {@code /v1/Roles} and
 * {@code /v1/ParticipantConversations}: the routes and the resources' reads and writes.
 */
final class ServiceResources {

    private final RestCalls calls;
    private final TwilioView view;

    ServiceResources(RestCalls calls, TwilioView view) {
        this.calls = calls;
        this.view = view;
    }

    Answer users(Call call) {
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
                    yield calls.submit(call, commandId, c, () -> userResource(call, identity, 201));
                }
                default -> RestCalls.notAllowed();
            };
        }
        if (p.size() > 4 || p.size() > 2 && !p.get(2).equals("Conversations")) {
            return null;
        }
        String identity = calls.read(s -> {
            String byId = view.userIdentity(service, p.get(1));
            String candidate = byId != null ? byId : p.get(1);
            return new ServiceAggregate(s.serviceStores(), service).user(candidate) == null ? null : candidate;
        });
        if (identity == null) {
            return Answer.error(TwilioError.notFound("User " + p.get(1)));
        }
        if (p.size() > 2) {
            return !call.method().equals("GET") ? RestCalls.notAllowed()
                    : userConversations(call, identity, p.size() == 4 ? p.get(3) : null);
        }
        return switch (call.method()) {
            case "GET" -> userResource(call, identity, 200);
            case "POST" -> {
                String commandId = call.commandId();
                UpdateUser.Builder c = UpdateUser.newBuilder().setIdentity(identity)
                        .setFriendlyName(call.param("FriendlyName")).setAttributes(call.param("Attributes"))
                        .setRoleSid(call.param("RoleSid"));
                yield calls.submit(call, commandId, c, () -> userResource(call, identity, 200));
            }
            case "DELETE" -> calls.deleted(call, DeleteUser.newBuilder().setIdentity(identity));
            default -> RestCalls.notAllowed();
        };
    }

    private Answer listUsers(Call call) {
        Paging.Request paging = calls.paging(call);
        String service = call.scope().serviceSid();
        return calls.read(s -> {
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
        Paging.Request paging = calls.paging(call);
        String service = call.scope().serviceSid();
        return calls.read(s -> {
            ConversationAggregate.Stores stores = s.conversationStores();
            String only = conversation == null ? null : calls.conversationSid(s, call, conversation);
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
        return calls.read(s -> {
            UserState u = new ServiceAggregate(s.serviceStores(), service).user(identity);
            return u == null ? Answer.error(TwilioError.notFound("User " + identity))
                    : Answer.of(status, Resources.user(call.scope(), u, view.user(service, identity)));
        });
    }

    Answer roles(Call call) {
        List<String> p = call.path();
        if (p.size() == 1) {
            return switch (call.method()) {
                case "GET" -> listRoles(call);
                case "POST" -> {
                    String commandId = call.commandId();
                    String sid = TwilioSids.derived(TwilioSids.ROLE, commandId);
                    CreateRole.Builder c = CreateRole.newBuilder().setRoleSid(sid)
                            .setFriendlyName(call.param("FriendlyName")).setRoleType(RestCalls.roleType(call.param("Type")))
                            .setPermissions(call.form().get("Permission"));
                    yield calls.submit(call, commandId, c, () -> roleResource(call, sid, 201));
                }
                default -> RestCalls.notAllowed();
            };
        }
        if (p.size() != 2) {
            return null;
        }
        String sid = p.get(1);
        if (calls.read(s -> new ServiceAggregate(s.serviceStores(), call.scope().serviceSid()).role(sid)) == null) {
            return Answer.error(TwilioError.notFound("Role " + sid));
        }
        return switch (call.method()) {
            case "GET" -> roleResource(call, sid, 200);
            case "POST" -> {
                String commandId = call.commandId();
                UpdateRole.Builder c = UpdateRole.newBuilder().setRoleSid(sid).setPermissions(call.form().get("Permission"));
                yield calls.submit(call, commandId, c, () -> roleResource(call, sid, 200));
            }
            case "DELETE" -> calls.deleted(call, DeleteRole.newBuilder().setRoleSid(sid));
            default -> RestCalls.notAllowed();
        };
    }

    private Answer listRoles(Call call) {
        Paging.Request paging = calls.paging(call);
        String service = call.scope().serviceSid();
        return calls.read(s -> {
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
        return calls.read(s -> {
            RoleState r = new ServiceAggregate(s.serviceStores(), service).role(sid);
            return r == null ? Answer.error(TwilioError.notFound("Role " + sid))
                    : Answer.of(status, Resources.role(call.scope(), r, view.role(service, sid)));
        });
    }

    // An identity's or an address's conversations.

    Answer participantConversations(Call call) {
        if (!call.method().equals("GET")) {
            return RestCalls.notAllowed();
        }
        String identity = Form.first(call.query(), "Identity");
        String address = Form.first(call.query(), "Address");
        if ((identity == null) == (address == null)) {
            throw new Refused(TwilioError.invalid("give either Identity or Address"));
        }
        Paging.Request paging = calls.paging(call);
        String service = call.scope().serviceSid();
        Map<String, String> filters = identity != null ? Map.of("Identity", identity) : Map.of("Address", address);
        return calls.read(s -> {
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

}
