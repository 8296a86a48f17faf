package io.convo.gateway;

/**
 * The topics the gateway reads and writes, with the names and the {@code convo.topics.prefix} of the topology (the
 * gateway does not depend on the topology, so the defaults are repeated here), plus the gateway's own shard topic.
 *
 * @param conversationCommands where client frames go as commands
 * @param conversationEvents   the event log: outcomes, memberships and the catch-up log are read from it
 * @param commandRejections    outcomes that are rejections
 * @param deliveryChat         messages for chat identities, pushed live
 * @param gatewayShards        cluster mode only: one partition per shard of subaccounts; its consumer group decides
 *                             which instance owns which shard, and each owner writes its URL into its partitions
 */
public record GatewayTopics(String conversationCommands, String conversationEvents, String commandRejections,
                            String deliveryChat, String gatewayShards) {

    public static final String CONVERSATION_COMMANDS = "conversation-commands";
    public static final String CONVERSATION_EVENTS = "conversation-events";
    public static final String COMMAND_REJECTIONS = "command-rejections";
    public static final String DELIVERY_CHAT = "delivery-chat";
    public static final String GATEWAY_SHARDS = "convo-gateway-shards";

    public static GatewayTopics withPrefix(String prefix) {
        String p = prefix == null ? "" : prefix;
        return new GatewayTopics(p + CONVERSATION_COMMANDS, p + CONVERSATION_EVENTS, p + COMMAND_REJECTIONS,
                p + DELIVERY_CHAT, p + GATEWAY_SHARDS);
    }
}
