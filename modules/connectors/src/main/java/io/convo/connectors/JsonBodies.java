package io.convo.connectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Locale;

/**
 * Reading the JSON bodies providers post: one object, fields read by name. Unknown fields are ignored (providers
 * add fields over time); a known field of the wrong type is an {@link InvalidRequestException} naming it.
 */
final class JsonBodies {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonBodies() {
    }

    static ObjectNode object(byte[] body) {
        if (body == null || body.length == 0) {
            throw new InvalidRequestException(null, "empty body; expected a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(null, "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidRequestException(null, "unreadable body: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidRequestException(null, "expected a JSON object, got "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        return (ObjectNode) node;
    }

    static String requiredText(ObjectNode node, String field) {
        String value = optionalText(node, field);
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(field, "missing required field");
        }
        return value;
    }

    static String optionalText(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidRequestException(field, "expected a string, got " + value);
        }
        return value.textValue();
    }

    static String render(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot render " + value, e);
        }
    }
}
