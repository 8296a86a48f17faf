package io.convo.model.serde;

import io.apicurio.registry.serde.Default4ByteIdHandler;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.config.IdOption;
import io.apicurio.registry.serde.config.SerdeConfig;
import io.apicurio.registry.serde.kafka.config.KafkaSerdeConfig;
import io.apicurio.registry.rest.client.models.ProblemDetails;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Confluent wire format ({@code 00} + 4-byte big-endian schema id + Avro binary) through Apicurio
 * Registry's Kafka serde, reading into the generated classes. It is configured when built:
 * {@link #configure} does nothing.
 *
 * <p>Failures are split so a dead-letter handler can tell a bad record from a broken registry: bytes
 * that are not this format or whose body does not decode throw {@link SerializationException}; a
 * registry that cannot be reached (connection refused, timeout, unknown host) throws a plain
 * {@link KafkaException}, which should stop the application rather than divert good records. A schema id the
 * registry does not know, and a record of another type than the serde's (a {@code ConversationEvent} with its real
 * schema id on {@code conversation-commands}), are bad records too. Null bytes are rejected like in
 * {@link SingleObjectDeserializer.NullBytes#REJECT}; serializing null gives null.
 *
 * <p>Each topic gets its own Apicurio serializer: one instance shared by topics answers the second topic from its
 * cache by schema content and never registers the second topic's subject ({@code delivery-chat-value} was missing
 * while {@code delivery-sms-value} existed).
 */
public final class RegistrySerde<T extends SpecificRecord> implements Serde<T> {

    private static final byte MAGIC = 0;
    private static final int HEADER_LENGTH = 5;

    private final Serializer<T> serializer;
    private final Deserializer<T> deserializer;

    /**
     * @param type   the generated class the serde reads and writes; a record of another class is a bad record
     * @param config the application's config (see {@link #apicurioConfig})
     */
    public RegistrySerde(Class<T> type, Map<String, ?> config) {
        Map<String, Object> apicurio = apicurioConfig(config);
        String url = String.valueOf(apicurio.get(SerdeConfig.REGISTRY_URL));
        AvroKafkaDeserializer<T> des = new AvroKafkaDeserializer<>();
        des.configure(apicurio, false);
        this.serializer = new CheckedSerializer<>(apicurio, url);
        this.deserializer = new CheckedDeserializer<>(des, type, url);
    }

