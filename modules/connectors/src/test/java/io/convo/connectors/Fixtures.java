package io.convo.connectors;

import io.convo.model.BindingType;
import io.convo.model.Channel;
import io.convo.model.ConversationEvent;
import io.convo.model.ConversationState;
import io.convo.model.ConversationUpdated;
import io.convo.model.ConversationDeleted;
import io.convo.model.Delivery;
import io.convo.model.Media;
import io.convo.model.MessageAdded;
import io.convo.model.MessageRemoved;
import io.convo.model.MessagingBinding;
import io.convo.model.ParticipantAdded;
import io.convo.model.ParticipantRemoved;
import java.util.List;

/** Records the tests build: deliveries and the participant events inbound mapping reads. */
final class Fixtures {

    static final String SERVICE = "IS00000000000000000000000000000001";
    static final long T0 = 1_800_000_000_000L;

    private Fixtures() {
    }

    static Delivery delivery(Channel channel, String conversationSid, String messageSid, String participantSid) {
        return Delivery.newBuilder()
                .setMessageSid(messageSid)
                .setConversationSid(conversationSid)
                .setServiceSid(SERVICE)
                .setIndex(0)
                .setParticipantSid(participantSid)
                .setChannel(channel)
                .setTo("+15550001111")
                .setFrom("+15559990000")
                .setAuthor("alice")
                .setBody("Hello")
                .setMedia(List.of())
                .setBodyDropped(false)
                .setRecipients(List.of())
                .setTimestamp(T0)
                .build();
    }

    static Delivery mms(String conversationSid, String messageSid, String participantSid) {
        Delivery d = delivery(Channel.mms, conversationSid, messageSid, participantSid);
        d.setBody(null);
        d.setBodyDropped(true);
        d.setMedia(List.of(new Media("image/jpeg", 1024L, "cat.jpg")));
        return d;
    }

    static ConversationEvent smsParticipant(String conversationSid, String participantSid, String address, String proxy) {
        return binding(conversationSid, participantSid, BindingType.sms, address, proxy);
    }

    static ConversationEvent binding(String conversationSid, String participantSid, BindingType type, String address,
            String proxy) {
        return new ConversationEvent(ParticipantAdded.newBuilder()
                .setCommandId("c-" + participantSid)
                .setServiceSid(SERVICE)
                .setTimestamp(T0)
                .setConversationSid(conversationSid)
                .setParticipantSid(participantSid)
                .setChannel(type == BindingType.sms ? Channel.sms : Channel.whatsapp)
                .setMessagingBinding(new MessagingBinding(type, address, proxy))
                .build());
    }

    static ConversationEvent chatParticipant(String conversationSid, String participantSid, String identity,
            String projectedAddress) {
        return new ConversationEvent(ParticipantAdded.newBuilder()
                .setCommandId("c-" + participantSid)
                .setServiceSid(SERVICE)
                .setTimestamp(T0)
                .setConversationSid(conversationSid)
                .setParticipantSid(participantSid)
                .setChannel(Channel.chat)
                .setIdentity(identity)
                .setProjectedAddress(projectedAddress)
                .build());
    }

    static ConversationEvent messageAdded(String conversationSid, String messageSid, long index, String author) {
        return new ConversationEvent(MessageAdded.newBuilder()
                .setCommandId("m-" + messageSid)
                .setServiceSid(SERVICE)
                .setTimestamp(T0)
                .setConversationSid(conversationSid)
                .setMessageSid(messageSid)
                .setIndex(index)
                .setAuthor(author)
                .setBody("Hello")
                .build());
    }

    static ConversationEvent messageRemoved(String conversationSid, String messageSid, long index) {
        return new ConversationEvent(MessageRemoved.newBuilder()
                .setCommandId("rm-" + messageSid)
                .setServiceSid(SERVICE)
                .setTimestamp(T0)
                .setConversationSid(conversationSid)
                .setMessageSid(messageSid)
                .setIndex(index)
                .build());
    }

    static ConversationEvent removed(String conversationSid, String participantSid) {
        return new ConversationEvent(ParticipantRemoved.newBuilder()
                .setCommandId("r-" + participantSid)
                .setServiceSid(SERVICE)
                .setTimestamp(T0)
                .setConversationSid(conversationSid)
                .setParticipantSid(participantSid)
                .build());
    }

    static ConversationEvent closed(String conversationSid) {
        return new ConversationEvent(ConversationUpdated.newBuilder()
                .setCommandId("close-" + conversationSid)
                .setServiceSid(SERVICE)
                .setTimestamp(T0)
                .setConversationSid(conversationSid)
                .setState(ConversationState.closed)
                .build());
    }

    static ConversationEvent deleted(String conversationSid) {
        return new ConversationEvent(ConversationDeleted.newBuilder()
                .setCommandId("delete-" + conversationSid)
                .setServiceSid(SERVICE)
                .setTimestamp(T0)
                .setConversationSid(conversationSid)
                .build());
    }
}
