package io.convo.topology;

/** The source and processor nodes of the topology, named once; the sinks are named in {@link Sinks}. */
final class Nodes {

    static final String CONVERSATION_COMMANDS = "ConversationCommands";
    static final String DECODE_CONVERSATION_COMMANDS = "DecodeConversationCommands";
    static final String CONVERSATIONS = "Conversations";
    static final String CHECK_REPLIES = "CheckReplies";
    static final String CONVERSATION_CHECK_REPLIES = "ConversationCheckReplies";
    static final String DELIVERY_RECEIPTS = "DeliveryReceipts";
    static final String DECODE_DELIVERY_RECEIPTS = "DecodeDeliveryReceipts";
    static final String DELIVERY_SUMMARIES = "DeliverySummaries";

    static final String IDENTITY_CHECKS = "IdentityChecks";
    static final String IDENTITY_MEMBERSHIPS = "IdentityMemberships";

    static final String SERVICE_COMMANDS = "ServiceCommands";
    static final String DECODE_SERVICE_COMMANDS = "DecodeServiceCommands";
    static final String SERVICES = "Services";
    static final String SERVICE_CHECKS = "ServiceChecks";
    static final String SERVICE_ACTION_CHECKS = "ServiceActionChecks";

    private Nodes() {
    }
}
