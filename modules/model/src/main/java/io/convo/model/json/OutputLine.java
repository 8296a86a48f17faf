package io.convo.model.json;

import org.apache.avro.specific.SpecificRecord;

/**
 * A parsed output line {@code {"topic": …, "key": …, "value": {…}}}.
 *
 * @param topic the topic name
 * @param key   the record key, null when the line has none
 * @param value the value as it is on the topic: the envelope ({@code ConversationEvent},
 *              {@code ServiceEvent}, {@code ConversationCommand}, {@code ServiceCommand}) for an event or a
 *              command, the record itself otherwise; null for a tombstone
 */
public record OutputLine(String topic, String key, SpecificRecord value) {

    /** The record the line describes: the envelope's inner event or command, else the value; null for a tombstone. */
    public SpecificRecord payload() {
        if (value == null) {
            return null;
        }
        return AvroJson.isEnvelope(value.getSchema()) ? (SpecificRecord) value.get(0) : value;
    }

    /** The payload's record name, e.g. {@code ConversationCreated}; null for a tombstone. */
    public String type() {
        SpecificRecord payload = payload();
        return payload == null ? null : payload.getSchema().getName();
    }
}
