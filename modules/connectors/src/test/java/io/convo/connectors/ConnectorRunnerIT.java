package io.convo.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convo.model.Channel;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import io.convo.model.SendMessage;
import io.convo.model.json.JsonLines;
import io.convo.testkit.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connectors as {@code convo connector} runs them, on a real broker: deliveries through the log transport,
 * and the HTTP endpoints providers call (status callbacks, inbound messages) answered by a real local server.
 */
class ConnectorRunnerIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String PROXY = "+15559990000";
    private static final String SENDER = "+15551230001";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();
    private ConnectorTopics topics;
    private Map<String, Object> config;
    private ConnectorRunner runner;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        String prefix = KafkaRecords.uniquePrefix();
        topics = new ConnectorTopics(prefix);
        kafka.createTopics(2, topics.delivery(Channel.sms), topics.delivery(Channel.whatsapp),
                topics.delivery(Channel.chat), topics.receipts(),
                topics.conversationEvents(), topics.conversationCommands());
        KafkaRecords.produce(kafka.bootstrapServers(), topics.conversationEvents(), ConversationEvent.class,
                e -> "CH1", Fixtures.smsParticipant("CH1", "MB1", SENDER, PROXY),
                Fixtures.chatParticipant("CH1", "MB2", "alice", null), Fixtures.chatParticipant("CH1", "MB3", "bob", null),
                Fixtures.messageAdded("CH1", "IM1", 0, "alice"));
        config = KafkaRecords.connectorConfig(kafka.bootstrapServers(), prefix);
        config.put(ConnectorConfig.CHANNELS, "sms,whatsapp,chat");
        config.put("convo.connector.transport", "log");
        config.put("convo.connector.sms.log.file", dir.resolve("sms.jsonl").toString());
        config.put("convo.connector.chat.log.file", dir.resolve("chat.jsonl").toString());
        config.put(ConnectorConfig.HTTP_TOKEN, "s3cret");
        runner = new ConnectorRunner(config);
        runner.start();
        base = URI.create("http://127.0.0.1:" + runner.httpAddress().orElseThrow().getPort());
        assertThat(FakeProvider.await(() -> "ready".equals(health().path("bindings").asText())
                && "ready".equals(health().path("recipients").asText()), WAIT)).as("bindings and recipients loaded").isTrue();
    }

    @AfterEach
    void stop() {
        runner.close();
    }

    private JsonNode health() {
        try {
            return json.readTree(http.send(HttpRequest.newBuilder(base.resolve(ConnectorHttpServer.HEALTH_PATH)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } catch (Exception e) {
            return json.createObjectNode();
        }
    }

    private HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void deliveriesGoThroughTheLogTransportAndAreReportedSent() throws Exception {
        Delivery delivery = Fixtures.delivery(Channel.sms, "CH1", "IM1", "MB1");
        KafkaRecords.produce(kafka.bootstrapServers(), topics.delivery(Channel.sms), Delivery.class,
                Delivery::getConversationSid, delivery);

        List<DeliveryReceipt> receipts = KafkaRecords.awaitValues(kafka.bootstrapServers(), topics.receipts(),
                DeliveryReceipt.class, 1, WAIT);

        assertThat(receipts).extracting(DeliveryReceipt::getStatus).containsExactly(DeliveryStatus.sent);
        List<String> lines = Files.readAllLines(dir.resolve("sms.jsonl"));
        assertThat(lines).hasSize(1);
        assertThat(JsonLines.parseOutput(lines.get(0), 1).value()).isEqualTo(delivery);
        assertThat(health().path("channels").path("sms").asText()).isEqualTo("RUNNING");
        assertThat(health().path("status").asText()).isEqualTo("ok");
    }

    @Test
    void aChatAudienceRecordGoesToTheTransportOnceAndReportsNoReceipt() throws Exception {
        Delivery audience = Delivery.newBuilder(Fixtures.delivery(Channel.chat, "CH1", "IM1", "MB2"))
                .setParticipantSid(null).setTo(null).build();
        KafkaRecords.produce(kafka.bootstrapServers(), topics.delivery(Channel.chat), Delivery.class,
                Delivery::getConversationSid, audience);
        Path chatLog = dir.resolve("chat.jsonl");
        assertThat(FakeProvider.await(() -> Files.exists(chatLog) && lines(chatLog).size() == 1, WAIT))
                .as("the audience record reached the chat transport").isTrue();
        assertThat(JsonLines.parseOutput(lines(chatLog).get(0), 1).value()).isEqualTo(audience);

        // A receipt the chat connector wrote would be committed before the SMS one that follows it.
        KafkaRecords.produce(kafka.bootstrapServers(), topics.delivery(Channel.sms), Delivery.class,
                Delivery::getConversationSid, Fixtures.delivery(Channel.sms, "CH1", "IM1", "MB1"));
        List<DeliveryReceipt> receipts = KafkaRecords.awaitValues(kafka.bootstrapServers(), topics.receipts(),
                DeliveryReceipt.class, 1, WAIT);
        assertThat(receipts).extracting(DeliveryReceipt::getParticipantSid).containsExactly("MB1");
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    @Test
    void aStatusCallbackOfARecipientBecomesAReceiptOnDeliveryReceipts() throws Exception {
        // bob (chat) was in CH1 when alice wrote IM1: he is one of its recipients.
        HttpResponse<String> response = post(ConnectorHttpServer.STATUS_PATH, """
                {"messageSid":"IM1","participantSid":"MB3","conversationSid":"CH1","status":"read","channel":"chat"}""",
                "s3cret");

        assertThat(response.statusCode()).isEqualTo(202);
        List<DeliveryReceipt> receipts = KafkaRecords.awaitValues(kafka.bootstrapServers(), topics.receipts(),
                DeliveryReceipt.class, 1, WAIT);
        assertThat(receipts).hasSize(1);
        assertThat(receipts.get(0).getStatus()).isEqualTo(DeliveryStatus.read);
        assertThat(receipts.get(0).getMessageSid()).isEqualTo("IM1");
        assertThat(receipts.get(0).getParticipantSid()).isEqualTo("MB3");
    }

    @Test
    void anInboundSmsBecomesASendMessageOnConversationCommands() throws Exception {
        HttpResponse<String> response = post(ConnectorHttpServer.INBOUND_PATH, """
                {"serviceSid":"%s","from":"%s","to":"%s","channel":"sms","body":"on my way","messageId":"SM42"}"""
                .formatted(Fixtures.SERVICE, SENDER, PROXY), "s3cret");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode reply = json.readTree(response.body());
        assertThat(reply.path("conversationSid").asText()).isEqualTo("CH1");
        assertThat(reply.path("participantSid").asText()).isEqualTo("MB1");
        List<ConversationCommand> commands = KafkaRecords.awaitValues(kafka.bootstrapServers(),
                topics.conversationCommands(), ConversationCommand.class, 1, WAIT);
        assertThat(commands).hasSize(1);
        SendMessage command = (SendMessage) commands.get(0).getCommand();
        assertThat(command.getConversationSid()).isEqualTo("CH1");
        assertThat(command.getAuthor()).isEqualTo(SENDER);
        assertThat(command.getBody()).isEqualTo("on my way");
        assertThat(command.getCommandId()).isEqualTo(reply.path("commandId").asText());
        assertThat(command.getMessageSid()).isEqualTo(reply.path("messageSid").asText());
    }

    @Test
    void unknownSendersMalformedBodiesAndMissingTokensAreRefused() throws Exception {
        HttpResponse<String> unknown = post(ConnectorHttpServer.INBOUND_PATH, """
                {"serviceSid":"%s","from":"+15550000000","to":"%s","channel":"sms","body":"hi"}"""
                .formatted(Fixtures.SERVICE, PROXY), "s3cret");
        HttpResponse<String> malformed = post(ConnectorHttpServer.INBOUND_PATH, "{\"serviceSid\":", "s3cret");
        HttpResponse<String> badField = post(ConnectorHttpServer.STATUS_PATH, """
                {"messageSid":"IM1","participantSid":"MB1","conversationSid":"CH1","status":"lost"}""", "s3cret");
        HttpResponse<String> noToken = post(ConnectorHttpServer.STATUS_PATH, "{}", null);
        HttpResponse<String> wrongToken = post(ConnectorHttpServer.STATUS_PATH, "{}", "guess");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json.readTree(unknown.body()).path("error").asText()).isEqualTo("UNKNOWN_SENDER");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json.readTree(malformed.body()).path("error").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(badField.statusCode()).isEqualTo(400);
        assertThat(json.readTree(badField.body()).path("field").asText()).isEqualTo("status");
        assertThat(noToken.statusCode()).isEqualTo(401);
        assertThat(wrongToken.statusCode()).isEqualTo(401);
    }
}
