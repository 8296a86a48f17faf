package io.convo.tools.chaos;

import io.convo.model.CommandRejected;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationCreated;
import io.convo.model.ConversationEvent;
import io.convo.model.DeliveryReceipt;
import io.convo.model.ServiceCommand;
import io.convo.model.TopicNames;
import io.convo.model.serde.ConvoSerdes;
import java.net.ConnectException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A custom value serde ({@code convo.serde=<this class>}) that is the single-object serde, except for records whose
 * commandId starts with a marker, where it injects a failure at the place a real bug or fault would be:
 * <ul>
 *   <li>{@code crash-}: the command decodes into an envelope without a command, and the Conversations processor
 *       throws on it (a processing failure, on every attempt);</li>
 *   <li>{@code wrong-type-}: the command decodes into a {@code ConversationEvent} (a serde returning another type);</li>
 *   <li>{@code unreachable-}: while {@link #UNREACHABLE} is set, decoding fails as a registry that cannot be reached
 *       (a failure of the surroundings, not of the record);</li>
 *   <li>{@code too-large-}: an event of that command serializes to 1.1 MB, over the producer's max.request.size;</li>
 *   <li>{@code unserializable-}: an event of that command cannot be serialized.</li>
 * </ul>
 */
public final class FaultInjectingSerde<T extends SpecificRecord> implements Serde<T> {

    /** While true, {@code unreachable-} commands fail to decode as if the registry were down. */
    public static final AtomicBoolean UNREACHABLE = new AtomicBoolean(true);
    static final int TOO_LARGE_BYTES = 1_100_000;

    private static final Map<Class<?>, Serde<SpecificRecord>> SERDES = new ConcurrentHashMap<>();

    @SuppressWarnings("unchecked")
    private static Serde<SpecificRecord> plain(Class<?> type) {
        return SERDES.computeIfAbsent(type, t -> (Serde<SpecificRecord>) (Serde<?>)
                ConvoSerdes.valueSerde((Class<SpecificRecord>) t, Map.of()));
    }

    /** The value type of the topics convo reads (the decoders' only calls). */
    private static Class<?> typeOf(String topic) {
        if (topic.endsWith(TopicNames.CONVERSATION_COMMANDS)) {
            return ConversationCommand.class;
        }
        if (topic.endsWith(TopicNames.SERVICE_COMMANDS)) {
            return ServiceCommand.class;
        }
        if (topic.endsWith(TopicNames.DELIVERY_RECEIPTS)) {
            return DeliveryReceipt.class;
        }
        if (topic.endsWith(TopicNames.COMMAND_REJECTIONS)) {
            return CommandRejected.class;
        }
        return ConversationEvent.class;
    }

    static String commandId(Object value) {
        Object body = value;
        if (value instanceof ConversationCommand c) {
            body = c.getCommand();
        } else if (value instanceof ConversationEvent e) {
            body = e.getEvent();
        } else if (value instanceof CommandRejected r) {
            return r.getCommandId();
        }
        if (body instanceof SpecificRecord record && record.getSchema().getField("commandId") != null) {
            Object id = record.get(record.getSchema().getField("commandId").pos());
            return id == null ? null : id.toString();
        }
        return null;
    }

    @Override
    public Serializer<T> serializer() {
        return new Serializer<>() {
            @Override
            public byte[] serialize(String topic, T data) {
                String id = data == null ? null : commandId(data);
                if (id != null && data instanceof ConversationEvent && id.startsWith("too-large-")) {
                    return new byte[TOO_LARGE_BYTES];
                }
                if (id != null && data instanceof ConversationEvent && id.startsWith("unserializable-")) {
                    throw new SerializationException("injected: " + id + " cannot be serialized");
                }
                return data == null ? null : plain(data.getClass()).serializer().serialize(topic, data);
            }
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return new Deserializer<>() {
            @Override
            public T deserialize(String topic, byte[] data) {
                return deserialize(topic, null, data);
            }

            @Override
            @SuppressWarnings("unchecked")
            public T deserialize(String topic, Headers headers, byte[] data) {
                Object value = plain(typeOf(topic)).deserializer().deserialize(topic, data);
                String id = commandId(value);
                if (id != null && value instanceof ConversationCommand) {
                    if (id.startsWith("crash-")) {
                        return (T) new ConversationCommand(null);
                    }
                    if (id.startsWith("wrong-type-")) {
                        return (T) new ConversationEvent(ConversationCreated.newBuilder().setCommandId(id)
                                .setServiceSid("IS-wrong").setConversationSid("CH-wrong").setTimestamp(0L)
                                .setState(io.convo.model.ConversationState.active).build());
                    }
                    if (id.startsWith("unreachable-") && UNREACHABLE.get()) {
                        throw new KafkaException("injected: schema registry unreachable",
                                new ConnectException("Connection refused"));
                    }
                }
                return (T) value;
            }
        };
    }
}
