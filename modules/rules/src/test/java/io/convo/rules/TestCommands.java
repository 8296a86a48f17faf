package io.convo.rules;

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
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Commands as a producer would send them, valid unless a test changes them: each gets a fresh commandId, the service
 * {@link #SERVICE} and the timestamp {@link #T0}. Vary one with its generated builder
 * ({@code AddParticipant.newBuilder(addChat(...)).setAttributes(...).build()}) or {@link #at}.
 */
public final class TestCommands {

    public static final String SERVICE = "IS1";
    public static final String CONVERSATION = "CH1";
    /** A timestamp on a second's boundary. */
    public static final long T0 = 1_800_000_000_000L;

    private static final AtomicLong IDS = new AtomicLong();

    private TestCommands() {
    }

    public static String nextCommandId() {
        return "cmd-" + IDS.incrementAndGet();
    }

    /** A copy of {@code command} with another timestamp. */
    public static <C extends SpecificRecordBase> C at(C command, long timestamp) {
        C copy = SpecificData.get().deepCopy(command.getSchema(), command);
        copy.put("timestamp", timestamp);
        return copy;
    }

    /** A copy of {@code command} with another commandId. */
    public static <C extends SpecificRecordBase> C withCommandId(C command, String commandId) {
        C copy = SpecificData.get().deepCopy(command.getSchema(), command);
        copy.put("commandId", commandId);
        return copy;
    }

    public static CreateConversation createConversation(String conversationSid) {
        return CreateConversation.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).build();
    }

    public static UpdateConversation updateConversation(String conversationSid, ConversationState state) {
        return UpdateConversation.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).setState(state).build();
    }

    public static UpdateConversation renameConversation(String conversationSid, String friendlyName) {
        return UpdateConversation.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).setFriendlyName(friendlyName).build();
    }

    public static DeleteConversation deleteConversation(String conversationSid) {
        return DeleteConversation.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).build();
    }

    public static AddParticipant addChat(String conversationSid, String participantSid, String identity) {
        return AddParticipant.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).setParticipantSid(participantSid).setIdentity(identity).build();
    }

    /** A chat participant with a projected address: it makes its conversation a group MMS conversation. */
    public static AddParticipant addProjectedChat(String conversationSid, String participantSid, String identity,
                                                  String projectedAddress) {
        return AddParticipant.newBuilder(addChat(conversationSid, participantSid, identity))
                .setProjectedAddress(projectedAddress).build();
    }

    /** An SMS participant; without a proxy address it makes its conversation a group MMS conversation. */
    public static AddParticipant addSms(String conversationSid, String participantSid, String address, String proxyAddress) {
        return addBinding(conversationSid, participantSid, BindingType.sms, address, proxyAddress);
    }

    public static AddParticipant addWhatsapp(String conversationSid, String participantSid, String address,
                                             String proxyAddress) {
        return addBinding(conversationSid, participantSid, BindingType.whatsapp, address, proxyAddress);
    }

    public static AddParticipant addBinding(String conversationSid, String participantSid, BindingType type,
                                            String address, String proxyAddress) {
        return AddParticipant.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).setParticipantSid(participantSid)
                .setMessagingBinding(new MessagingBinding(type, address, proxyAddress)).build();
    }

    public static UpdateParticipant updateParticipant(String conversationSid, String participantSid) {
        return UpdateParticipant.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).setParticipantSid(participantSid).build();
    }

    public static UpdateParticipant readUpTo(String conversationSid, String participantSid, long lastReadMessageIndex) {
        return UpdateParticipant.newBuilder(updateParticipant(conversationSid, participantSid))
                .setLastReadMessageIndex(lastReadMessageIndex).build();
    }

    public static RemoveParticipant removeParticipant(String conversationSid, String participantSid) {
        return RemoveParticipant.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).setParticipantSid(participantSid).build();
    }

    public static SendMessage sendMessage(String conversationSid, String messageSid, String author, String body,
                                          Media... media) {
        return SendMessage.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).setMessageSid(messageSid).setAuthor(author).setBody(body)
                .setMedia(media.length == 0 ? null : List.of(media)).build();
    }

    public static UpdateMessage updateMessage(String conversationSid, String messageSid, String body) {
        return UpdateMessage.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).setMessageSid(messageSid).setBody(body).build();
    }

    public static RemoveMessage removeMessage(String conversationSid, String messageSid) {
        return RemoveMessage.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).setMessageSid(messageSid).build();
    }

    public static CreateUser createUser(String identity) {
        return CreateUser.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setIdentity(identity).build();
    }

    public static UpdateUser updateUser(String identity) {
        return UpdateUser.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setIdentity(identity).build();
    }

    public static DeleteUser deleteUser(String identity) {
        return DeleteUser.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setIdentity(identity).build();
    }

    public static CreateRole createRole(String roleSid) {
        return CreateRole.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setRoleSid(roleSid).setFriendlyName("role " + roleSid).setRoleType(RoleType.conversation)
                .setPermissions(List.of("sendMessage")).build();
    }

    public static UpdateRole updateRole(String roleSid, String... permissions) {
        return UpdateRole.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setRoleSid(roleSid).setPermissions(List.of(permissions)).build();
    }

    public static DeleteRole deleteRole(String roleSid) {
        return DeleteRole.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setRoleSid(roleSid).build();
    }

    public static Media media(String contentType, long size) {
        return new Media(contentType, size, null);
    }

    public static Media media(String contentType, long size, String filename) {
        return new Media(contentType, size, filename);
    }

    /** {@code n} copies of {@code s}. */
    public static String times(int n, String s) {
        return s.repeat(n);
    }

    /** A JSON document (a string value) of exactly {@code bytes} UTF-8 bytes. */
    public static String jsonOfBytes(int bytes) {
        return "\"" + "a".repeat(bytes - 2) + "\"";
    }
}
