package io.convo.tools.chaos;

import static io.convo.tools.chaos.PoisonHarness.header;
import static io.convo.tools.chaos.PoisonHarness.keyOn;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convo.model.AddParticipant;
import io.convo.model.ConversationCreated;
import io.convo.model.ConversationEvent;
import io.convo.model.ConversationState;
import io.convo.model.DeadLetterHeaders;
import io.convo.model.SendMessage;
import io.convo.model.serde.ConvoSerdes;
import io.convo.model.serde.RegistrySubjects;
import io.convo.testkit.ApicurioRegistryExtension;
import io.convo.testkit.KafkaBrokerExtension;
import io.convo.testkit.KafkaTestClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * convo with the registry serde against the real Apicurio Registry and a real broker: every topic's value subject
 * exists from the start and names its own schema (the one its records carry), a record of another registered schema
 * and a record with a schema id the registry does not know are dead-lettered with the reason, and the commands
 * behind them are decided once.
 */
class RegistryPoisonIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
    @RegisterExtension
    static final ApicurioRegistryExtension REGISTRY = new ApicurioRegistryExtension();

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static PoisonHarness convo;
    private static Map<String, Object> serde;

    @BeforeAll
    static void start() throws Exception {
        Properties config = new Properties();
        config.setProperty(ConvoSerdes.SERDE_CONFIG, ConvoSerdes.REGISTRY);
        config.setProperty(ConvoSerdes.REGISTRY_URL_CONFIG, REGISTRY.url());
        serde = Map.of(ConvoSerdes.SERDE_CONFIG, ConvoSerdes.REGISTRY, ConvoSerdes.REGISTRY_URL_CONFIG, REGISTRY.url());
        convo = new PoisonHarness(KAFKA.bootstrapServers(), "convo-registry-poison", config);
    }

    @AfterAll
    static void stop() {
        if (convo != null) {
            convo.close();
        }
    }

    /** The latest version of a subject through the Confluent-compatible API, as a Confluent client asks it. */
    private static JsonNode latest(String subject) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(REGISTRY.ccompatUrl() + "/subjects/" + subject + "/versions/latest")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", subject, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void everyTopicsValueSubjectExistsAndNamesItsOwnSchemaTheOneItsRecordsCarry() throws Exception {
        for (Map.Entry<String, Class<? extends SpecificRecord>> topic
                : RegistrySubjects.valueTypes(convo.topics).entrySet()) {
            JsonNode version = latest(topic.getKey() + "-value");
            Schema schema = new Schema.Parser().parse(version.get("schema").asText());
            assertThat(schema.getFullName()).as("schema of %s-value", topic.getKey())
                    .isEqualTo(SpecificData.get().getSchema(topic.getValue()).getFullName());
        }

        // A chat message: its delivery-chat record carries the id that delivery-chat-value names.
        String conversation = keyOn(0, "CH-chat");
        convo.created(conversation);
        for (String identity : List.of("alice", "bob")) {
            convo.send(conversation, convo.encode(AddParticipant.newBuilder().setCommandId(convo.nextId("add-"))
                    .setServiceSid(PoisonHarness.SERVICE).setTimestamp(convo.now()).setConversationSid(conversation)
                    .setParticipantSid("MB-" + identity).setIdentity(identity).build()));
        }
        convo.send(conversation, convo.encode(SendMessage.newBuilder().setCommandId(convo.nextId("msg-"))
                .setServiceSid(PoisonHarness.SERVICE).setTimestamp(convo.now()).setConversationSid(conversation)
                .setMessageSid("IM-chat").setAuthor("alice").setBody("hello").build()));
        try (KafkaConsumer<String, byte[]> consumer = KafkaTestClients.consumer(KAFKA.bootstrapServers(),
                new StringDeserializer(), new ByteArrayDeserializer(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            List<ConsumerRecord<String, byte[]>> chat = KafkaTestClients.consumeUntil(consumer,
                    List.of(convo.topics.deliveryChat()), 1, PoisonHarness.DEADLINE);
            assertThat(chat).as("a delivery-chat record").isNotEmpty();
            int id = ByteBuffer.wrap(chat.get(0).value(), 1, 4).getInt();
            assertThat(latest(convo.topics.deliveryChat() + "-value").get("id").asInt()).isEqualTo(id);
        }
    }

    @Test
    void aConversationEventWrittenWithItsRealSchemaIdOnConversationCommandsIsDeadLetteredAsTheWrongType() {
        String key = keyOn(1, "CH-event");
        byte[] event = ConvoSerdes.valueSerde(ConversationEvent.class, serde).serializer().serialize(
                convo.topics.conversationEvents(), new ConversationEvent(ConversationCreated.newBuilder()
                        .setCommandId("an-event").setServiceSid(PoisonHarness.SERVICE).setTimestamp(convo.now())
                        .setConversationSid(key).setState(ConversationState.active).build()));
        int id = ByteBuffer.wrap(event, 1, 4).getInt();

        List<String> decided = convo.around("event", 1, () -> convo.send(key, event));

        ConsumerRecord<String, byte[]> letter = convo.theDeadLetter(key);
        assertThat(header(letter, DeadLetterHeaders.REASON)).contains("schema id " + id
                + " is io.convo.model.ConversationEvent, not io.convo.model.ConversationCommand");
        assertThat(letter.value()).isEqualTo(event);
        assertThat(convo.outputs.events(key)).isEmpty();
        convo.decidedOnceEach(decided);
        convo.stillRunningAndLive();
        assertThat(convo.metric("convo_dead_letters_total", "kind", "wrong-type", "partition", "1")).isEqualTo(1.0);
    }

    @Test
    void aRecordWithASchemaIdTheRegistryDoesNotKnowIsDeadLetteredAsNotFound() {
        String key = keyOn(0, "CH-unknown-id");
        byte[] unknown = {0, 0, 0, 0x30, 0x39, 2, 4}; // schema id 12345

        List<String> decided = convo.around("unknown", 0, () -> convo.send(key, unknown));

        ConsumerRecord<String, byte[]> letter = convo.theDeadLetter(key);
        assertThat(header(letter, DeadLetterHeaders.REASON)).contains("schema id 12345 not found in the registry");
        convo.decidedOnceEach(decided);
        convo.stillRunningAndLive();
    }
}
