package io.convo.topology;

import io.convo.model.AddParticipant;
import io.convo.model.BindingType;
import io.convo.model.ConversationState;
import io.convo.model.CreateConversation;
import io.convo.model.CreateRole;
import io.convo.model.CreateUser;
import io.convo.model.DeleteConversation;
import io.convo.model.DeleteRole;
import io.convo.model.DeleteUser;
import io.convo.model.Media;
import io.convo.model.MessagingBinding;
import io.convo.model.RemoveMessage;
import io.convo.model.RemoveParticipant;
import io.convo.model.RoleType;
import io.convo.model.SendMessage;
import io.convo.model.UpdateConversation;
import io.convo.model.UpdateMessage;
import io.convo.model.UpdateParticipant;
import io.convo.model.UpdateRole;
import io.convo.model.UpdateUser;
import java.util.List;

/**
 * Commands for tests, with fresh commandIds and a clock that advances {@link #STEP_MS} per command (unless told otherwise), so that a
 * test stays under the rate limit (10 commands a second) unless it sets the clock itself.
 */
final class CommandFactory {

    static final String SERVICE = "IS00000000000000000000000000000001";
    static final long START = 1_800_000_000_000L;
    static final long STEP_MS = 100;

    private long clock = START;
    private long step = STEP_MS;
    private int ids;

    /** Later commands come {@code ms} apart. */
    CommandFactory every(long ms) {
        step = ms;
        return this;
    }

    /** The timestamp the next command gets; later commands count on from it. */
    CommandFactory at(long timestamp) {
        clock = timestamp;
        return this;
    }

    long now() {
        return clock;
    }

    private long tick() {
        long t = clock;
        clock += step;
        return t;
    }

    String nextId() {
        return "cmd-" + (++ids);
    }

    CreateConversation create(String conversationSid) {
        return CreateConversation.newBuilder().setCommandId(nextId()).setServiceSid(SERVICE).setTimestamp(tick())
                .setConversationSid(conversationSid).build();
    }

    CreateConversation create(String conversationSid, String friendlyName, String attributes) {
        return CreateConversation.newBuilder(create(conversationSid)).setFriendlyName(friendlyName)
                .setAttributes(attributes).build();
    }

    UpdateConversation update(String conversationSid, ConversationState state) {
        return UpdateConversation.newBuilder().setCommandId(nextId()).setServiceSid(SERVICE).setTimestamp(tick())
                .setConversationSid(conversationSid).setState(state).build();
    }

    UpdateConversation rename(String conversationSid, String friendlyName) {
        return UpdateConversation.newBuilder().setCommandId(nextId()).setServiceSid(SERVICE).setTimestamp(tick())
                .setConversationSid(conversationSid).setFriendlyName(friendlyName).build();
    }

    DeleteConversation delete(String conversationSid) {
        return DeleteConversation.newBuilder().setCommandId(nextId()).setServiceSid(SERVICE).setTimestamp(tick())
                .setConversationSid(conversationSid).build();
    }

    AddParticipant chat(String conversationSid, String participantSid, String identity) {
        return AddParticipant.newBuilder().setCommandId(nextId()).setServiceSid(SERVICE).setTimestamp(tick())
                .setConversationSid(conversationSid).setParticipantSid(participantSid).setIdentity(identity).build();
    }

    AddParticipant projectedChat(String conversationSid, String participantSid, String identity, String projected) {
        return AddParticipant.newBuilder(chat(conversationSid, participantSid, identity)).setProjectedAddress(projected).build();
    }

    AddParticipant sms(String conversationSid, String participantSid, String address, String proxyAddress) {
        return binding(conversationSid, participantSid, BindingType.sms, address, proxyAddress);
    }

    AddParticipant whatsapp(String conversationSid, String participantSid, String address, String proxyAddress) {
        return binding(conversationSid, participantSid, BindingType.whatsapp, address, proxyAddress);
    }

    private AddParticipant binding(String conversationSid, String participantSid, BindingType type, String address,
                                   String proxyAddress) {
        return AddParticipant.newBuilder().setCommandId(nextId()).setServiceSid(SERVICE).setTimestamp(tick())
                .setConversationSid(conversationSid).setParticipantSid(participantSid)
                .setMessagingBinding(new MessagingBinding(type, address, proxyAddress)).build();
    }

