package io.convo.topology;

/** Node names of the topology, so that processors forward to sinks by a name written once. */
final class Nodes {

    static final String CONVERSATION_COMMANDS = "ConversationCommands";
    static final String DECODE_CONVERSATION_COMMANDS = "DecodeConversationCommands";
    static final String CONVERSATIONS = "Conversations";
    static final String CHECK_REPLIES = "CheckReplies";
    static final String CONVERSATION_CHECK_REPLIES = "ConversationCheckReplies";
    static final String CONVERSATION_EVENTS = "ConversationEvents";
    static final String CONVERSATION_REJECTIONS = "ConversationRejections";
    static final String CONVERSATION_DLQ = "ConversationCommandsDlq";
    static final String DELIVERY_CHAT = "DeliveryChat";
    static final String DELIVERY_SMS = "DeliverySms";
    static final String DELIVERY_MMS = "DeliveryMms";
    static final String DELIVERY_WHATSAPP = "DeliveryWhatsapp";
    static final String FAILED_DELIVERIES = "FailedDeliveries";
    static final String DELIVERY_RECEIPTS = "DeliveryReceipts";
    static final String DECODE_DELIVERY_RECEIPTS = "DecodeDeliveryReceipts";
    static final String DELIVERY_SUMMARIES = "DeliverySummaries";
    static final String IDENTITY_CHECK_REQUESTS = "IdentityCheckRequests";
    static final String SERVICE_CHECK_REQUESTS = "ServiceCheckRequests";

    static final String IDENTITY_CHECKS = "IdentityChecks";
    static final String IDENTITY_MEMBERSHIPS = "IdentityMemberships";
    static final String IDENTITY_CHECK_REPLIES = "IdentityCheckReplies";

    static final String SERVICE_COMMANDS = "ServiceCommands";
    static final String DECODE_SERVICE_COMMANDS = "DecodeServiceCommands";
    static final String SERVICES = "Services";
    static final String SERVICE_CHECKS = "ServiceChecks";
    static final String SERVICE_ACTION_CHECKS = "ServiceActionChecks";
    static final String SERVICE_EVENTS = "ServiceEvents";
    static final String SERVICE_REJECTIONS = "ServiceRejections";
    static final String SERVICE_DLQ = "ServiceCommandsDlq";
    static final String SERVICE_CHECK_REPLIES = "ServiceCheckReplies";

    private Nodes() {
    }
}
