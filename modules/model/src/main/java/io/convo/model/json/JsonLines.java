package io.convo.model.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convo.model.CommandRejected;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.ServiceCommand;
import io.convo.model.ServiceEvent;
import io.convo.model.json.AvroJson.FieldError;
import io.convo.model.json.AvroJson.RecordCodec;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The JSON lines of SPEC §8, for the CLI, the gateway and tests: one plain JSON object per line, no Avro
 * union wrappers. A command line is the command's fields plus {@code "type"} (its record name):
 * <pre>{"type":"AddParticipant","commandId":"c1","serviceSid":"IS1","conversationSid":"CH1","participantSid":"MB1","identity":"alice","timestamp":1800000000000}</pre>
 * An output line is {@code {"topic": …, "key": …, "value": {"type": …, …}}}; an envelope value
 * ({@code ConversationEvent}, {@code ServiceEvent}, {@code ConversationCommand}, {@code ServiceCommand})
 * is written as its inner record. Fields follow schema order after {@code "type"}; null optional fields
 * are omitted when writing, and may be omitted or null when reading.
 *
 * <p>Reading is strict: an unknown type or field, a value of the wrong JSON type, an enum symbol the
 * schema lacks, a missing required field or a line that is not a JSON object throws
 * {@link JsonLineException} naming the line and the field path (e.g. {@code media[1].size}). Fields
 * that are nullable in the schema may be absent: the topology, not the parser, rejects a missing one.
 */
public final class JsonLines {

    private static final JsonMapper MAPPER = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();

    private static final String TOPIC = "topic";
    private static final String KEY = "key";
    private static final String VALUE = "value";
    private static final Set<String> OUTPUT_FIELDS = Set.of(TOPIC, KEY, VALUE);

    /** A record type a line can name in {@code "type"}, and the envelope it travels in (or null). */
    private record Type(RecordCodec codec, RecordCodec envelope, CommandTopic topic, int keyPos, int timestampPos) {
    }

    private static final Map<String, Type> COMMANDS;
    private static final Map<String, Type> OUTPUTS;

    static {
        Map<String, Type> commands = new LinkedHashMap<>();
        Map<String, Type> outputs = new LinkedHashMap<>();
        addEnvelope(ConversationCommand.getClassSchema(), CommandTopic.CONVERSATION, "conversationSid", commands);
        addEnvelope(ServiceCommand.getClassSchema(), CommandTopic.SERVICE, "serviceSid", commands);
        outputs.putAll(commands);
        addEnvelope(ConversationEvent.getClassSchema(), null, null, outputs);
        addEnvelope(ServiceEvent.getClassSchema(), null, null, outputs);
        for (Schema standalone : new Schema[] {CommandRejected.getClassSchema(), Delivery.getClassSchema(),
            DeliveryReceipt.getClassSchema()}) {
            add(AvroJson.record(standalone), null, null, null, outputs);
        }
        COMMANDS = Collections.unmodifiableMap(commands);
        OUTPUTS = Collections.unmodifiableMap(outputs);
    }

    private JsonLines() {
    }

    private static void addEnvelope(Schema envelope, CommandTopic topic, String keyField, Map<String, Type> into) {
        RecordCodec envelopeCodec = AvroJson.record(envelope);
        for (Schema branch : envelope.getFields().get(0).schema().getTypes()) {
            add(AvroJson.record(branch), envelopeCodec, topic, keyField, into);
        }
    }

    private static void add(RecordCodec codec, RecordCodec envelope, CommandTopic topic, String keyField, Map<String, Type> into) {
        Schema schema = codec.schema();
        if (codec.hasField(AvroJson.TYPE)) {
            // Its own "type" field would clash with the record name a line carries in "type".
            throw new IllegalStateException(schema.getFullName() + " has a field named type");
        }
        int keyPos = keyField == null ? -1 : schema.getField(keyField).pos();
        Schema.Field timestamp = schema.getField("timestamp");
        Type type = new Type(codec, envelope, topic, keyPos, timestamp == null ? -1 : timestamp.pos());
        if (into.put(schema.getName(), type) != null) {
            throw new IllegalStateException("two record types named " + schema.getName());
        }
    }

