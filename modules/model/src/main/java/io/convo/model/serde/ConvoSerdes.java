package io.convo.model.serde;

import io.convo.model.config.ConfigKey;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The serdes of convo's Avro records, chosen by configuration.
 *
 * <p>{@value #SERDE_CONFIG} selects the value serde of the public topics (commands, events,
 * rejections, deliveries, receipts):
 * <ul>
 *   <li>{@value #SINGLE_OBJECT} (the default): Avro single-object encoding, {@code C3 01} + the writer
 *       schema's 8-byte fingerprint + Avro binary. No registry: every schema version that ships in the
 *       model jar ({@code convo/schemas/**.avsc}, retired ones under {@code convo/schemas/history/}) is
 *       known, and a record written with an older version is read into the current class by Avro schema
 *       resolution.</li>
 *   <li>{@value #REGISTRY}: the Confluent wire format, {@code 00} + 4-byte big-endian schema id + Avro
 *       binary, through Apicurio Registry's serde. {@value #REGISTRY_URL_CONFIG} is the registry's v3 API,
 *       e.g. {@code http://127.0.0.1:8080/apis/registry/v3}; each record type's schema is registered
 *       automatically, self-contained (nested types inlined), under {@code <topic>-value}, and the id is
 *       the registry's content id, which is the schema id of its Confluent-compatible API
 *       ({@code /apis/ccompat/v7/schemas/ids/{id}}). Any {@code apicurio.*} key in the config is
 *       passed to Apicurio and overrides convo's settings, e.g. {@code apicurio.registry.auto-register=false}
 *       for a registry whose schemas are managed elsewhere.</li>
 *   <li>{@value #CUSTOM}: a {@link Serializer} class named by {@value #SERIALIZER_CONFIG} and a
 *       {@link Deserializer} class named by {@value #DESERIALIZER_CONFIG}.</li>
 *   <li>any other value: the fully-qualified class name of a {@link Serde}, e.g.
 *       {@code io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde} together with
 *       {@code schema.registry.url}.</li>
 * </ul>
 * Custom classes are instantiated with their no-argument constructor and configured as value serdes
 * with the whole config, so their own keys go in the same file.
 *
 * <p>Both built-in serdes throw {@link org.apache.kafka.common.errors.SerializationException} for bytes
 * they cannot read (null or empty bytes, wrong magic, unknown schema, truncated body), naming the
 * problem and the topic; they never return null for a bad record. State stores and internal topics use
 * {@link #internalSerde(Class)}, always single-object, never a registry.
 */
public final class ConvoSerdes {

    /** Selects the value serde: {@value #SINGLE_OBJECT}, {@value #REGISTRY}, {@value #CUSTOM} or a Serde class. */
    public static final String SERDE_CONFIG = "convo.serde";
    /** Avro single-object encoding, the default. */
    public static final String SINGLE_OBJECT = "single-object";
    /** Confluent wire format through Apicurio Registry. */
    public static final String REGISTRY = "registry";
    /** A serializer class and a deserializer class. */
    public static final String CUSTOM = "custom";
    /** The registry URL, e.g. {@code http://127.0.0.1:8080/apis/registry/v3}; required for {@value #REGISTRY}. */
    public static final String REGISTRY_URL_CONFIG = "convo.registry.url";
    /** The serializer class for {@value #CUSTOM}. */
    public static final String SERIALIZER_CONFIG = "convo.serde.serializer";
    /** The deserializer class for {@value #CUSTOM}. */
    public static final String DESERIALIZER_CONFIG = "convo.serde.deserializer";

    /** The serde's keys, with their defaults: one table. */
    public static final List<ConfigKey<?>> KEYS = List.of(
            ConfigKey.text(SERDE_CONFIG, SINGLE_OBJECT, "Value serde of the public topics: single-object, registry,"
                    + " custom, or a Serde class name."),
            ConfigKey.text(REGISTRY_URL_CONFIG, null, "Apicurio Registry v3 API, e.g. http://host:8080/apis/registry/v3."
                    + " With convo.serde=registry and no URL, convo run starts the embedded registry."),
            ConfigKey.text(SERIALIZER_CONFIG, null, "Serializer class, with convo.serde=custom."),
            ConfigKey.text(DESERIALIZER_CONFIG, null, "Deserializer class, with convo.serde=custom."));

    private static final Logger LOG = LoggerFactory.getLogger(ConvoSerdes.class);

    private ConvoSerdes() {
    }

    /**
     * The value serde of a public topic carrying {@code type}, as {@value #SERDE_CONFIG} selects. The
     * returned serde is configured already.
     *
     * @param type   the generated Avro class of the topic's values
     * @param config the application's config; only {@code convo.serde*}, {@code convo.registry.url},
     *               {@code apicurio.*} and a custom serde's own keys are read
     * @throws ConfigException when the selected serde cannot be built from the config
     */
    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type, Map<String, ?> config) {
        Object selected = config.get(SERDE_CONFIG);
        String choice = selected == null ? SINGLE_OBJECT : String.valueOf(selected).trim();
        switch (choice) {
            case SINGLE_OBJECT:
            case "":
                return new SingleObjectSerde<>(type, SingleObjectDeserializer.NullBytes.REJECT);
            case REGISTRY:
                return new RegistrySerde<>(type, config);
            case CUSTOM: {
                Serializer<T> serializer = newInstance(SERIALIZER_CONFIG, required(config, SERIALIZER_CONFIG), Serializer.class);
                Deserializer<T> deserializer = newInstance(DESERIALIZER_CONFIG, required(config, DESERIALIZER_CONFIG), Deserializer.class);
                serializer.configure(config, false);
                deserializer.configure(config, false);
                LOG.info("Value serde for {}: {} / {}", type.getSimpleName(), serializer.getClass().getName(),
                    deserializer.getClass().getName());
                return Serdes.serdeFrom(serializer, deserializer);
            }
            default: {
                Serde<T> serde = newInstance(SERDE_CONFIG, choice, Serde.class);
                serde.configure(config, false);
                LOG.info("Value serde for {}: {}", type.getSimpleName(), choice);
                return serde;
            }
        }
    }

    /**
     * The serde of state stores and internal topics: single-object always, so they never depend on a
     * registry. Null bytes read as null, because stores and changelogs use null for a deleted entry.
     */
    public static <T extends SpecificRecord> Serde<T> internalSerde(Class<T> type) {
        return new SingleObjectSerde<>(type, SingleObjectDeserializer.NullBytes.AS_NULL);
    }

    private static String required(Map<String, ?> config, String key) {
        Object value = config.get(key);
        if (value == null || String.valueOf(value).isBlank()) {
            throw new ConfigException(key, null, SERDE_CONFIG + "=" + CUSTOM + " needs " + key);
        }
        return String.valueOf(value).trim();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <R> R newInstance(String key, String className, Class base) {
        try {
            return (R) Utils.newInstance(className, base);
        } catch (ClassNotFoundException e) {
            throw new ConfigException(key, className, "no such class on the classpath (expected "
                + SINGLE_OBJECT + ", " + REGISTRY + ", " + CUSTOM + " or a " + base.getName() + " class)");
        } catch (KafkaException | ClassCastException e) {
            throw new ConfigException(key, className, "cannot be instantiated as a " + base.getName() + ": " + e.getMessage());
        }
    }
}
