package io.convo.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convo.model.Channel;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import java.util.Locale;

/**
 * Reads a provider's status callback, {@code {"messageSid", "participantSid", "conversationSid", "status":
 * "delivered"|"undelivered"|"read", "code"?, "reason"?, "channel"?, "timestamp"?}}, into a {@code DeliveryReceipt}.
 * {@code sent} and {@code failed} are the connector's own decisions, never a provider's to report.
 */
final class StatusCallbacks {

    private StatusCallbacks() {
    }

    /**
     * @param now the receipt's timestamp when the callback has none (epoch ms)
     * @throws InvalidRequestException for a malformed callback
     */
    static DeliveryReceipt parse(byte[] body, long now) {
        ObjectNode node = JsonBodies.object(body);
        DeliveryReceipt.Builder receipt = DeliveryReceipt.newBuilder()
                .setMessageSid(JsonBodies.requiredText(node, "messageSid"))
                .setParticipantSid(JsonBodies.requiredText(node, "participantSid"))
                .setConversationSid(JsonBodies.requiredText(node, "conversationSid"))
                .setStatus(status(JsonBodies.requiredText(node, "status")))
                .setCode(code(node.get("code")))
                .setReason(JsonBodies.optionalText(node, "reason"))
                .setTimestamp(now);
        String channel = JsonBodies.optionalText(node, "channel");
        if (channel != null) {
            try {
                receipt.setChannel(Channel.valueOf(channel.toLowerCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("channel", "expected chat, sms, mms or whatsapp, got \"" + channel + "\"");
            }
        }
        JsonNode timestamp = node.get("timestamp");
        if (timestamp != null && !timestamp.isNull()) {
            if (!timestamp.canConvertToLong() || !timestamp.isIntegralNumber() || timestamp.longValue() < 0) {
                throw new InvalidRequestException("timestamp", "expected epoch milliseconds, got " + timestamp);
            }
            receipt.setTimestamp(timestamp.longValue());
        }
        return receipt.build();
    }

    private static DeliveryStatus status(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "delivered":
                return DeliveryStatus.delivered;
            case "undelivered":
                return DeliveryStatus.undelivered;
            case "read":
                return DeliveryStatus.read;
            default:
                throw new InvalidRequestException("status", "expected delivered, undelivered or read, got \"" + value + "\"");
        }
    }

    /** Providers send numeric codes (Twilio's 30003) as often as names; both become the receipt's text code. */
    private static String code(JsonNode code) {
        if (code == null || code.isNull()) {
            return null;
        }
        if (code.isTextual() || code.isIntegralNumber()) {
            return code.asText();
        }
        throw new InvalidRequestException("code", "expected a string or a whole number, got " + code);
    }
}