    /**
     * Parses a command line.
     *
     * @param line       one JSON object with {@code "type"} naming a command
     * @param lineNumber the line's number, for error messages
     * @return the envelope to produce, its topic, key and timestamp
     * @throws JsonLineException when the line is not a valid command
     */
    public static CommandLine parseCommand(String line, long lineNumber) {
        return parseCommand(line, lineNumber, Map.of());
    }

    /**
     * Parses a command line after setting some of its fields, for callers that decide them: the chat
     * gateway sets {@code serviceSid} and {@code author} from the connection's token, whatever the line
     * says. An override is applied only to a command type that has the field.
     *
     * @param overrides field name to value, replacing the line's value
     * @throws JsonLineException when the line is not a valid command
     */
    public static CommandLine parseCommand(String line, long lineNumber, Map<String, String> overrides) {
        ObjectNode node = readObject(line, lineNumber, "a command line");
        Type type = commandType(node, lineNumber);
        overrides.forEach((field, value) -> {
            if (type.codec().hasField(field)) {
                node.put(field, value);
            }
        });
        SpecificRecord command;
        try {
            command = type.codec().readFields(node, true);
        } catch (FieldError e) {
            throw new JsonLineException(lineNumber, e.path(), e.getMessage());
        }
        return commandOf(command);
    }

    /**
     * A command record as {@link #parseCommand} gives it for the command's JSON line: in its envelope, with its input
     * topic, key and timestamp.
     *
     * @throws IllegalArgumentException if the record is not one of the command types
     */
    public static CommandLine commandOf(SpecificRecord command) {
        Type type = COMMANDS.get(command.getSchema().getName());
        if (type == null) {
            throw new IllegalArgumentException("not a command: " + command.getSchema().getFullName());
        }
        SpecificRecord envelope = type.envelope().newRecord();
        envelope.put(0, command);
        return new CommandLine(type.topic(), (String) command.get(type.keyPos()), (Long) command.get(type.timestampPos()),
            envelope);
    }

    private static Type commandType(ObjectNode node, long lineNumber) {
        JsonNode name = node.get(AvroJson.TYPE);
        if (name == null || name.isNull()) {
            throw new JsonLineException(lineNumber, AvroJson.TYPE, "missing; expected a command type, one of "
                + COMMANDS.keySet());
        }
        Type type = name.isTextual() ? COMMANDS.get(name.textValue()) : null;
        if (type == null) {
            String problem = OUTPUTS.containsKey(name.asText())
                ? name + " is an output record, not a command; expected one of " + COMMANDS.keySet()
                : "unknown command type " + name + "; expected one of " + COMMANDS.keySet();
            throw new JsonLineException(lineNumber, AvroJson.TYPE, problem);
        }
        return type;
    }

