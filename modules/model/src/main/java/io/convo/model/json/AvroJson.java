package io.convo.model.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one mapping between generated Avro records and plain JSON, walking the schema: strings, numbers,
 * booleans, enums as their symbol, arrays, maps, nested records, {@code ["null", X]} as X or null, and a
 * union of records as the chosen record with its name in {@code "type"}. Absent and null are the same;
 * null optional fields are omitted when writing. Codecs are built once per schema and cached.
 */
final class AvroJson {

    /** The property holding a record's name where a union of records is written. */
    static final String TYPE = "type";

    private static final SpecificData MODEL = new SpecificData(AvroJson.class.getClassLoader());
    private static final Map<String, RecordCodec> RECORDS = new ConcurrentHashMap<>();
    private static final Map<String, RecordCodec> BUILDING = new HashMap<>();
    private static final int SHOWN_VALUE_LENGTH = 60;

    private AvroJson() {
    }

    /** The codec of a named record schema. */
    static RecordCodec record(Schema schema) {
        RecordCodec codec = RECORDS.get(schema.getFullName());
        if (codec != null) {
            return codec;
        }
        synchronized (BUILDING) {
            codec = RECORDS.get(schema.getFullName());
            if (codec == null) {
                codec = BUILDING.get(schema.getFullName());
            }
            if (codec != null) {
                // Already built, or being built further up this thread's stack (a recursive type).
                return codec;
            }
            boolean outermost = BUILDING.isEmpty();
            codec = new RecordCodec(schema);
            BUILDING.put(schema.getFullName(), codec);
            try {
                codec.build();
                if (outermost) {
                    // Publish together: a nested codec may point at one still being built above it.
                    RECORDS.putAll(BUILDING);
                }
            } finally {
                if (outermost) {
                    BUILDING.clear();
                }
            }
            return codec;
        }
    }

    /** A record with one field that is a union of records: the envelopes of commands and events. */
    static boolean isEnvelope(Schema schema) {
        if (schema.getType() != Schema.Type.RECORD || schema.getFields().size() != 1) {
            return false;
        }
        Schema field = schema.getFields().get(0).schema();
        return field.getType() == Schema.Type.UNION
            && field.getTypes().stream().allMatch(s -> s.getType() == Schema.Type.RECORD);
    }

    /** A value that does not fit the schema, with the path to it, built up as the failure unwinds. */
    static final class FieldError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Deque<String> path = new ArrayDeque<>();

        FieldError(String problem) {
            // No stack trace: this is an expected outcome for bad input, caught a few frames up.
            super(problem, null, false, false);
        }

        FieldError at(String segment) {
            path.addFirst(segment);
            return this;
        }

