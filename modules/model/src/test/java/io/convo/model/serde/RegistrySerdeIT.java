package io.convo.model.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convo.model.ConversationCommand;
import io.convo.model.Fixtures;
import io.convo.testkit.ApicurioRegistryExtension;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry serde against a real Apicurio Registry server. */
class RegistrySerdeIT {

    @RegisterExtension
    static final ApicurioRegistryExtension REGISTRY = new ApicurioRegistryExtension();

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    static List<SpecificRecord> everyTopLevelRecord() {
        return Fixtures.everyTopLevelRecord();
    }

    private static Map<String, Object> config() {
        return Map.of(ConvoSerdes.SERDE_CONFIG, ConvoSerdes.REGISTRY, ConvoSerdes.REGISTRY_URL_CONFIG, REGISTRY.url());
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> Serde<T> serdeFor(T record) {
        return ConvoSerdes.valueSerde((Class<T>) record.getClass(), config());
    }

    /** The schema the registry's Confluent-compatible API returns for a schema id. */
    private static Schema schemaById(int id) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(REGISTRY.ccompatUrl() + "/schemas/ids/" + id))
            .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET /schemas/ids/%d: %s", id, response.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        // Registered dereferenced: the schema stands alone, as Confluent clients without reference support need.
        assertThat(body.path("references")).as("references of schema %d", id).isEmpty();
        return new Schema.Parser().parse(body.get("schema").asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyTopLevelRecord")
    void writesTheConfluentWireFormatWithAnIdTheRegistryKnowsAndReadsItBack(SpecificRecord record) throws Exception {
        String topic = "it-" + record.getSchema().getName();
        Serde<SpecificRecord> writer = serdeFor(record);
        Serde<SpecificRecord> reader = serdeFor(record);

        byte[] bytes = writer.serializer().serialize(topic, record);
        SpecificRecord read = reader.deserializer().deserialize(topic, bytes);

        assertThat(bytes[0]).as("magic byte").isZero();
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(schemaById(id).getFullName()).isEqualTo(record.getSchema().getFullName());
        assertThat(read).isEqualTo(record);
        writer.close();
        reader.close();
    }

    @Test
    void readsARecordWhoseSchemaIdIsUnknownAsABadRecord() {
        Serde<ConversationCommand> serde = ConvoSerdes.valueSerde(ConversationCommand.class, config());

        assertThatThrownBy(() -> serde.deserializer().deserialize("it-unknown-id", new byte[] {0, 0, 0x0F, 0x42, 0x3F, 2, 4}))
            .isInstanceOf(SerializationException.class)
            .hasMessageContaining("schema id 999999")
            .hasMessageContaining("it-unknown-id");
    }

    @Test
    void readsAGarbledBodyAsABadRecord() {
        ConversationCommand command = Fixtures.conversationCommand(Fixtures.conversationCommands().get(6));
        Serde<ConversationCommand> serde = ConvoSerdes.valueSerde(ConversationCommand.class, config());
        byte[] bytes = serde.serializer().serialize("it-garbled", command);
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 4);

        assertThatThrownBy(() -> serde.deserializer().deserialize("it-garbled", truncated))
            .isInstanceOf(SerializationException.class)
            .hasMessageContaining("it-garbled");
    }
}
