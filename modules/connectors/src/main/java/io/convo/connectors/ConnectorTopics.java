package io.convo.connectors;

import io.convo.model.Channel;
import java.util.Map;

/**
 * The topics the connectors read and write, with the one configurable prefix of SPEC §1
 * ({@value ConnectorConfig#TOPICS_PREFIX}). The shared names duplicate the topology's {@code TopicNames} on
 * purpose: connectors depend on the model only, never on the topology; keep the two in step.
 * {@code delivery-processed} and {@code delivery-dlq} belong to the connectors alone.
 */
public record ConnectorTopics(String prefix) {

    public static final String CONVERSATION_COMMANDS = "conversation-commands";
    public static final String CONVERSATION_EVENTS = "conversation-events";
    public static final String DELIVERY_CHAT = "delivery-chat";
    public static final String DELIVERY_SMS = "delivery-sms";
    public static final String DELIVERY_MMS = "delivery-mms";
    public static final String DELIVERY_WHATSAPP = "delivery-whatsapp";
    public static final String DELIVERY_RECEIPTS = "delivery-receipts";
    /** Deliveries whose transport gave up after its last try, with the reason in headers. */
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
            case chat -> DELIVERY_CHAT;
            case sms -> DELIVERY_SMS;
            case mms -> DELIVERY_MMS;
            case whatsapp -> DELIVERY_WHATSAPP;
        };
    }

    public String receipts() {
        return prefix + DELIVERY_RECEIPTS;
    }

    public String dlq() {
        return prefix + DELIVERY_DLQ;
    }

    public String processed() {
        return prefix + DELIVERY_PROCESSED;
    }

    public String conversationCommands() {
        return prefix + CONVERSATION_COMMANDS;
    }

    public String conversationEvents() {
        return prefix + CONVERSATION_EVENTS;
    }
}
