package io.convo.gateway;

import io.convo.model.TopicNames;

/**
 * The topics the gateway reads and writes, named as in {@link TopicNames} under the one {@code convo.topics.prefix},
 * plus the gateway's own shard topic.
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

    public static final String GATEWAY_SHARDS = "convo-gateway-shards";

    public static GatewayTopics withPrefix(String prefix) {
        String p = prefix == null ? "" : prefix;
        TopicNames shared = TopicNames.withPrefix(p);
        return new GatewayTopics(shared.conversationCommands(), shared.conversationEvents(), shared.commandRejections(),
                shared.deliveryChat(), p + GATEWAY_SHARDS);
    }
}
