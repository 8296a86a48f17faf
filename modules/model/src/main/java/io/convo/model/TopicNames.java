package io.convo.model;

import java.util.List;

/**
 * Every topic convo reads or writes, named once (SPEC §1). One configurable prefix goes before all of them.
 * The three {@code convo-*} topics carry the check loop between a conversation and the keys it needs to ask
 * (an identity's membership count, a service's action window); convo creates them like the others.
 */
public record TopicNames(
        String conversationCommands,
        String serviceCommands,
        String conversationEvents,
        String serviceEvents,
        String commandRejections,
        String deliveryChat,
        String deliverySms,
        String deliveryMms,
        String deliveryWhatsapp,
        String deliveryReceipts,
        String commandsDlq,
        String identityChecks,
        String serviceChecks,
        String checkReplies) {

    public static final String CONVERSATION_COMMANDS = "conversation-commands";
    public static final String SERVICE_COMMANDS = "service-commands";
    public static final String CONVERSATION_EVENTS = "conversation-events";
    public static final String SERVICE_EVENTS = "service-events";
    public static final String COMMAND_REJECTIONS = "command-rejections";
    public static final String DELIVERY_CHAT = "delivery-chat";
    public static final String DELIVERY_SMS = "delivery-sms";
    public static final String DELIVERY_MMS = "delivery-mms";
    public static final String DELIVERY_WHATSAPP = "delivery-whatsapp";
    public static final String DELIVERY_RECEIPTS = "delivery-receipts";
    public static final String COMMANDS_DLQ = "commands-dlq";
    public static final String IDENTITY_CHECKS = "convo-identity-checks";
    public static final String SERVICE_CHECKS = "convo-service-checks";
    public static final String CHECK_REPLIES = "convo-check-replies";

    public static TopicNames withPrefix(String prefix) {
        String p = prefix == null ? "" : prefix;
        return new TopicNames(p + CONVERSATION_COMMANDS, p + SERVICE_COMMANDS, p + CONVERSATION_EVENTS,
                p + SERVICE_EVENTS, p + COMMAND_REJECTIONS, p + DELIVERY_CHAT, p + DELIVERY_SMS, p + DELIVERY_MMS,
                p + DELIVERY_WHATSAPP, p + DELIVERY_RECEIPTS, p + COMMANDS_DLQ, p + IDENTITY_CHECKS,
                p + SERVICE_CHECKS, p + CHECK_REPLIES);
    }

    /** Every topic, in the order of SPEC §1: inputs, outputs, the dead-letter queue, then the check loop. */
    public List<String> all() {
        return List.of(conversationCommands, serviceCommands, conversationEvents, serviceEvents, commandRejections,
                deliveryChat, deliverySms, deliveryMms, deliveryWhatsapp, deliveryReceipts, commandsDlq,
                identityChecks, serviceChecks, checkReplies);
    }

    /** The topics whose records are outcomes of commands, in the order `simulate` prints one command's outcomes. */
    public List<String> outcomes() {
        return List.of(conversationEvents, serviceEvents, commandRejections, deliveryChat, deliverySms, deliveryMms,
                deliveryWhatsapp, deliveryReceipts, commandsDlq);
    }

    /** The check loop's topics: implementation detail, drained but not printed by `simulate`. */
    public List<String> checkLoop() {
        return List.of(identityChecks, serviceChecks, checkReplies);
    }
}
