package io.convo.model.serde;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads Avro single-object encoded bytes into a generated class, resolving any shipped version of its
 * schema (see {@link SchemaCatalog}) to the current one. Bytes it cannot read throw
 * {@link SerializationException} naming the problem and the topic, so a handler can route the record to
 * a dead-letter topic; it never returns null for non-null bytes. Null bytes are rejected too unless
 * built with {@link NullBytes#AS_NULL}, which state stores and their changelogs need (null is a delete).
 */
public final class SingleObjectDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    private static final int HEADER_LENGTH = 10;
    private static final byte MAGIC_0 = (byte) 0xC3;
    private static final byte MAGIC_1 = (byte) 0x01;

    /** What null bytes mean. */
    public enum NullBytes {
        /** A bad record: throw {@link SerializationException} (input and output topics: no tombstones). */
        REJECT,
        /** A tombstone or a deleted entry: return null (state stores, changelogs, internal topics). */
        AS_NULL
    }

    private final String typeName;
    private final NullBytes nullBytes;
    private final SchemaCatalog catalog;
    private final Set<Long> fingerprints = new HashSet<>();
    private final BinaryMessageDecoder<T> decoder;

    public SingleObjectDeserializer(Class<T> type, NullBytes nullBytes) {
        this(type, nullBytes, SchemaCatalog.classpath());
    }

    public SingleObjectDeserializer(Class<T> type, NullBytes nullBytes, SchemaCatalog catalog) {
        this.nullBytes = nullBytes;
        SpecificData model = SpecificData.getForClass(type);
        Schema reader = model.getSchema(type);
        this.typeName = reader.getFullName();
        this.catalog = catalog;
        SchemaStore.Cache store = new SchemaStore.Cache();
        List<Schema> versions = catalog.versions(typeName);
        versions.forEach(store::addSchema);
        // The decoder always knows the reader's own schema, even when the catalog does not ship it.
        this.decoder = new BinaryMessageDecoder<>(model, reader, store);
        fingerprints.add(SchemaNormalization.parsingFingerprint64(reader));
        versions.forEach(v -> fingerprints.add(SchemaNormalization.parsingFingerprint64(v)));
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            if (nullBytes == NullBytes.AS_NULL) {
                return null;
            }
            throw fail(topic, "null value (a tombstone is not a valid record here)", null);
        }
        if (data.length == 0) {
            throw fail(topic, "empty value (0 bytes)", null);
        }
        if (data.length < HEADER_LENGTH) {
            throw fail(topic, data.length + " bytes, shorter than the 10-byte single-object header", null);
        }
        if (data[0] != MAGIC_0 || data[1] != MAGIC_1) {
            throw fail(topic, String.format("wrong magic 0x%02X 0x%02X, expected 0xC3 0x01 (Avro single-object encoding)",
                data[0], data[1]), null);
        }
        long fingerprint = ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (!fingerprints.contains(fingerprint)) {
            String other = catalog.nameOf(fingerprint);
            if (other != null) {
                throw new WrongTypeException("Cannot read " + typeName + " from topic " + topic + ": unknown schema"
                    + " fingerprint " + hex(fingerprint) + ": it is a version of " + other + ", not of " + typeName);
            }
            throw fail(topic, String.format("unknown schema fingerprint %s: no shipped version of %s has it",
                hex(fingerprint), typeName), null);
        }
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        T value;
        try {
            value = decoder.decode(in, null);
        } catch (IOException | RuntimeException e) {
            throw fail(topic, "truncated or corrupt Avro body after the header (schema fingerprint "
                + hex(fingerprint) + ", " + data.length + " bytes): " + e, e);
        }
        // The direct binary decoder reads exactly the record, so anything left is not part of it.
        if (in.available() > 0) {
            throw fail(topic, in.available() + " unexpected bytes after the record (schema fingerprint "
                + hex(fingerprint) + ")", null);
        }
        return value;
    }

    /** The fingerprint as Avro's {@code SchemaNormalization.parsingFingerprint64} returns it, in hex. */
    static String hex(long fingerprint) {
        return String.format("0x%016x", fingerprint);
    }

    private SerializationException fail(String topic, String what, Throwable cause) {
        String message = "Cannot read " + typeName + " from topic " + topic + ": " + what;
        return cause == null ? new SerializationException(message) : new SerializationException(message, cause);
    }
}
