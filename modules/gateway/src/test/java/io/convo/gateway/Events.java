package io.convo.gateway;

import io.convo.model.Channel;
import io.convo.model.ConversationCreated;
import io.convo.model.ConversationDeleted;
import io.convo.model.ConversationState;
import io.convo.model.MessageAdded;
import io.convo.model.MessageRemoved;
import io.convo.model.MessageUpdated;
import io.convo.model.ParticipantAdded;
import io.convo.model.ParticipantRemoved;
import java.util.List;

/** Events as the topology writes them, for unit tests. */
final class Events {

    static final String SERVICE = "IS1";

    private Events() {
    }

    static ConversationCreated created(String conversationSid) {
        return ConversationCreated.newBuilder().setCommandId("c").setServiceSid(SERVICE).setTimestamp(1L)
                .setConversationSid(conversationSid).setState(ConversationState.active).build();
    }

    static ConversationDeleted deleted(String conversationSid) {
        return ConversationDeleted.newBuilder().setCommandId("d").setServiceSid(SERVICE).setTimestamp(1L)
                .setConversationSid(conversationSid).build();
    }

    static ParticipantAdded chat(String conversationSid, String participantSid, String identity) {
        return ParticipantAdded.newBuilder().setCommandId("p").setServiceSid(SERVICE).setTimestamp(1L)
                .setConversationSid(conversationSid).setParticipantSid(participantSid).setChannel(Channel.chat)
                .setIdentity(identity).build();
    }

    static ParticipantRemoved removed(String conversationSid, String participantSid, String identity) {
        return ParticipantRemoved.newBuilder().setCommandId("r").setServiceSid(SERVICE).setTimestamp(1L)
                .setConversationSid(conversationSid).setParticipantSid(participantSid).setIdentity(identity).build();
    }

    static MessageAdded message(String conversationSid, long index, long timestamp) {
        return MessageAdded.newBuilder().setCommandId("m" + index).setServiceSid(SERVICE).setTimestamp(timestamp)
                .setConversationSid(conversationSid).setMessageSid("IM" + index).setIndex(index).setAuthor("alice")
                .setBody("body " + index).setMedia(List.of()).build();
    }

    static MessageUpdated updated(String conversationSid, long index, String body) {
        return MessageUpdated.newBuilder().setCommandId("u" + index).setServiceSid(SERVICE).setTimestamp(2L)
                .setConversationSid(conversationSid).setMessageSid("IM" + index).setIndex(index).setBody(body).build();
    }

    static MessageRemoved messageRemoved(String conversationSid, long index) {
        return MessageRemoved.newBuilder().setCommandId("x" + index).setServiceSid(SERVICE).setTimestamp(2L)
                .setConversationSid(conversationSid).setMessageSid("IM" + index).setIndex(index).build();
    }
}
