package io.convo.connectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convo.model.Delivery;
import io.convo.model.json.JsonLines;
import java.io.UncheckedIOException;

/**
 * A delivery as the plain JSON of SPEC §8 ({@code {"type":"Delivery","messageSid":…}}), taken from the model's
 * own JSON-lines mapping so the webhook body and {@code convo tail} never disagree.
 */
final class DeliveryJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DeliveryJson() {
    }

    /** The delivery's JSON object. */
    static String of(Delivery delivery) {
        String line = JsonLines.outputLine("", delivery.getConversationSid(), delivery);
        try {
            return MAPPER.writeValueAsString(MAPPER.readTree(line).get("value"));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // the model wrote it: cannot happen
        }
    }

    /** The output line {@code {"topic": …, "key": …, "value": {…}}} of a delivery read from {@code topic}. */
    static String line(String topic, Delivery delivery) {
        return JsonLines.outputLine(topic, delivery.getConversationSid(), delivery);
    }
}
