package io.convo.model.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro single-object encoding ({@code C3 01} + 8-byte schema fingerprint + Avro binary) for one
 * generated class; needs no registry because every shipped schema version is on the classpath.
 * It is configured when built: {@link #configure} does nothing.
 *
 * @see SingleObjectDeserializer.NullBytes
 */
public final class SingleObjectSerde<T extends SpecificRecord> implements Serde<T> {

    private final SingleObjectSerializer<T> serializer;
    private final SingleObjectDeserializer<T> deserializer;

    public SingleObjectSerde(Class<T> type, SingleObjectDeserializer.NullBytes nullBytes) {
        this.serializer = new SingleObjectSerializer<>(type);
        this.deserializer = new SingleObjectDeserializer<>(type, nullBytes);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
