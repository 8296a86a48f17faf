package io.convo.connectors;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP endpoint's answer: a status, a JSON body and extra headers. Errors carry {@code error} (a stable code),
 * {@code message}, and {@code field} when one field is at fault.
 */
record JsonReply(int status, Map<String, Object> body, Map<String, String> headers) {

    static JsonReply of(int status, Map<String, Object> body) {
        return new JsonReply(status, body, Map.of());
    }

    static JsonReply error(int status, String error, String message) {
        return error(status, error, null, message);
    }

    static JsonReply error(int status, String error, String field, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        if (field != null) {
            body.put("field", field);
        }
        body.put("message", message);
        return new JsonReply(status, body, Map.of());
    }

    /** A 503 that asks the caller to come back: the connector is starting, or Kafka did not acknowledge in time. */
    static JsonReply unavailable(String error, String message) {
        return new JsonReply(503, error(503, error, message).body(), Map.of("Retry-After", "1"));
    }
}
