package io.convo.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convo.internal.Conversation;
import io.convo.internal.DeliverySummary;
import io.convo.internal.ParticipantState;
import io.convo.internal.RoleState;
import io.convo.internal.UserState;
import io.convo.model.Channel;
import io.convo.model.Media;
import io.convo.rules.conversation.ConversationAggregate;
import io.convo.rules.permission.DefaultRoles;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Twilio's JSON for each resource, in its property order (Conversations v1 as Twilio publishes it in OpenAPI): snake
 * case, sids of Twilio's shape, ISO 8601 dates in whole seconds, and absolute {@code url}s and {@code links} under the
 * REST front's public URL. {@link Scope} says whether the request came through {@code /v1/Services/{sid}/…}: the
 * urls keep that form, and participants, messages and receipts then name their {@code chat_service_sid}, as Twilio's
 * service-scoped resources do.
 */
final class Resources {

    static final ObjectMapper JSON = new ObjectMapper();

    /** The base of a request's urls: the public URL, the account, the service, and whether the path named it. */
    record Scope(String baseUrl, String accountSid, String serviceSid, boolean serviceInPath) {

        String root() {
            return baseUrl + "/v1" + (serviceInPath ? "/Services/" + serviceSid : "");
        }

        String conversation(String conversationSid) {
            return root() + "/Conversations/" + conversationSid;
        }
    }

    private Resources() {
    }

