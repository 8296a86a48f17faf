package io.convo.topology;

/**
 * The source and processor nodes of the topology, named once; the sinks are named in {@link Sinks}, except the
 * identities' dead-letter sink, which only the topology's builder uses.
 */
final class Nodes {

    static final String CONVERSATION_COMMANDS = "ConversationCommands";
    static final String DECODE_CONVERSATION_COMMANDS = "DecodeConversationCommands";
    static final String CONVERSATIONS = "Conversations";
    static final String CHECK_REPLIES = "CheckReplies";
    static final String DECODE_CHECK_REPLIES = "DecodeCheckReplies";
    static final String CONVERSATION_CHECK_REPLIES = "ConversationCheckReplies";
    static final String DELIVERY_RECEIPTS = "DeliveryReceipts";
    static final String DECODE_DELIVERY_RECEIPTS = "DecodeDeliveryReceipts";
    static final String DELIVERY_SUMMARIES = "DeliverySummaries";

    static final String IDENTITY_CHECKS = "IdentityChecks";
    static final String DECODE_IDENTITY_CHECKS = "DecodeIdentityChecks";
    static final String IDENTITY_CHECKS_DLQ = "IdentityChecksDlq";
    static final String IDENTITY_MEMBERSHIPS = "IdentityMemberships";

    static final String SERVICE_COMMANDS = "ServiceCommands";
    static final String DECODE_SERVICE_COMMANDS = "DecodeServiceCommands";
    static final String SERVICES = "Services";
    static final String SERVICE_CHECKS = "ServiceChecks";
    static final String DECODE_SERVICE_CHECKS = "DecodeServiceChecks";
    static final String SERVICE_ACTION_CHECKS = "ServiceActionChecks";

    static final String SERVICE_DIRECTORY_SOURCE = "ServiceEventsForDirectory";
    static final String SERVICE_DIRECTORY = "ServiceDirectory";

    private Nodes() {
    }
}
