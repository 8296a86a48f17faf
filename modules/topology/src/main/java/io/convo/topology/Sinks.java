package io.convo.topology;

import io.convo.internal.CheckReply;
import io.convo.internal.CheckRequest;
import io.convo.model.Channel;
import io.convo.model.CommandRejected;
import io.convo.model.ConversationEvent;
import io.convo.model.ConvoTopics;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.ServiceEvent;

/** Every sink node of the topology with the topic it writes; a topic written by two sub-topologies has two nodes. */
record Sinks(
        Sink<ConversationEvent> conversationEvents,
        Sink<CommandRejected> conversationRejections,
        Sink<Delivery> deliveryChat,
        Sink<Delivery> deliverySms,
        Sink<Delivery> deliveryMms,
        Sink<Delivery> deliveryWhatsapp,
        Sink<DeliveryReceipt> failedDeliveries,
        Sink<CheckRequest> identityCheckRequests,
        Sink<CheckRequest> serviceCheckRequests,
        Sink<byte[]> conversationDlq,
        Sink<CheckReply> identityCheckReplies,
        Sink<ServiceEvent> serviceEvents,
        Sink<CommandRejected> serviceRejections,
        Sink<CheckReply> serviceCheckReplies,
        Sink<byte[]> serviceDlq) {

    static Sinks of(ConvoTopics t) {
        return new Sinks(
                new Sink<>("ConversationEvents", t.conversationEvents()),
                new Sink<>("ConversationRejections", t.commandRejections()),
                new Sink<>("DeliveryChat", t.deliveryChat()),
                new Sink<>("DeliverySms", t.deliverySms()),
                new Sink<>("DeliveryMms", t.deliveryMms()),
                new Sink<>("DeliveryWhatsapp", t.deliveryWhatsapp()),
                new Sink<>("FailedDeliveries", t.deliveryReceipts()),
                new Sink<>("IdentityCheckRequests", t.identityChecks()),
                new Sink<>("ServiceCheckRequests", t.serviceChecks()),
                new Sink<>("ConversationCommandsDlq", t.commandsDlq()),
                new Sink<>("IdentityCheckReplies", t.checkReplies()),
                new Sink<>("ServiceEvents", t.serviceEvents()),
                new Sink<>("ServiceRejections", t.commandRejections()),
                new Sink<>("ServiceCheckReplies", t.checkReplies()),
                new Sink<>("ServiceCommandsDlq", t.commandsDlq()));
    }

    Sink<Delivery> delivery(Channel channel) {
        return switch (channel) {
            case chat -> deliveryChat;
            case sms -> deliverySms;
            case mms -> deliveryMms;
            case whatsapp -> deliveryWhatsapp;
        };
    }
}
