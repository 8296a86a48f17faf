package io.convo.model;

import io.convo.internal.CheckReply;
import io.convo.internal.CheckRequest;
import io.convo.model.serde.ConvoSerdes;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of SPEC §1 with its serdes: the public topics' values in the configured serde ({@code convo.serde}),
 * the check loop's in the single-object encoding always, the dead-letter queue's as the raw bytes they were.
 */
public record ConvoTopics(
        Topic<ConversationCommand> conversationCommands,
        Topic<ServiceCommand> serviceCommands,
        Topic<ConversationEvent> conversationEvents,
        Topic<ServiceEvent> serviceEvents,
        Topic<CommandRejected> commandRejections,
        Topic<Delivery> deliveryChat,
        Topic<Delivery> deliverySms,
        Topic<Delivery> deliveryMms,
        Topic<Delivery> deliveryWhatsapp,
        Topic<DeliveryReceipt> deliveryReceipts,
        Topic<byte[]> commandsDlq,
        Topic<CheckRequest> identityChecks,
        Topic<CheckRequest> serviceChecks,
        Topic<CheckReply> checkReplies) {

    /**
     * @param names       the topics' names (with the configured prefix)
     * @param serdeConfig the configuration the value serde is chosen and configured by
     */
    public static ConvoTopics of(TopicNames names, Map<String, ?> serdeConfig) {
        return new ConvoTopics(
                Topic.of(names.conversationCommands(), ConvoSerdes.valueSerde(ConversationCommand.class, serdeConfig)),
                Topic.of(names.serviceCommands(), ConvoSerdes.valueSerde(ServiceCommand.class, serdeConfig)),
                Topic.of(names.conversationEvents(), ConvoSerdes.valueSerde(ConversationEvent.class, serdeConfig)),
                Topic.of(names.serviceEvents(), ConvoSerdes.valueSerde(ServiceEvent.class, serdeConfig)),
                Topic.of(names.commandRejections(), ConvoSerdes.valueSerde(CommandRejected.class, serdeConfig)),
                Topic.of(names.deliveryChat(), ConvoSerdes.valueSerde(Delivery.class, serdeConfig)),
                Topic.of(names.deliverySms(), ConvoSerdes.valueSerde(Delivery.class, serdeConfig)),
                Topic.of(names.deliveryMms(), ConvoSerdes.valueSerde(Delivery.class, serdeConfig)),
                Topic.of(names.deliveryWhatsapp(), ConvoSerdes.valueSerde(Delivery.class, serdeConfig)),
                Topic.of(names.deliveryReceipts(), ConvoSerdes.valueSerde(DeliveryReceipt.class, serdeConfig)),
                Topic.of(names.commandsDlq(), Serdes.ByteArray()),
                Topic.of(names.identityChecks(), ConvoSerdes.internalSerde(CheckRequest.class)),
                Topic.of(names.serviceChecks(), ConvoSerdes.internalSerde(CheckRequest.class)),
                Topic.of(names.checkReplies(), ConvoSerdes.internalSerde(CheckReply.class)));
    }

    /** The delivery topic of a channel. */
    public Topic<Delivery> delivery(Channel channel) {
        return switch (channel) {
            case chat -> deliveryChat;
            case sms -> deliverySms;
            case mms -> deliveryMms;
            case whatsapp -> deliveryWhatsapp;
        };
    }
}
