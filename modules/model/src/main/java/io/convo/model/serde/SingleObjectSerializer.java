package io.convo.model.serde;

import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Writes a generated Avro record in Avro's single-object encoding: {@code C3 01}, the writer schema's
 * 8-byte CRC-64-AVRO fingerprint (little-endian), then the Avro binary body. Null stays null.
 */
public final class SingleObjectSerializer<T extends SpecificRecord> implements Serializer<T> {

    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;

    public SingleObjectSerializer(Class<T> type) {
        SpecificData model = SpecificData.getForClass(type);
        this.schema = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try {
            encoder.encode(data, out);
        } catch (IOException | RuntimeException e) {
            // Avro reports a null in a non-null field as a NullPointerException naming the field.
            throw new SerializationException("Cannot write " + schema.getFullName() + " for topic " + topic
                + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