    UpdateParticipant readUpTo(String conversationSid, String participantSid, long index) {
        return UpdateParticipant.newBuilder().setCommandId(nextId()).setServiceSid(SERVICE).setTimestamp(tick())
                .setConversationSid(conversationSid).setParticipantSid(participantSid).setLastReadMessageIndex(index).build();
    }

    UpdateParticipant participantAttributes(String conversationSid, String participantSid, String attributes) {
        return UpdateParticipant.newBuilder().setCommandId(nextId()).setServiceSid(SERVICE).setTimestamp(tick())
                .setConversationSid(conversationSid).setParticipantSid(participantSid).setAttributes(attributes).build();
    }

    RemoveParticipant remove(String conversationSid, String participantSid) {
        return RemoveParticipant.newBuilder().setCommandId(nextId()).setServiceSid(SERVICE).setTimestamp(tick())
                .setConversationSid(conversationSid).setParticipantSid(participantSid).build();
    }

    SendMessage message(String conversationSid, String messageSid, String author, String body, Media... media) {
        return SendMessage.newBuilder().setCommandId(nextId()).setServiceSid(SERVICE).setTimestamp(tick())
                .setConversationSid(conversationSid).setMessageSid(messageSid).setAuthor(author).setBody(body)
                .setMedia(media.length == 0 ? null : List.of(media)).build();
    }

    SendMessage messageWithAttributes(String conversationSid, String messageSid, String attributes) {
        return SendMessage.newBuilder(message(conversationSid, messageSid, "alice", "hi")).setAttributes(attributes).build();
    }

    UpdateMessage editMessage(String conversationSid, String messageSid, String body) {
        return UpdateMessage.newBuilder().setCommandId(nextId()).setServiceSid(SERVICE).setTimestamp(tick())
                .setConversationSid(conversationSid).setMessageSid(messageSid).setBody(body).build();
    }

    RemoveMessage removeMessage(String conversationSid, String messageSid) {
        return RemoveMessage.newBuilder().setCommandId(nextId()).setServiceSid(SERVICE).setTimestamp(tick())
                .setConversationSid(conversationSid).setMessageSid(messageSid).build();
    }

    CreateUser createUser(String identity) {
        return CreateUser.newBuilder().setCommandId(nextId()).setServiceSid(SERVICE).setTimestamp(tick())
                .setIdentity(identity).build();
    }

    UpdateUser updateUser(String identity, String friendlyName) {
        return UpdateUser.newBuilder().setCommandId(nextId()).setServiceSid(SERVICE).setTimestamp(tick())
                .setIdentity(identity).setFriendlyName(friendlyName).build();
    }

    DeleteUser deleteUser(String identity) {
        return DeleteUser.newBuilder().setCommandId(nextId()).setServiceSid(SERVICE).setTimestamp(tick())
                .setIdentity(identity).build();
    }

    CreateRole createRole(String roleSid) {
        return CreateRole.newBuilder().setCommandId(nextId()).setServiceSid(SERVICE).setTimestamp(tick())
                .setRoleSid(roleSid).setFriendlyName("admin").setRoleType(RoleType.conversation)
                .setPermissions(List.of("sendMessage")).build();
    }

    UpdateRole updateRole(String roleSid, List<String> permissions) {
        return UpdateRole.newBuilder().setCommandId(nextId()).setServiceSid(SERVICE).setTimestamp(tick())
                .setRoleSid(roleSid).setPermissions(permissions).build();
    }

    DeleteRole deleteRole(String roleSid) {
        return DeleteRole.newBuilder().setCommandId(nextId()).setServiceSid(SERVICE).setTimestamp(tick())
                .setRoleSid(roleSid).build();
    }

    static Media media(String contentType, long size) {
        return new Media(contentType, size, null);
    }

    /** A string of {@code n} code points, each of them outside the Basic Multilingual Plane (two UTF-16 units). */
    static String codePoints(int n) {
        return "\uD83D\uDE00".repeat(n);
    }

    /** A string of exactly {@code n} UTF-8 bytes made of two-byte characters (and one ASCII letter if n is odd). */
    static String utf8Bytes(int n) {
        return "é".repeat(n / 2) + (n % 2 == 1 ? "a" : "");
    }

    /** A JSON object of exactly {@code n} UTF-8 bytes. */
    static String jsonOfBytes(int n) {
        String open = "{\"a\":\"";
        String close = "\"}";
        return open + "x".repeat(n - open.length() - close.length()) + close;
    }
}