    /**
     * The command line of a command, the inverse of {@link #parseCommand(String, long)}.
     *
     * @param envelopeOrCommand a {@code ConversationCommand} or {@code ServiceCommand}, or the command inside one
     * @throws IllegalArgumentException when the record is not a command, or lacks a field its schema requires
     */
    public static String commandLine(SpecificRecord envelopeOrCommand) {
        SpecificRecord command = unwrap(envelopeOrCommand);
        Type type = COMMANDS.get(command.getSchema().getName());
        if (type == null || !type.codec().schema().getFullName().equals(command.getSchema().getFullName())) {
            throw new IllegalArgumentException(command.getSchema().getFullName() + " is not a command");
        }
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = MAPPER.createGenerator(out)) {
            type.codec().writeTyped(json, command);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * The output line of a record on a topic: {@code {"topic": …, "key": …, "value": {"type": …, …}}}.
     *
     * @param topic the topic's name
     * @param key   the record key, written as null when null
     * @param value the value as it is on the topic: an envelope is written as its inner record; any other
     *              generated record (CommandRejected, Delivery, DeliveryReceipt, …) as itself; null as null
     * @throws IllegalArgumentException when the record lacks a field its schema requires
     */
    public static String outputLine(String topic, String key, SpecificRecord value) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = MAPPER.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField(TOPIC, topic);
            json.writeStringField(KEY, key);
            json.writeFieldName(VALUE);
            if (value == null) {
                json.writeNull();
            } else {
                SpecificRecord payload = unwrap(value);
                AvroJson.record(payload.getSchema()).writeTyped(json, payload);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Parses an output line back into its topic, key and value, the inverse of
     * {@link #outputLine(String, String, SpecificRecord)} for every record type of the model: commands,
     * events, CommandRejected, Delivery and DeliveryReceipt. Field paths in errors start with
     * {@code value.}.
     *
     * @throws JsonLineException when the line is not a valid output line
     */
    public static OutputLine parseOutput(String line, long lineNumber) {
        ObjectNode node = readObject(line, lineNumber, "an output line");
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            if (!OUTPUT_FIELDS.contains(property.getKey())) {
                throw new JsonLineException(lineNumber, property.getKey(),
                    "unknown field of an output line (fields: topic, key, value)");
            }
        }
        JsonNode topic = node.get(TOPIC);
        if (topic == null || !topic.isTextual()) {
            throw new JsonLineException(lineNumber, TOPIC, topic == null || topic.isNull() ? "missing required field"
                : "expected a string, got " + topic);
        }
        JsonNode key = node.get(KEY);
        if (key != null && !key.isNull() && !key.isTextual()) {
            throw new JsonLineException(lineNumber, KEY, "expected a string or null, got " + key);
        }
        JsonNode value = node.get(VALUE);
        if (value == null) {
            throw new JsonLineException(lineNumber, VALUE, "missing required field (null for a tombstone)");
        }
        String keyText = key == null || key.isNull() ? null : key.textValue();
        if (value.isNull()) {
            return new OutputLine(topic.textValue(), keyText, null);
        }
        if (!value.isObject()) {
            throw new JsonLineException(lineNumber, VALUE, "expected an object or null, got " + value);
        }
        JsonNode name = value.get(AvroJson.TYPE);
        Type type = name != null && name.isTextual() ? OUTPUTS.get(name.textValue()) : null;
        if (type == null) {
            throw new JsonLineException(lineNumber, VALUE + "." + AvroJson.TYPE, (name == null || name.isNull()
                ? "missing" : "unknown record type " + name) + "; expected one of " + OUTPUTS.keySet());
        }
        SpecificRecord record;
        try {
            record = type.codec().readFields(value, true);
        } catch (FieldError e) {
            throw new JsonLineException(lineNumber, e.path() == null ? VALUE : VALUE + "." + e.path(), e.getMessage());
        }
        if (type.envelope() != null) {
            SpecificRecord envelope = type.envelope().newRecord();
            envelope.put(0, record);
            record = envelope;
        }
        return new OutputLine(topic.textValue(), keyText, record);
    }

    /** The names a command line's {@code "type"} may take, in schema order. */
    public static Set<String> commandTypes() {
        return COMMANDS.keySet();
    }

    /** The names an output line's {@code value.type} may take: commands, events, CommandRejected, Delivery, DeliveryReceipt. */
    public static Set<String> outputTypes() {
        return OUTPUTS.keySet();
    }

    private static SpecificRecord unwrap(SpecificRecord value) {
        if (!AvroJson.isEnvelope(value.getSchema())) {
            return value;
        }
        SpecificRecord inner = (SpecificRecord) value.get(0);
        if (inner == null) {
            throw new IllegalArgumentException(value.getSchema().getName() + " holds no record");
        }
        return inner;
    }

    private static ObjectNode readObject(String line, long lineNumber, String what) {
        if (line == null || line.isBlank()) {
            throw new JsonLineException(lineNumber, null, "empty line; expected " + what + " (a JSON object)");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new JsonLineException(lineNumber, null, "not JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new JsonLineException(lineNumber, null, "expected " + what + " (a JSON object), got "
                + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return (ObjectNode) node;
    }
}
