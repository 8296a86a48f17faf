package io.convo.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convo.model.CommandRejected;
import io.convo.model.json.JsonLines;
import io.convo.model.RejectionCode;
import org.apache.avro.specific.SpecificRecord;

/**
 * The downstream frames the gateway writes itself. Records are output lines of SPEC §8 rendered by the model's
 * {@link JsonLines}; a rejection decided by the gateway (never written to Kafka) looks like a record of
 * {@code command-rejections}. Two control frames are not records and have a top-level {@code "type"}:
 * {@code CatchUpComplete} ends a catch-up, {@code CommandNotSent} says a command could not be written to Kafka
 * (the client may resend it with the same commandId).
 */
final class Frames {

    static final String CATCH_UP_COMPLETE = "CatchUpComplete";
    static final String COMMAND_NOT_SENT = "CommandNotSent";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final GatewayTopics topics;

    Frames(GatewayTopics topics) {
        this.topics = topics;
    }

    /** A record as it was read from {@code topic}. */
    String record(String topic, String key, SpecificRecord value) {
        return JsonLines.outputLine(topic, key, value);
    }

    /**
     * A rejection the gateway decides.
     *
     * @param request what the client sent, as far as it could be read
     * @param limit   the limit that was hit, or null
     * @param retryAfterMs for RATE_LIMITED, else null
     */
    String rejection(UpstreamFrame request, String serviceSid, RejectionCode code, String reason, Long limit,
                     Long retryAfterMs, long timestamp) {
        String conversationSid = request.conversationSid();
        CommandRejected rejected = CommandRejected.newBuilder()
                .setCommandId(request.commandId() == null ? "" : request.commandId())
                .setCommandType(request.type() == null ? "" : request.type())
                .setKey(conversationSid == null ? "" : conversationSid)
                .setServiceSid(serviceSid)
                .setConversationSid(conversationSid)
                .setCode(code.name())
                .setTwilioCode(code.twilioCode())
                .setReason(reason)
                .setLimit(limit)
                .setRetryAfterMs(retryAfterMs)
                .setTimestamp(timestamp)
                .build();
        return JsonLines.outputLine(topics.commandRejections(), conversationSid, rejected);
    }

    String catchUpComplete(String commandId, String conversationSid, long afterIndex, long lastIndex, int count,
                           boolean complete) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", CATCH_UP_COMPLETE);
        if (commandId != null) {
            node.put("commandId", commandId);
        }
        node.put("conversationSid", conversationSid);
        node.put("afterIndex", afterIndex);
        node.put("lastIndex", lastIndex);
        node.put("count", count);
        node.put("complete", complete);
        return write(node);
    }

    String commandNotSent(String commandId, String conversationSid, String reason) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", COMMAND_NOT_SENT);
        node.put("commandId", commandId);
        node.put("conversationSid", conversationSid);
        node.put("reason", reason);
        return write(node);
    }

    private static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e); // a tree of strings and numbers always writes
        }
    }
}
