package io.convo.connectors;

import io.convo.model.Channel;
import io.convo.model.TopicNames;
import java.util.Map;

/**
 * The topics the connectors read and write: those of SPEC §1, named in {@link TopicNames}, under the one configurable
 * prefix ({@value ConnectorConfig#TOPICS_PREFIX}), and {@code delivery-processed} and {@code delivery-dlq}, which
 * belong to the connectors alone.
 */
public record ConnectorTopics(String prefix) {

    /** Deliveries that will never be sent (refused for good, out of retries, unreadable), with the reason in headers. */
    public static final String DELIVERY_DLQ = "delivery-dlq";
    /** The processed-delivery log: compacted, keyed by delivery id; see {@link ProcessedLog}. */
    public static final String DELIVERY_PROCESSED = "delivery-processed";

    public ConnectorTopics {
        prefix = prefix == null ? "" : prefix;
    }

    public static ConnectorTopics from(Map<String, ?> config) {
        return new ConnectorTopics(ConnectorConfig.string(config, ConnectorConfig.TOPICS_PREFIX, ""));
    }

    /** The delivery topic of {@code channel}. */
    public String delivery(Channel channel) {
        return prefix + switch (channel) {
            case chat -> TopicNames.DELIVERY_CHAT;
            case sms -> TopicNames.DELIVERY_SMS;
            case mms -> TopicNames.DELIVERY_MMS;
            case whatsapp -> TopicNames.DELIVERY_WHATSAPP;
        };
    }

    public String receipts() {
        return prefix + TopicNames.DELIVERY_RECEIPTS;
    }

    public String dlq() {
        return prefix + DELIVERY_DLQ;
    }

    public String processed() {
        return prefix + DELIVERY_PROCESSED;
    }

    public String conversationCommands() {
        return prefix + TopicNames.CONVERSATION_COMMANDS;
    }

    public String conversationEvents() {
        return prefix + TopicNames.CONVERSATION_EVENTS;
    }
}
