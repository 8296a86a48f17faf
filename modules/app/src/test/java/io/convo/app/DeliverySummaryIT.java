package io.convo.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.connectors.ConnectorRunner;
import io.convo.model.AddParticipant;
import io.convo.model.BindingType;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.CreateConversation;
import io.convo.model.DeliverySummaryUpdated;
import io.convo.model.MessagingBinding;
import io.convo.model.SendMessage;
import io.convo.model.serde.ConvoSerdes;
import io.convo.testkit.KafkaBrokerExtension;
import io.convo.testkit.KafkaTestClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 4 end to end on the embedded broker: a message fans out, the connectors send it (log transport) and
 * report `sent`, a provider's status callback reports `delivered`, and the topology folds each receipt into the
 * message's delivery summary.
 */
class DeliverySummaryIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void aStatusCallbackBecomesAReceiptAndMovesTheMessagesDeliverySummary() throws Exception {
        Properties config = new Properties();
        config.setProperty("bootstrap.servers", KAFKA.bootstrapServers());
        config.setProperty("application.id", "convo-summary-it");
        config.setProperty("state.dir", Files.createTempDirectory("convo-summary").toString());
        try (ConvoApplication app = new ConvoApplication(config)) {
            app.start();
            assertThat(app.awaitRunning(Duration.ofMinutes(2))).isTrue();
            Properties connectorConfig = app.config();
            connectorConfig.setProperty("convo.connector.channels", "chat,sms");
            connectorConfig.setProperty("convo.connector.http.port", "0");
            try (ConnectorRunner connectors = new ConnectorRunner(connectorConfig)) {
                connectors.start();
                long now = System.currentTimeMillis();
                send(List.of(
                        CreateConversation.newBuilder().setCommandId("s1").setServiceSid("IS1").setTimestamp(now)
                                .setConversationSid("CH1").build(),
                        AddParticipant.newBuilder().setCommandId("s2").setServiceSid("IS1").setTimestamp(now + 1)
                                .setConversationSid("CH1").setParticipantSid("MB-alice").setIdentity("alice").build(),
                        AddParticipant.newBuilder().setCommandId("s3").setServiceSid("IS1").setTimestamp(now + 2)
                                .setConversationSid("CH1").setParticipantSid("MB-bob").setIdentity("bob").build(),
                        AddParticipant.newBuilder().setCommandId("s4").setServiceSid("IS1").setTimestamp(now + 3)
                                .setConversationSid("CH1").setParticipantSid("MB-sms")
                                .setMessagingBinding(new MessagingBinding(BindingType.sms, "+15551111111", "+15550000000"))
                                .build(),
                        SendMessage.newBuilder().setCommandId("s5").setServiceSid("IS1").setTimestamp(now + 4)
                                .setConversationSid("CH1").setMessageSid("IM1").setAuthor("alice").setBody("hello").build()));

                try (KafkaConsumer<String, byte[]> events = KafkaTestClients.consumer(KAFKA.bootstrapServers(),
                        new StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                        Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
                    events.subscribe(List.of("conversation-events"));
                    // The SMS connector's receipt; the chat connector sends bob's one audience record and reports
                    // nothing (a receipt names one recipient; chat clients report through the status endpoint).
                    DeliverySummaryUpdated sent = awaitSummary(events, s -> s.getSent() == 1);
                    assertThat(sent.getMessageSid()).isEqualTo("IM1");
                    assertThat(sent.getParticipantSid()).isEqualTo("MB-sms");

                    int port = connectors.httpAddress().orElseThrow().getPort();
                    HttpResponse<String> callback = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/v1/status"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"conversationSid\":\"CH1\",\"messageSid\":\"IM1\","
                                    + "\"participantSid\":\"MB-sms\",\"status\":\"delivered\"}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(callback.statusCode()).as(callback.body()).isBetween(200, 299);

                    DeliverySummaryUpdated delivered = awaitSummary(events, s -> s.getDelivered() == 1);
                    assertThat(delivered.getSent()).isZero();
                    assertThat(delivered.getParticipantSid()).isEqualTo("MB-sms");
                }
            }
        }
    }

    private static void send(List<SpecificRecord> commands) {
        try (KafkaProducer<String, ConversationCommand> producer = KafkaTestClients.producer(KAFKA.bootstrapServers(),
                new StringSerializer(), ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).serializer(), Map.of())) {
            for (SpecificRecord c : commands) {
                long timestamp = (Long) c.get(c.getSchema().getField("timestamp").pos());
                producer.send(new ProducerRecord<>("conversation-commands", null, timestamp, "CH1", new ConversationCommand(c)));
            }
        }
    }

    private static DeliverySummaryUpdated awaitSummary(KafkaConsumer<String, byte[]> events,
                                                      java.util.function.Predicate<DeliverySummaryUpdated> wanted) {
        var decode = ConvoSerdes.valueSerde(ConversationEvent.class, Map.of()).deserializer();
        List<Object> seen = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            for (var r : events.poll(Duration.ofMillis(200))) {
                Object event = decode.deserialize(r.topic(), r.value()).getEvent();
                seen.add(event);
                if (event instanceof DeliverySummaryUpdated s && wanted.test(s)) {
                    return s;
                }
            }
        }
        throw new AssertionError("no such delivery summary; saw " + seen);
    }
}
