package io.convo.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convo.model.Channel;
import java.util.Locale;

/**
 * A message a provider received for us, as posted to {@code /v1/inbound}: {@code {"serviceSid", "conversationSid"?,
 * "from", "to", "body"?, "media"?: [{"contentType", "size", "filename"?}], "channel": "sms"|"mms"|"whatsapp",
 * "messageId"?}}. {@code messageId} is the provider's id of the message; when present, a repeated post of the same
 * message becomes the same command (and is answered {@code DUPLICATE_COMMAND} by the topology). Unknown fields are
 * ignored; so are media fields other than the three convo carries (convo keeps media metadata, never the bytes).
 *
 * @param body  the body as posted (a JSON string or absent), validated with the command
 * @param media the media array reduced to the fields convo carries, or null
 */
record InboundMessage(String serviceSid, String conversationSid, String from, String to, JsonNode body, ArrayNode media,
        Channel channel, String messageId) {

    static final String[] MEDIA_FIELDS = {"contentType", "size", "filename"};

    /** @throws InvalidRequestException for a malformed message */
    static InboundMessage parse(byte[] json) {
        ObjectNode node = JsonBodies.object(json);
        String channel = JsonBodies.requiredText(node, "channel");
        Channel parsed = switch (channel.toLowerCase(Locale.ROOT)) {
            case "sms" -> Channel.sms;
            case "mms" -> Channel.mms;
            case "whatsapp" -> Channel.whatsapp;
            default -> throw new InvalidRequestException("channel", "expected sms, mms or whatsapp, got \"" + channel
                    + "\" (chat clients write through the chat gateway)");
        };
        return new InboundMessage(
                JsonBodies.requiredText(node, "serviceSid"),
                JsonBodies.optionalText(node, "conversationSid"),
                JsonBodies.requiredText(node, "from"),
                JsonBodies.requiredText(node, "to"),
                node.get("body") == null || node.get("body").isNull() ? null : node.get("body"),
                media(node.get("media")),
                parsed,
                JsonBodies.optionalText(node, "messageId"));
    }

    private static ArrayNode media(JsonNode media) {
        if (media == null || media.isNull()) {
            return null;
        }
        if (!media.isArray()) {
            throw new InvalidRequestException("media", "expected an array, got " + media);
        }
        ArrayNode reduced = JsonBodies.MAPPER.createArrayNode();
        for (int i = 0; i < media.size(); i++) {
            JsonNode item = media.get(i);
            if (!item.isObject()) {
                throw new InvalidRequestException("media[" + i + "]", "expected an object, got " + item);
            }
            ObjectNode kept = reduced.addObject();
            for (String field : MEDIA_FIELDS) {
                if (item.has(field)) {
                    kept.set(field, item.get(field));
                }
            }
        }
        return reduced;
    }
}
