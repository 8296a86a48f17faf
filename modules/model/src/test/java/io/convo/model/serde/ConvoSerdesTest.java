package io.convo.model.serde;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.convo.model.ConversationCommand;
import io.convo.model.Fixtures;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConvoSerdesTest {

    private static final String TOPIC = "conversation-commands";

    @Test
    void defaultsToSingleObject() {
        assertThat(ConvoSerdes.valueSerde(ConversationCommand.class, Map.of())).isInstanceOf(SingleObjectSerde.class);
        assertThat(ConvoSerdes.valueSerde(ConversationCommand.class, Map.of(ConvoSerdes.SERDE_CONFIG, "single-object")))
            .isInstanceOf(SingleObjectSerde.class);
        assertThat(ConvoSerdes.internalSerde(ConversationCommand.class)).isInstanceOf(SingleObjectSerde.class);
    }

    @Test
    void configuresApicurioForTheConfluentWireFormatFromTheConvoConfig() {
        Map<String, Object> apicurio = RegistrySerde.apicurioConfig(Map.of(
            ConvoSerdes.SERDE_CONFIG, "registry",
            ConvoSerdes.REGISTRY_URL_CONFIG, "http://127.0.0.1:1/apis/registry/v3",
            "bootstrap.servers", "ignored:9092"));

        assertThat(apicurio).containsOnly(
            Map.entry("apicurio.registry.url", "http://127.0.0.1:1/apis/registry/v3"),
            Map.entry("apicurio.registry.auto-register", true),
            Map.entry("apicurio.registry.headers.enabled", false),
            Map.entry("apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler"),
            Map.entry("apicurio.registry.use-id", "contentId"),
            Map.entry("apicurio.registry.use-specific-avro-reader", true),
            Map.entry("apicurio.registry.dereference-schema", true));
    }

    @Test
    void passesApicurioKeysThroughAndLetsThemWin() {
        Map<String, Object> apicurio = RegistrySerde.apicurioConfig(Map.of(
            ConvoSerdes.REGISTRY_URL_CONFIG, "http://127.0.0.1:1/apis/registry/v3",
            "apicurio.registry.auto-register", "false",
            "apicurio.registry.retry-count", "0"));

        assertThat(apicurio)
            .containsEntry("apicurio.registry.auto-register", "false")
            .containsEntry("apicurio.registry.retry-count", "0");
    }

    @Test
    void refusesTheRegistrySerdeWithoutARegistryUrl() {
        assertThatThrownBy(() -> ConvoSerdes.valueSerde(ConversationCommand.class, Map.of(ConvoSerdes.SERDE_CONFIG, "registry")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("convo.registry.url");
    }

    @Test
    void registrySerdeRejectsBytesThatAreNotTheConfluentWireFormatWithoutAskingTheRegistry() {
        Serde<ConversationCommand> serde = registrySerde(closedPortUrl());

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[] {(byte) 0xC3, 1, 2, 3, 4, 5}))
            .isInstanceOf(SerializationException.class)
            .hasMessageContaining("wrong magic byte 0xC3")
            .hasMessageContaining(TOPIC);
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[] {0, 0, 1}))
            .isInstanceOf(SerializationException.class)
            .hasMessageContaining("3 bytes, shorter than the 5-byte header");
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, null))
            .isInstanceOf(SerializationException.class)
            .hasMessageContaining("null value");
        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
    }

    @Test
    void anUnreachableRegistryIsAnInfrastructureFailureNotABadRecord() {
        Serde<ConversationCommand> serde = registrySerde(closedPortUrl());
        ConversationCommand command = Fixtures.conversationCommand(Fixtures.conversationCommands().get(2));

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[] {0, 0, 0, 0, 7, 2, 4}))
            .isInstanceOf(KafkaException.class)
            .isNotInstanceOf(SerializationException.class)
            .hasMessageContaining("unreachable")
            .hasMessageContaining("schema id 7");
        assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, command))
            .isInstanceOf(KafkaException.class)
            .isNotInstanceOf(SerializationException.class)
            .hasMessageContaining("unreachable");
    }

    @Test
    void instantiatesASerdeClassNamedInTheConfigAndConfiguresItWithTheWholeConfig() {
        Map<String, Object> config = Map.of(ConvoSerdes.SERDE_CONFIG, RecordingSerde.class.getName(), "schema.registry.url", "x");

        Serde<ConversationCommand> serde = ConvoSerdes.valueSerde(ConversationCommand.class, config);

        assertThat(serde).isInstanceOf(RecordingSerde.class);
        assertThat(((RecordingSerde) (Serde<?>) serde).configured).isEqualTo(config);
        assertThat(((RecordingSerde) (Serde<?>) serde).isKey).isFalse();
    }

    @Test
    void instantiatesASerializerAndADeserializerNamedInTheConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConvoSerdes.SERDE_CONFIG, ConvoSerdes.CUSTOM);
        config.put(ConvoSerdes.SERIALIZER_CONFIG, RecordingSerializer.class.getName());
        config.put(ConvoSerdes.DESERIALIZER_CONFIG, RecordingDeserializer.class.getName());

        Serde<ConversationCommand> serde = ConvoSerdes.valueSerde(ConversationCommand.class, config);

        assertThat(serde.serializer()).isInstanceOf(RecordingSerializer.class);
        assertThat(serde.deserializer()).isInstanceOf(RecordingDeserializer.class);
        assertThat(((RecordingSerializer) (Serializer<?>) serde.serializer()).configured).isEqualTo(config);
        assertThat(((RecordingDeserializer) (Deserializer<?>) serde.deserializer()).configured).isEqualTo(config);
    }

    @Test
    void refusesACustomSerdeWithoutItsClasses() {
        assertThatThrownBy(() -> ConvoSerdes.valueSerde(ConversationCommand.class, Map.of(ConvoSerdes.SERDE_CONFIG, "custom")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("convo.serde.serializer");
    }

    @Test
    void refusesAnUnknownSerdeClass() {
        assertThatThrownBy(() -> ConvoSerdes.valueSerde(ConversationCommand.class,
            Map.of(ConvoSerdes.SERDE_CONFIG, "io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde")))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde")
            .hasMessageContaining("no such class");
    }

    @Test
    void refusesAClassThatIsNotASerde() {
        assertThatThrownBy(() -> ConvoSerdes.valueSerde(ConversationCommand.class,
            Map.of(ConvoSerdes.SERDE_CONFIG, StringDeserializer.class.getName())))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining("org.apache.kafka.common.serialization.Serde");
    }

    @Test
    void apicurioDeserializerIsTheOneConfigured() {
        // Guards the dependency: the registry serde is built on these classes of apicurio-registry-avro-serde-kafka 3.1.7.
        assertThat(new AvroKafkaDeserializer<>()).isInstanceOf(Deserializer.class);
    }

    private static Serde<ConversationCommand> registrySerde(String url) {
        return ConvoSerdes.valueSerde(ConversationCommand.class, Map.of(
            ConvoSerdes.SERDE_CONFIG, ConvoSerdes.REGISTRY,
            ConvoSerdes.REGISTRY_URL_CONFIG, url,
            "apicurio.registry.retry-count", "0",
            "apicurio.registry.retry-backoff-ms", "0"));
    }

    /** A registry URL on a port nothing listens on. */
    private static String closedPortUrl() {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return "http://127.0.0.1:" + port + "/apis/registry/v3";
    }

    /** A Serde that records how it was configured. */
    public static final class RecordingSerde implements Serde<Object> {
        Map<String, ?> configured;
        Boolean isKey;

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            this.configured = configs;
            this.isKey = isKey;
        }

        @Override
        public Serializer<Object> serializer() {
            return new RecordingSerializer();
        }

        @Override
        public Deserializer<Object> deserializer() {
            return new RecordingDeserializer();
        }
    }

    /** A Serializer that records how it was configured. */
    public static final class RecordingSerializer implements Serializer<Object> {
        Map<String, ?> configured;

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            this.configured = configs;
        }

        @Override
        public byte[] serialize(String topic, Object data) {
            return new byte[0];
        }
    }

    /** A Deserializer that records how it was configured. */
    public static final class RecordingDeserializer implements Deserializer<Object> {
        Map<String, ?> configured;

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            this.configured = configs;
        }

        @Override
        public Object deserialize(String topic, byte[] data) {
            return null;
        }
    }
}