    static String date(long epochMillis) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS));
    }

    static ObjectNode conversation(Scope scope, Conversation c, TwilioView.Dates dates) {
        ObjectNode n = JSON.createObjectNode();
        n.put("account_sid", scope.accountSid());
        n.put("chat_service_sid", c.getServiceSid());
        n.putNull("messaging_service_sid");
        n.put("sid", c.getConversationSid());
        n.put("friendly_name", c.getFriendlyName());
        n.put("unique_name", c.getUniqueName());
        n.put("attributes", attributes(c.getAttributes()));
        n.put("state", c.getState().name());
        dates(n, dates);
        n.putObject("timers");
        String url = scope.conversation(c.getConversationSid());
        n.put("url", url);
        ObjectNode links = n.putObject("links");
        links.put("participants", url + "/Participants");
        links.put("messages", url + "/Messages");
        links.put("webhooks", url + "/Webhooks");
        n.putObject("bindings");
        return n;
    }

    static ObjectNode participant(Scope scope, Conversation c, ParticipantState p, TwilioView.Dates dates) {
        ObjectNode n = JSON.createObjectNode();
        n.put("account_sid", scope.accountSid());
        if (scope.serviceInPath()) {
            n.put("chat_service_sid", c.getServiceSid());
        }
        n.put("conversation_sid", c.getConversationSid());
        n.put("sid", p.getParticipantSid());
        n.put("identity", p.getIdentity());
        n.put("attributes", attributes(p.getAttributes()));
        n.set("messaging_binding", binding(p));
        n.put("role_sid", p.getRoleSid() != null ? p.getRoleSid() : DefaultRoles.CHANNEL_USER.sid(c.getServiceSid()));
        dates(n, dates);
        n.put("url", scope.conversation(c.getConversationSid()) + "/Participants/" + p.getParticipantSid());
        if (p.getLastReadMessageIndex() == null) {
            n.putNull("last_read_message_index");
        } else {
            n.put("last_read_message_index", p.getLastReadMessageIndex());
        }
        n.putNull("last_read_timestamp");
        return n;
    }

    /** A participant's binding as Twilio shows it; null for a chat participant without a projected address. */
    static ObjectNode binding(ParticipantState p) {
        if (p.getChannel() == Channel.chat && p.getProjectedAddress() == null) {
            return null;
        }
        ObjectNode b = JSON.createObjectNode();
        b.put("type", p.getChannel() == Channel.whatsapp ? "whatsapp" : "sms");
        if (p.getChannel() == Channel.chat) {
            b.put("projected_address", p.getProjectedAddress());
        } else {
            b.put("address", p.getAddress());
            b.put("proxy_address", p.getProxyAddress());
        }
        return b;
    }

    static ObjectNode message(Scope scope, Conversation c, TwilioView.MessageView m, ParticipantState author,
                              DeliverySummary delivery) {
        ObjectNode n = JSON.createObjectNode();
        n.put("account_sid", scope.accountSid());
        if (scope.serviceInPath()) {
            n.put("chat_service_sid", c.getServiceSid());
        }
        n.put("conversation_sid", c.getConversationSid());
        n.put("sid", m.sid());
        n.put("index", m.index());
        n.put("author", m.author());
        n.put("body", m.body());
        if (m.media() == null || m.media().isEmpty()) {
            n.putNull("media");
        } else {
            ArrayNode media = n.putArray("media");
            int i = 0;
            for (Media file : m.media()) {
                ObjectNode f = media.addObject();
                f.put("sid", TwilioSids.derived("ME", m.sid() + "\n" + i++));
                f.put("size", file.getSize());
                f.put("content_type", file.getContentType());
                f.put("filename", file.getFilename());
            }
        }
        n.put("attributes", attributes(m.attributes()));
        n.put("participant_sid", author == null ? null : author.getParticipantSid());
        dates(n, m.dates());
        String url = scope.conversation(c.getConversationSid()) + "/Messages/" + m.sid();
        n.put("url", url);
        n.set("delivery", delivery(delivery));
        ObjectNode links = n.putObject("links");
        links.put("delivery_receipts", url + "/Receipts");
        links.put("channel_metadata", url + "/ChannelMetadata");
        n.putNull("content_sid");
        return n;
    }

    /** The delivery summary of a message to non-chat recipients: counts of each status as all, some or none. */
    private static ObjectNode delivery(DeliverySummary s) {
        if (s == null) {
            return null;
        }
        int total = s.getSent() + s.getDelivered() + s.getRead() + s.getFailed() + s.getUndelivered();
        ObjectNode d = JSON.createObjectNode();
        d.put("total", total);
        d.put("sent", share(s.getSent(), total));
        d.put("delivered", share(s.getDelivered(), total));
        d.put("read", share(s.getRead(), total));
        d.put("failed", share(s.getFailed(), total));
        d.put("undelivered", share(s.getUndelivered(), total));
        return d;
    }

    private static String share(int count, int total) {
        return count == 0 ? "none" : count == total ? "all" : "some";
    }

    static ObjectNode receipt(Scope scope, Conversation c, String messageSid, TwilioView.ReceiptView r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("account_sid", scope.accountSid());
        if (scope.serviceInPath()) {
            n.put("chat_service_sid", c.getServiceSid());
        }
        n.put("conversation_sid", c.getConversationSid());
        String sid = TwilioSids.receipt(messageSid, r.participantSid());
        n.put("sid", sid);
        n.put("message_sid", messageSid);
        n.putNull("channel_message_sid");
        n.put("participant_sid", r.participantSid());
        n.put("status", r.status().name());
        n.put("error_code", 0);
        dates(n, r.dates());
        n.put("url", scope.conversation(c.getConversationSid()) + "/Messages/" + messageSid + "/Receipts/" + sid);
        return n;
    }

    static ObjectNode user(Scope scope, UserState u, TwilioView.Dates dates) {
        ObjectNode n = JSON.createObjectNode();
        String sid = TwilioSids.user(scope.serviceSid(), u.getIdentity());
        n.put("sid", sid);
        n.put("account_sid", scope.accountSid());
        n.put("chat_service_sid", scope.serviceSid());
        n.put("role_sid", u.getRoleSid() != null ? u.getRoleSid() : DefaultRoles.SERVICE_USER.sid(scope.serviceSid()));
        n.put("identity", u.getIdentity());
        n.put("friendly_name", u.getFriendlyName());
        n.put("attributes", attributes(u.getAttributes()));
        n.putNull("is_online");
        n.putNull("is_notifiable");
        dates(n, dates);
        String url = scope.root() + "/Users/" + sid;
        n.put("url", url);
        n.putObject("links").put("user_conversations", url + "/Conversations");
        return n;
    }

    static ObjectNode role(Scope scope, RoleState r, TwilioView.Dates dates) {
        ObjectNode n = JSON.createObjectNode();
        n.put("sid", r.getRoleSid());
        n.put("account_sid", scope.accountSid());
        n.put("chat_service_sid", scope.serviceSid());
        n.put("friendly_name", r.getFriendlyName());
        n.put("type", r.getRoleType().name());
        ArrayNode permissions = n.putArray("permissions");
        r.getPermissions().forEach(permissions::add);
        dates(n, dates);
        n.put("url", scope.root() + "/Roles/" + r.getRoleSid());
        return n;
    }

    static ObjectNode participantConversation(Scope scope, Conversation c, TwilioView.Dates conversationDates,
                                              ParticipantState p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("account_sid", scope.accountSid());
        n.put("chat_service_sid", c.getServiceSid());
        n.put("participant_sid", p.getParticipantSid());
        n.put("participant_user_sid", p.getIdentity() == null ? null : TwilioSids.user(c.getServiceSid(), p.getIdentity()));
        n.put("participant_identity", p.getIdentity());
        n.set("participant_messaging_binding", binding(p));
        n.put("conversation_sid", c.getConversationSid());
        n.put("conversation_unique_name", c.getUniqueName());
        n.put("conversation_friendly_name", c.getFriendlyName());
        n.put("conversation_attributes", attributes(c.getAttributes()));
        putDate(n, "conversation_date_created", conversationDates == null ? null : conversationDates.created());
        putDate(n, "conversation_date_updated", conversationDates == null ? null : conversationDates.updated());
        n.putNull("conversation_created_by");
        n.put("conversation_state", c.getState().name());
        n.putObject("conversation_timers");
        ObjectNode links = n.putObject("links");
        String conversation = scope.conversation(c.getConversationSid());
        links.put("participant", conversation + "/Participants/" + p.getParticipantSid());
        links.put("conversation", conversation);
        return n;
    }

    static ObjectNode userConversation(Scope scope, String userUrl, ConversationAggregate state, ParticipantState p,
                                       TwilioView.Dates conversationDates) {
        Conversation c = state.conversation();
        ObjectNode n = JSON.createObjectNode();
        n.put("account_sid", scope.accountSid());
        n.put("chat_service_sid", c.getServiceSid());
        n.put("conversation_sid", c.getConversationSid());
        n.put("unread_messages_count", state.unread(p));
        if (p.getLastReadMessageIndex() == null) {
            n.putNull("last_read_message_index");
        } else {
            n.put("last_read_message_index", p.getLastReadMessageIndex());
        }
        n.put("participant_sid", p.getParticipantSid());
        n.put("user_sid", userUrl.substring(userUrl.lastIndexOf('/') + 1));
        n.put("friendly_name", c.getFriendlyName());
        n.put("conversation_state", c.getState().name());
        n.putObject("timers");
        n.put("attributes", attributes(c.getAttributes()));
        dates(n, conversationDates);
        n.putNull("created_by");
        n.put("notification_level", "default");
        n.put("unique_name", c.getUniqueName());
        n.put("url", userUrl + "/Conversations/" + c.getConversationSid());
        ObjectNode links = n.putObject("links");
        String conversation = scope.conversation(c.getConversationSid());
        links.put("participant", conversation + "/Participants/" + p.getParticipantSid());
        links.put("messages", conversation + "/Messages");
        return n;
    }

    /** Twilio shows absent attributes as an empty JSON object. */
    private static String attributes(String attributes) {
        return attributes == null ? "{}" : attributes;
    }

    private static void dates(ObjectNode n, TwilioView.Dates dates) {
        putDate(n, "date_created", dates == null ? null : dates.created());
        putDate(n, "date_updated", dates == null ? null : dates.updated());
    }

    private static void putDate(ObjectNode n, String field, Long epochMillis) {
        if (epochMillis == null) {
            n.putNull(field);
        } else {
            n.put(field, date(epochMillis));
        }
    }
}