        /** The path as {@code media[1].size}; null when the value itself is at fault. */
        String path() {
            if (path.isEmpty()) {
                return null;
            }
            StringBuilder out = new StringBuilder();
            for (String segment : path) {
                if (out.length() > 0 && !segment.startsWith("[")) {
                    out.append('.');
                }
                out.append(segment);
            }
            return out.toString();
        }
    }

    static FieldError mismatch(String expected, JsonNode got) {
        String shown = got.toString();
        if (shown.length() > SHOWN_VALUE_LENGTH) {
            shown = shown.substring(0, SHOWN_VALUE_LENGTH) + "…";
        }
        return new FieldError("expected " + expected + ", got " + shown);
    }

    /** Reads and writes values of one schema. */
    interface Codec {
        /** Reads a non-null JSON value; null and absence are handled by the enclosing record or union. */
        Object read(JsonNode node);

        /** Writes a non-null value. */
        void write(JsonGenerator out, Object value) throws IOException;

        /** True when null is a valid value. */
        default boolean nullable() {
            return false;
        }
    }

    static Codec codec(Schema schema) {
        switch (schema.getType()) {
            case STRING:
                return new StringCodec();
            case LONG:
                return new LongCodec();
            case INT:
                return new IntCodec();
            case BOOLEAN:
                return new BooleanCodec();
            case DOUBLE:
            case FLOAT:
                return new DecimalCodec(schema.getType() == Schema.Type.FLOAT);
            case ENUM:
                return new EnumCodec(schema);
            case ARRAY:
                return new ArrayCodec(codec(schema.getElementType()));
            case MAP:
                return new MapCodec(codec(schema.getValueType()));
            case RECORD:
                return record(schema);
            case UNION:
                return union(schema);
            default:
                throw new IllegalArgumentException("Avro type " + schema.getType() + " has no JSON-lines mapping");
        }
    }

    private static Codec union(Schema schema) {
        List<Schema> branches = new ArrayList<>();
        boolean nullable = false;
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() == Schema.Type.NULL) {
                nullable = true;
            } else {
                branches.add(branch);
            }
        }
        if (branches.size() == 1) {
            return new NullableCodec(codec(branches.get(0)));
        }
        if (branches.stream().allMatch(b -> b.getType() == Schema.Type.RECORD)) {
            return new RecordUnionCodec(branches, nullable);
        }
        throw new IllegalArgumentException("union " + schema + " has no JSON-lines mapping");
    }

    private static final class StringCodec implements Codec {
        @Override
        public Object read(JsonNode node) {
            if (!node.isTextual()) {
                throw mismatch("a string", node);
            }
            return node.textValue();
        }

        @Override
        public void write(JsonGenerator out, Object value) throws IOException {
            out.writeString(value.toString());
        }
    }

    private static final class LongCodec implements Codec {
        @Override
        public Object read(JsonNode node) {
            if (!node.isNumber()) {
                throw mismatch("a number", node);
            }
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                throw mismatch("a 64-bit integer", node);
            }
            return node.longValue();
        }

        @Override
        public void write(JsonGenerator out, Object value) throws IOException {
            out.writeNumber((Long) value);
        }
    }

    private static final class IntCodec implements Codec {
        @Override
        public Object read(JsonNode node) {
            if (!node.isNumber()) {
                throw mismatch("a number", node);
            }
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                throw mismatch("a 32-bit integer", node);
            }
            return node.intValue();
        }

        @Override
        public void write(JsonGenerator out, Object value) throws IOException {
            out.writeNumber((Integer) value);
        }
    }

    private static final class DecimalCodec implements Codec {
        private final boolean single;

        DecimalCodec(boolean single) {
            this.single = single;
        }

        @Override
        public Object read(JsonNode node) {
            if (!node.isNumber()) {
                throw mismatch("a number", node);
            }
            return single ? (Object) node.floatValue() : (Object) node.doubleValue();
        }

        @Override
        public void write(JsonGenerator out, Object value) throws IOException {
            out.writeNumber(((Number) value).doubleValue());
        }
    }

    private static final class BooleanCodec implements Codec {
        @Override
        public Object read(JsonNode node) {
            if (!node.isBoolean()) {
                throw mismatch("true or false", node);
            }
            return node.booleanValue();
        }

        @Override
        public void write(JsonGenerator out, Object value) throws IOException {
            out.writeBoolean((Boolean) value);
        }
    }

    private static final class EnumCodec implements Codec {
        private final Map<String, Object> symbols = new HashMap<>();
        private final String expected;

        EnumCodec(Schema schema) {
            for (String symbol : schema.getEnumSymbols()) {
                symbols.put(symbol, MODEL.createEnum(symbol, schema));
            }
            this.expected = "one of " + schema.getEnumSymbols();
        }

        @Override
        public Object read(JsonNode node) {
            Object value = node.isTextual() ? symbols.get(node.textValue()) : null;
            if (value == null) {
                throw mismatch(expected, node);
            }
            return value;
        }

        @Override
        public void write(JsonGenerator out, Object value) throws IOException {
            // Generated enums and GenericEnumSymbol both print their symbol.
            out.writeString(value.toString());
        }
    }

    private static final class NullableCodec implements Codec {
        private final Codec inner;

        NullableCodec(Codec inner) {
            this.inner = inner;
        }

        @Override
        public Object read(JsonNode node) {
            return node.isNull() ? null : inner.read(node);
        }

        @Override
        public void write(JsonGenerator out, Object value) throws IOException {
            inner.write(out, value);
        }

        @Override
        public boolean nullable() {
            return true;
        }
    }

    private static final class ArrayCodec implements Codec {
        private final Codec items;

        ArrayCodec(Codec items) {
            this.items = items;
        }

        @Override
        public Object read(JsonNode node) {
            if (!node.isArray()) {
                throw mismatch("an array", node);
            }
            List<Object> list = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                try {
                    if (item.isNull()) {
                        if (!items.nullable()) {
                            throw new FieldError("expected a value, got null");
                        }
                        list.add(null);
                    } else {
                        list.add(items.read(item));
                    }
                } catch (FieldError e) {
                    throw e.at("[" + i + "]");
                }
            }
            return list;
        }

        @Override
        public void write(JsonGenerator out, Object value) throws IOException {
            out.writeStartArray();
            for (Object item : (Collection<?>) value) {
                if (item == null) {
                    out.writeNull();
                } else {
                    items.write(out, item);
                }
            }
            out.writeEndArray();
        }
    }

    private static final class MapCodec implements Codec {
        private final Codec values;

        MapCodec(Codec values) {
            this.values = values;
        }

        @Override
        public Object read(JsonNode node) {
            if (!node.isObject()) {
                throw mismatch("an object", node);
            }
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                try {
                    map.put(entry.getKey(), entry.getValue().isNull() && values.nullable() ? null : values.read(entry.getValue()));
                } catch (FieldError e) {
                    throw e.at(entry.getKey());
                }
            }
            return map;
        }

        @Override
        public void write(JsonGenerator out, Object value) throws IOException {
            out.writeStartObject();
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                out.writeFieldName(entry.getKey().toString());
                if (entry.getValue() == null) {
                    out.writeNull();
                } else {
                    values.write(out, entry.getValue());
                }
            }
            out.writeEndObject();
        }
    }

    /** A union of records, written as the chosen record with its name in {@code "type"}. */
    static final class RecordUnionCodec implements Codec {
        private final Map<String, RecordCodec> branches = new LinkedHashMap<>();
        private final boolean nullable;

        RecordUnionCodec(List<Schema> schemas, boolean nullable) {
            for (Schema schema : schemas) {
                if (branches.put(schema.getName(), record(schema)) != null) {
                    throw new IllegalArgumentException("union has two records named " + schema.getName());
                }
            }
            this.nullable = nullable;
        }

        /** The branch named by the object's {@code "type"}, or an error naming the {@code type} field. */
        RecordCodec branch(JsonNode node) {
            JsonNode type = node.get(TYPE);
            if (type == null || type.isNull()) {
                throw new FieldError("missing; expected one of " + branches.keySet()).at(TYPE);
            }
            RecordCodec branch = type.isTextual() ? branches.get(type.textValue()) : null;
            if (branch == null) {
                throw mismatch("one of " + branches.keySet(), type).at(TYPE);
            }
            return branch;
        }

        @Override
        public Object read(JsonNode node) {
            if (!node.isObject()) {
                throw mismatch("an object", node);
            }
            return branch(node).readFields(node, true);
        }

        @Override
        public void write(JsonGenerator out, Object value) throws IOException {
            RecordCodec branch = branches.get(((SpecificRecord) value).getSchema().getName());
            if (branch == null) {
                throw new IllegalArgumentException(((SpecificRecord) value).getSchema().getName()
                    + " is not one of " + branches.keySet());
            }
            branch.writeTyped(out, (SpecificRecord) value);
        }

        @Override
        public boolean nullable() {
            return nullable;
        }

        Collection<RecordCodec> branches() {
            return branches.values();
        }
    }

    /** A record as a JSON object with its fields in schema order. */
    static final class RecordCodec implements Codec {
        private final Schema schema;
        private Constructor<? extends SpecificRecord> constructor;
        private Codec[] fields;
        private String[] names;
        private Object[] defaults;
        private boolean[] hasDefault;
        private Map<String, Integer> positions;

        RecordCodec(Schema schema) {
            this.schema = schema;
        }

        @SuppressWarnings("unchecked")
        void build() {
            Class<?> type = MODEL.getClass(schema);
            if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException("no generated class for " + schema.getFullName());
            }
            try {
                constructor = (Constructor<? extends SpecificRecord>) type.getConstructor();
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("no public no-argument constructor in " + type.getName(), e);
            }
            List<Schema.Field> schemaFields = schema.getFields();
            int n = schemaFields.size();
            fields = new Codec[n];
            names = new String[n];
            defaults = new Object[n];
            hasDefault = new boolean[n];
            positions = new HashMap<>();
            for (Schema.Field field : schemaFields) {
                int pos = field.pos();
                names[pos] = field.name();
                positions.put(field.name(), pos);
                try {
                    fields[pos] = codec(field.schema());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(schema.getName() + "." + field.name() + ": " + e.getMessage(), e);
                }
                if (field.hasDefaultValue()) {
                    hasDefault[pos] = true;
                    defaults[pos] = MODEL.getDefaultValue(field);
                }
            }
        }

        Schema schema() {
            return schema;
        }

        String name() {
            return schema.getName();
        }

        boolean hasField(String name) {
            return positions.containsKey(name);
        }

        SpecificRecord newRecord() {
            try {
                return constructor.newInstance();
            } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot instantiate " + schema.getFullName(), e);
            }
        }

        @Override
        public Object read(JsonNode node) {
            if (!node.isObject()) {
                throw mismatch("an object", node);
            }
            return readFields(node, false);
        }

        /** Reads the object's fields; with {@code typed}, its {@code "type"} names this record and is skipped. */
        SpecificRecord readFields(JsonNode node, boolean typed) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                String name = property.getKey();
                if (!positions.containsKey(name) && !(typed && TYPE.equals(name))) {
                    throw new FieldError("unknown field of " + schema.getName() + " (fields: "
                        + String.join(", ", names) + ")").at(name);
                }
            }
            SpecificRecord record = newRecord();
            for (int pos = 0; pos < fields.length; pos++) {
                JsonNode value = node.get(names[pos]);
                Object read;
                if (value == null || value.isNull()) {
                    if (fields[pos].nullable()) {
                        read = null;
                    } else if (hasDefault[pos]) {
                        read = MODEL.deepCopy(schema.getFields().get(pos).schema(), defaults[pos]);
                    } else {
                        throw new FieldError("missing required field of " + schema.getName()).at(names[pos]);
                    }
                } else {
                    try {
                        read = fields[pos].read(value);
                    } catch (FieldError e) {
                        throw e.at(names[pos]);
                    }
                }
                record.put(pos, read);
            }
            return record;
        }

        @Override
        public void write(JsonGenerator out, Object value) throws IOException {
            out.writeStartObject();
            writeFields(out, (SpecificRecord) value);
            out.writeEndObject();
        }

        /** Writes the record as an object whose first property is {@code "type"}: its name. */
        void writeTyped(JsonGenerator out, SpecificRecord value) throws IOException {
            out.writeStartObject();
            out.writeStringField(TYPE, schema.getName());
            writeFields(out, value);
            out.writeEndObject();
        }

        private void writeFields(JsonGenerator out, SpecificRecord value) throws IOException {
            for (int pos = 0; pos < fields.length; pos++) {
                Object field = value.get(pos);
                if (field == null) {
                    if (!fields[pos].nullable()) {
                        throw new IllegalArgumentException(schema.getName() + "." + names[pos]
                            + " is null but the schema requires a value");
                    }
                    continue;
                }
                out.writeFieldName(names[pos]);
                fields[pos].write(out, field);
            }
        }
    }
}
