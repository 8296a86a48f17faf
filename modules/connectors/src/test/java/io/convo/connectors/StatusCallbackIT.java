package io.convo.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convo.connectors.FakeProvider.Reply;
import io.convo.model.Channel;
import io.convo.model.ConversationEvent;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import io.convo.testkit.KafkaBrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19 on a real broker with a real HTTP provider: the status endpoint believes only what exists. A message is
 * sent by SMS through the webhook transport; the provider's callbacks for its real recipients become receipts, and a
 * callback for an unknown conversation or message (404) or for a participant who is not a recipient (409) writes none.
 */
class StatusCallbackIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final Duration WAIT = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();
    private ConnectorTopics topics;
    private FakeProvider provider;
    private ConnectorRunner runner;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        topics = new ConnectorTopics(KafkaRecords.uniquePrefix());
        kafka.createTopics(2, topics.delivery(Channel.sms), topics.delivery(Channel.mms), topics.delivery(Channel.whatsapp),
                topics.receipts(), topics.conversationEvents(), topics.conversationCommands());
        // CH1: alice (chat) writes to bob (chat) and to an SMS participant; carol joins after the message.
        produceEvents(Fixtures.chatParticipant("CH1", "MB-alice", "alice", null),
                Fixtures.chatParticipant("CH1", "MB-bob", "bob", null),
                Fixtures.smsParticipant("CH1", "MB-sms", "+15551230001", "+15559990000"),
                Fixtures.messageAdded("CH1", "IM1", 0, "alice"),
                Fixtures.chatParticipant("CH1", "MB-carol", "carol", null));
        provider = FakeProvider.alwaysOk();
        Map<String, Object> config = KafkaRecords.connectorConfig(kafka.bootstrapServers(), topics.prefix());
        config.put(ConnectorConfig.CHANNELS, "sms");
        config.put("convo.connector.sms.transport", "webhook");
        config.put("convo.connector.sms.webhook.url", provider.url().toString());
        runner = new ConnectorRunner(config);
        runner.start();
        base = URI.create("http://127.0.0.1:" + runner.httpAddress().orElseThrow().getPort());
        assertThat(FakeProvider.await(() -> "ready".equals(health().path("recipients").asText()), WAIT))
                .as("recipients loaded").isTrue();
        // The topology's fan-out of IM1: one SMS delivery to MB-sms, which the connector posts to the provider.
        KafkaRecords.produce(kafka.bootstrapServers(), topics.delivery(Channel.sms), Delivery.class,
                Delivery::getConversationSid, smsDelivery("IM1", 0));
        assertThat(receipts(1)).extracting(DeliveryReceipt::getStatus).containsExactly(DeliveryStatus.sent);
        assertThat(provider.performed()).containsExactly("IM1/MB-sms/sms");
    }

    @AfterEach
    void stop() {
        runner.close();
        provider.close();
    }

    @Test
    void callbacksForTheMessagesRecipientsBecomeReceipts() throws Exception {
        HttpResponse<String> sms = status("CH1", "IM1", "MB-sms", "delivered");
        HttpResponse<String> chat = status("CH1", "IM1", "MB-bob", "read");

        assertThat(sms.statusCode()).as(sms.body()).isEqualTo(202);
        assertThat(chat.statusCode()).as(chat.body()).isEqualTo(202);
        assertThat(receipts(3)).extracting(DeliveryReceipt::getParticipantSid, DeliveryReceipt::getStatus)
                .containsExactly(tuple("MB-sms", DeliveryStatus.sent),
                        tuple("MB-sms", DeliveryStatus.delivered),
                        tuple("MB-bob", DeliveryStatus.read));
    }

    @Test
    void anUnknownConversationOrMessageIs404AndWritesNoReceipt() throws Exception {
        HttpResponse<String> conversation = status("CHNOPE", "IM1", "MB-sms", "delivered");
        HttpResponse<String> message = status("CH1", "IMNOPE", "MB-sms", "delivered");

        assertThat(conversation.statusCode()).isEqualTo(404);
        assertThat(json.readTree(conversation.body()).path("error").asText()).isEqualTo("CONVERSATION_NOT_FOUND");
        assertThat(message.statusCode()).isEqualTo(404);
        assertThat(json.readTree(message.body()).path("error").asText()).isEqualTo("MESSAGE_NOT_FOUND");
        assertOnlyTheSentReceipt();
    }

    @Test
    void aParticipantWhoIsNotARecipientIs409AndWritesNoReceipt() throws Exception {
        HttpResponse<String> stranger = status("CH1", "IM1", "MBNOPE", "delivered");
        HttpResponse<String> author = status("CH1", "IM1", "MB-alice", "read");
        HttpResponse<String> latecomer = status("CH1", "IM1", "MB-carol", "read");

        for (HttpResponse<String> refused : List.of(stranger, author, latecomer)) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
            assertThat(json.readTree(refused.body()).path("error").asText()).isEqualTo("NOT_A_RECIPIENT");
        }
        assertOnlyTheSentReceipt();
    }

    @Test
    void aCallbackRightAfterItsMessageWasCommittedIsBelievedNotRefusedForLag() throws Exception {
        // No wait between the log and the callback: the endpoint reads what was committed before it refuses.
        produceEvents(Fixtures.messageAdded("CH1", "IM2", 1, "alice"));
        KafkaRecords.produce(kafka.bootstrapServers(), topics.delivery(Channel.sms), Delivery.class,
                Delivery::getConversationSid, smsDelivery("IM2", 1));
        HttpResponse<String> sms = status("CH1", "IM2", "MB-sms", "delivered");
        HttpResponse<String> carol = status("CH1", "IM2", "MB-carol", "read");

        assertThat(sms.statusCode()).as(sms.body()).isEqualTo(202);
        assertThat(carol.statusCode()).as("carol was there for IM2: " + carol.body()).isEqualTo(202);
    }

    private void assertOnlyTheSentReceipt() {
        runner.close(); // nothing more can be written
        assertThat(KafkaRecords.readAllValues(kafka.bootstrapServers(), topics.receipts(), DeliveryReceipt.class))
                .extracting(DeliveryReceipt::getStatus).containsExactly(DeliveryStatus.sent);
    }

    private static Delivery smsDelivery(String messageSid, long index) {
        Delivery delivery = Fixtures.delivery(Channel.sms, "CH1", messageSid, "MB-sms");
        delivery.setIndex(index);
        delivery.setTo("+15551230001");
        return delivery;
    }

    private void produceEvents(ConversationEvent... events) {
        KafkaRecords.produce(kafka.bootstrapServers(), topics.conversationEvents(), ConversationEvent.class, e -> "CH1",
                events);
    }

    private List<DeliveryReceipt> receipts(int count) {
        List<DeliveryReceipt> receipts = KafkaRecords.awaitValues(kafka.bootstrapServers(), topics.receipts(),
                DeliveryReceipt.class, count, WAIT);
        assertThat(receipts).as("receipts").hasSize(count);
        return receipts;
    }

    private HttpResponse<String> status(String conversationSid, String messageSid, String participantSid, String status)
            throws Exception {
        String body = """
                {"conversationSid":"%s","messageSid":"%s","participantSid":"%s","status":"%s"}"""
                .formatted(conversationSid, messageSid, participantSid, status);
        return http.send(HttpRequest.newBuilder(base.resolve(ConnectorHttpServer.STATUS_PATH))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode health() {
        try {
            return json.readTree(http.send(HttpRequest.newBuilder(base.resolve(ConnectorHttpServer.HEALTH_PATH)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } catch (Exception e) {
            return json.createObjectNode();
        }
    }
}
