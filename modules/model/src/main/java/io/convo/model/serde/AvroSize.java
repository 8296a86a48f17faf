package io.convo.model.serde;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * The exact length of a record's Avro binary encoding, computed by walking it instead of encoding it: a command's
 * size is checked on every command (convo.limits.command-bytes), and a 512 KiB message should not be copied to be
 * measured. Equal to what {@code BinaryEncoder} writes (arrays and maps as one block), without the 10-byte header
 * of the single-object encoding or the 5-byte header of the registry's wire format.
 */
public final class AvroSize {

    private AvroSize() {
    }

    public static long of(IndexedRecord record) {
        return of(record.getSchema(), record);
    }

    private static long of(Schema schema, Object value) {
        if (value == null && schema.getType() != Schema.Type.NULL) {
            // A required field left empty (a command being validated may have one): it is counted as absent,
            // and the validation says what is missing.
            return schema.getType() == Schema.Type.UNION && schema.getIndexNamed("null") != null
                    ? varint(schema.getIndexNamed("null")) : 0;
        }
        return switch (schema.getType()) {
            case NULL -> 0;
            case BOOLEAN -> 1;
            case INT -> varint(((Number) value).intValue());
            case LONG -> varint(((Number) value).longValue());
            case FLOAT -> 4;
            case DOUBLE -> 8;
            case STRING -> sized(utf8Bytes(value.toString()));
            case BYTES -> sized(((ByteBuffer) value).remaining());
            case FIXED -> ((GenericFixed) value).bytes().length;
            case ENUM -> varint(schema.getEnumOrdinal(value instanceof GenericEnumSymbol<?> s ? s.toString()
                    : ((Enum<?>) value).name()));
            case ARRAY -> {
                Collection<?> items = (Collection<?>) value;
                long n = 1; // the block count and the closing zero; an empty array is the zero alone
                if (!items.isEmpty()) {
                    n += varint(items.size());
                    for (Object item : items) {
                        n += of(schema.getElementType(), item);
                    }
                }
                yield n;
            }
            case MAP -> {
                Map<?, ?> entries = (Map<?, ?>) value;
                long n = 1;
                if (!entries.isEmpty()) {
                    n += varint(entries.size());
                    for (Map.Entry<?, ?> e : entries.entrySet()) {
                        n += sized(utf8Bytes(e.getKey().toString())) + of(schema.getValueType(), e.getValue());
                    }
                }
                yield n;
            }
            case UNION -> {
                int branch = GenericData.get().resolveUnion(schema, value);
                yield varint(branch) + of(schema.getTypes().get(branch), value);
            }
            case RECORD -> {
                IndexedRecord record = (IndexedRecord) value;
                long n = 0;
                for (Schema.Field field : schema.getFields()) {
                    n += of(field.schema(), record.get(field.pos()));
                }
                yield n;
            }
        };
    }

    private static long sized(long length) {
        return varint(length) + length;
    }

    /** Bytes of a zig-zag varint. */
    private static int varint(long v) {
        long z = (v << 1) ^ (v >> 63);
        int n = 1;
        while ((z & ~0x7FL) != 0) {
            z >>>= 7;
            n++;
        }
        return n;
    }

    /**
     * UTF-8 length without allocating the encoded bytes, as {@code String.getBytes(UTF_8)} (which Avro uses) counts
     * it: a lone surrogate is written as one byte ('?').
     */
    public static long utf8Bytes(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (!Character.isSurrogate(c)) {
                n += 3;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 1;
            }
        }
        return n;
    }
}