    /**
     * The Apicurio settings derived from a convo config: the registry URL from
     * {@value ConvoSerdes#REGISTRY_URL_CONFIG}, auto-registration, ids in the payload as a 4-byte
     * content id (what the registry's Confluent-compatible API calls the schema id), self-contained
     * (dereferenced) schemas and specific-record reading; then every {@code apicurio.*} key of the
     * config, which wins.
     */
    static Map<String, Object> apicurioConfig(Map<String, ?> config) {
        Map<String, Object> apicurio = new HashMap<>();
        Object url = config.get(ConvoSerdes.REGISTRY_URL_CONFIG);
        if (url != null) {
            apicurio.put(SerdeConfig.REGISTRY_URL, String.valueOf(url));
        }
        apicurio.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
        apicurio.put(KafkaSerdeConfig.ENABLE_HEADERS, false);
        apicurio.put(SerdeConfig.ID_HANDLER, Default4ByteIdHandler.class.getName());
        apicurio.put(SerdeConfig.USE_ID, IdOption.contentId.name());
        apicurio.put(AvroSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
        // One self-contained schema per record type, as Confluent clients without reference support expect,
        // instead of Apicurio's default of one artifact per nested type.
        apicurio.put(SerdeConfig.DEREFERENCE_SCHEMA, true);
        config.forEach((key, value) -> {
            if (key.startsWith("apicurio.")) {
                apicurio.put(key, value);
            }
        });
        if (apicurio.get(SerdeConfig.REGISTRY_URL) == null) {
            throw new ConfigException(ConvoSerdes.REGISTRY_URL_CONFIG, null,
                "the registry serde needs the registry URL, e.g. http://127.0.0.1:8080/apis/registry/v3");
        }
        return apicurio;
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }

    /** True when the failure says the registry could not be reached, not that the record is bad. */
    public static boolean registryUnreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpTimeoutException
                || t instanceof SocketTimeoutException || t instanceof UnknownHostException
                || t instanceof NoRouteToHostException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** True when the registry answered 404: it does not know the schema id. */
    static boolean notFound(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProblemDetails problem
                && (Integer.valueOf(404).equals(problem.getStatus()) || problem.getResponseStatusCode() == 404)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static RuntimeException translate(String action, String topic, String url, RuntimeException e) {
        if (e instanceof SerializationException) {
            return e;
        }
        if (registryUnreachable(e)) {
            return new KafkaException("Cannot " + action + " for topic " + topic + ": schema registry "
                + url + " unreachable: " + e, e);
        }
        return new SerializationException("Cannot " + action + " for topic " + topic + " (registry " + url
            + "): " + e, e);
    }

    /** Apicurio's serializer, one per topic, with failures translated. */
    private static final class CheckedSerializer<T> implements Serializer<T> {
        private final Map<String, Object> apicurio;
        private final String url;
        private final Map<String, Serializer<T>> byTopic = new ConcurrentHashMap<>();

        CheckedSerializer(Map<String, Object> apicurio, String url) {
            this.apicurio = apicurio;
            this.url = url;
        }

        private Serializer<T> delegate(String topic) {
            return byTopic.computeIfAbsent(topic, t -> {
                AvroKafkaSerializer<T> ser = new AvroKafkaSerializer<>();
                ser.configure(apicurio, false);
                return ser;
            });
        }

        @Override
        public byte[] serialize(String topic, T data) {
            try {
                return delegate(topic).serialize(topic, data);
            } catch (RuntimeException e) {
                throw translate("write a record", topic, url, e);
            }
        }

        @Override
        public byte[] serialize(String topic, Headers headers, T data) {
            try {
                return delegate(topic).serialize(topic, headers, data);
            } catch (RuntimeException e) {
                throw translate("write a record", topic, url, e);
            }
        }

        @Override
        public void close() {
            byTopic.values().forEach(Serializer::close);
            byTopic.clear();
        }
    }

    /** Apicurio's deserializer behind a check of the header and of the type read, with failures translated. */
    private static final class CheckedDeserializer<T> implements Deserializer<T> {
        private final Deserializer<T> delegate;
        private final Class<T> type;
        private final String url;

        CheckedDeserializer(Deserializer<T> delegate, Class<T> type, String url) {
            this.delegate = delegate;
            this.type = type;
            this.url = url;
        }

        @Override
        public T deserialize(String topic, byte[] data) {
            return deserialize(topic, null, data);
        }

        @Override
        public T deserialize(String topic, Headers headers, byte[] data) {
            check(topic, data);
            int id = ByteBuffer.wrap(data, 1, 4).getInt();
            T value;
            try {
                value = headers == null ? delegate.deserialize(topic, data) : delegate.deserialize(topic, headers, data);
            } catch (RuntimeException e) {
                if (notFound(e)) {
                    throw new SerializationException("Cannot read a record from topic " + topic + ": schema id " + id
                        + " not found in the registry " + url, e);
                }
                throw translate("read a record with schema id " + id, topic, url, e);
            }
            if (value != null && type != null && !type.isInstance(value)) {
                // The registry knows the id, but as another record type: decoding succeeded into the wrong class.
                throw new WrongTypeException("Cannot read " + type.getName() + " from topic " + topic + ": schema id "
                    + id + " is " + value.getClass().getName() + ", not " + type.getName());
            }
            return value;
        }

        private static void check(String topic, byte[] data) {
            if (data == null) {
                throw new SerializationException("Cannot read a record from topic " + topic
                    + ": null value (a tombstone is not a valid record here)");
            }
            if (data.length < HEADER_LENGTH) {
                throw new SerializationException("Cannot read a record from topic " + topic + ": " + data.length
                    + " bytes, shorter than the 5-byte header (magic 0 + 4-byte schema id)");
            }
            if (data[0] != MAGIC) {
                throw new SerializationException(String.format("Cannot read a record from topic %s: wrong magic "
                    + "byte 0x%02X, expected 0x00 (Confluent wire format)", topic, data[0]));
            }
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
