package io.convo.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One text frame from a client, read far enough to route it: its {@code type}, {@code commandId} and
 * {@code conversationSid}. A command frame is mapped to its Avro record later, by the model's JSON lines; a
 * {@code CatchUp} frame is the gateway's own: {@code {"type":"CatchUp","conversationSid":"CH1","afterIndex":4}}
 * (optional {@code commandId}, echoed in its {@code CatchUpComplete}).
 *
 * @param type            the frame's {@code type}, null when unreadable
 * @param commandId       the frame's {@code commandId} if it is a string, else null
 * @param conversationSid the frame's {@code conversationSid} if it is a string, else null
 * @param afterIndex      for CatchUp: the client's last index (-1 for everything kept)
 * @param tree            the frame as JSON, for commands
 * @param problem         why the frame cannot be used, or null
 */
record UpstreamFrame(String type, String commandId, String conversationSid, long afterIndex, ObjectNode tree,
                     String problem) {

    static final String CATCH_UP = "CatchUp";

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    boolean isCatchUp() {
        return CATCH_UP.equals(type);
    }

    static UpstreamFrame parse(String text) {
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return invalid("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            return invalid("expected a JSON object");
        }
        ObjectNode tree = (ObjectNode) node;
        String type = textOrNull(tree.get("type"));
        String commandId = textOrNull(tree.get("commandId"));
        String conversationSid = textOrNull(tree.get("conversationSid"));
        if (type == null) {
            return new UpstreamFrame(null, commandId, conversationSid, 0, tree, "field type: missing or not a string");
        }
        if (!CATCH_UP.equals(type)) {
            return new UpstreamFrame(type, commandId, conversationSid, 0, tree, null);
        }
        JsonNode after = tree.get("afterIndex");
        String problem = null;
        if (conversationSid == null) {
            problem = "field conversationSid: missing or not a string";
        } else if (after == null || !after.isIntegralNumber() || !after.canConvertToLong() || after.longValue() < -1) {
            problem = "field afterIndex: missing or not a whole number >= -1";
        }
        return new UpstreamFrame(type, commandId, conversationSid, after == null ? 0 : after.asLong(), tree, problem);
    }

    /** The frame with {@code timestamp} set, as a JSON line for {@code JsonLines.parseCommand}. */
    String commandLine(long timestamp) {
        ObjectNode copy = tree.deepCopy();
        copy.put("timestamp", timestamp);
        try {
            return MAPPER.writeValueAsString(copy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a parsed JSON tree", e);
        }
    }

    private static UpstreamFrame invalid(String problem) {
        return new UpstreamFrame(null, null, null, 0, null, problem);
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }
}
