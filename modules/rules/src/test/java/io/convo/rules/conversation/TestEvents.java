package io.convo.rules.conversation;

import static io.convo.rules.TestCommands.SERVICE;
import static io.convo.rules.TestCommands.T0;
import static io.convo.rules.TestCommands.nextCommandId;

import io.convo.model.BindingType;
import io.convo.model.Channel;
import io.convo.model.ConversationCreated;
import io.convo.model.ConversationDeleted;
import io.convo.model.ConversationState;
import io.convo.model.ConversationUpdated;
import io.convo.model.Media;
import io.convo.model.MessageAdded;
import io.convo.model.MessageRemoved;
import io.convo.model.MessageUpdated;
import io.convo.model.MessagingBinding;
import io.convo.model.ParticipantAdded;
import io.convo.model.ParticipantRemoved;
import io.convo.model.ParticipantUpdated;
import java.util.List;

/** Events of {@code conversation-events} as accepted commands would have caused them. */
public final class TestEvents {

    private TestEvents() {
    }

    public static ConversationCreated created(String conversationSid) {
        return created(conversationSid, ConversationState.active);
    }

    public static ConversationCreated created(String conversationSid, ConversationState state) {
        return ConversationCreated.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).setFriendlyName("a conversation").setState(state).build();
    }

    public static ConversationUpdated updated(String conversationSid, ConversationState state) {
        return ConversationUpdated.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).setState(state).build();
    }

    public static ConversationDeleted deleted(String conversationSid) {
        return ConversationDeleted.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).build();
    }

    public static ParticipantAdded chatAdded(String conversationSid, String participantSid, String identity) {
        return ParticipantAdded.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).setParticipantSid(participantSid).setChannel(Channel.chat)
                .setIdentity(identity).build();
    }

    public static ParticipantAdded projectedChatAdded(String conversationSid, String participantSid, String identity,
                                                      String projectedAddress) {
        return ParticipantAdded.newBuilder(chatAdded(conversationSid, participantSid, identity))
                .setProjectedAddress(projectedAddress).build();
    }

    public static ParticipantAdded smsAdded(String conversationSid, String participantSid, String address,
                                            String proxyAddress) {
        return bindingAdded(conversationSid, participantSid, BindingType.sms, address, proxyAddress);
    }

    public static ParticipantAdded whatsappAdded(String conversationSid, String participantSid, String address,
                                                 String proxyAddress) {
        return bindingAdded(conversationSid, participantSid, BindingType.whatsapp, address, proxyAddress);
    }

    private static ParticipantAdded bindingAdded(String conversationSid, String participantSid, BindingType type,
                                                 String address, String proxyAddress) {
        return ParticipantAdded.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).setParticipantSid(participantSid)
                .setChannel(Channel.valueOf(type.name()))
                .setMessagingBinding(new MessagingBinding(type, address, proxyAddress)).build();
    }

    public static ParticipantUpdated participantUpdated(String conversationSid, String participantSid,
                                                        Long lastReadMessageIndex) {
        return ParticipantUpdated.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).setParticipantSid(participantSid)
                .setLastReadMessageIndex(lastReadMessageIndex).build();
    }

    public static ParticipantRemoved participantRemoved(String conversationSid, String participantSid, String identity) {
        return ParticipantRemoved.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).setParticipantSid(participantSid).setIdentity(identity).build();
    }

    public static MessageAdded messageAdded(String conversationSid, String messageSid, long index, String author,
                                            String body, Media... media) {
        return MessageAdded.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).setMessageSid(messageSid).setIndex(index).setAuthor(author)
                .setBody(body).setMedia(List.of(media)).build();
    }

    public static MessageUpdated messageUpdated(String conversationSid, String messageSid, long index, String body) {
        return MessageUpdated.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).setMessageSid(messageSid).setIndex(index).setBody(body).build();
    }

    public static MessageRemoved messageRemoved(String conversationSid, String messageSid, long index) {
        return MessageRemoved.newBuilder().setCommandId(nextCommandId()).setServiceSid(SERVICE).setTimestamp(T0)
                .setConversationSid(conversationSid).setMessageSid(messageSid).setIndex(index).build();
    }
}
