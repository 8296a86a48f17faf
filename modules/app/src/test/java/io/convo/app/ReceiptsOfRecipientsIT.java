package io.convo.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.convo.connectors.ConnectorRunner;
import io.convo.model.AddParticipant;
import io.convo.model.BindingType;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.CreateConversation;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import io.convo.model.DeliverySummaryUpdated;
import io.convo.model.MessagingBinding;
import io.convo.model.SendMessage;
import io.convo.model.serde.ConvoSerdes;
import io.convo.testkit.KafkaBrokerExtension;
import io.convo.testkit.KafkaTestClients;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 19 end to end on the embedded broker, with the SMS connector posting to a real HTTP provider: a message's
 * delivery summary counts its real recipients only. The status endpoint refuses callbacks about what does not exist
 * (404) or about a participant who is not a recipient (409), and a receipt that reaches {@code delivery-receipts}
 * anyway (written by something else than the endpoint) is ignored by the topology and counted in its metric.
 */
class ReceiptsOfRecipientsIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Duration WAIT = Duration.ofMinutes(2);

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aMessagesDeliverySummaryCountsItsRecipientsOnlyOnceEach() throws Exception {
        HttpServer provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        provider.createContext("/messages", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"status\":\"queued\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        provider.start();
        int readPort = freePort();
        Properties config = new Properties();
        config.setProperty("bootstrap.servers", KAFKA.bootstrapServers());
        config.setProperty("application.id", "convo-recipients-it");
        config.setProperty("state.dir", Files.createTempDirectory("convo-recipients").toString());
        config.setProperty("convo.metrics.enabled", "true");
        config.setProperty("convo.metrics.port", "0");
        config.setProperty("convo.read.enabled", "true");
        config.setProperty("convo.read.port", String.valueOf(readPort));
        try (ConvoApplication app = new ConvoApplication(config)) {
            app.start();
            assertThat(app.awaitRunning(WAIT)).isTrue();
            Properties connectorConfig = app.config();
            connectorConfig.setProperty("convo.connector.channels", "sms");
            connectorConfig.setProperty("convo.connector.http.port", "0");
            connectorConfig.setProperty("convo.connector.sms.transport", "webhook");
            connectorConfig.setProperty("convo.connector.sms.webhook.url",
                    "http://127.0.0.1:" + provider.getAddress().getPort() + "/messages");
            try (ConnectorRunner connectors = new ConnectorRunner(connectorConfig);
                 KafkaConsumer<String, byte[]> events = KafkaTestClients.consumer(KAFKA.bootstrapServers(),
                         new StringDeserializer(), new ByteArrayDeserializer(),
                         Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
                connectors.start();
                events.subscribe(List.of("conversation-events"));
                long now = System.currentTimeMillis();
                send(CreateConversation.newBuilder().setCommandId("r1").setServiceSid("IS1").setTimestamp(now)
                                .setConversationSid("CH1").build(),
                        AddParticipant.newBuilder().setCommandId("r2").setServiceSid("IS1").setTimestamp(now + 1)
                                .setConversationSid("CH1").setParticipantSid("MB-alice").setIdentity("alice").build(),
                        AddParticipant.newBuilder().setCommandId("r3").setServiceSid("IS1").setTimestamp(now + 2)
                                .setConversationSid("CH1").setParticipantSid("MB-bob").setIdentity("bob").build(),
                        AddParticipant.newBuilder().setCommandId("r4").setServiceSid("IS1").setTimestamp(now + 3)
                                .setConversationSid("CH1").setParticipantSid("MB-sms")
                                .setMessagingBinding(new MessagingBinding(BindingType.sms, "+15551111111", "+15550000000"))
                                .build(),
                        SendMessage.newBuilder().setCommandId("r5").setServiceSid("IS1").setTimestamp(now + 4)
                                .setConversationSid("CH1").setMessageSid("IM1").setAuthor("alice").setBody("hello").build());
                List<DeliverySummaryUpdated> summaries = new ArrayList<>();
                awaitSummary(events, summaries, s -> s.getSent() == 1); // the SMS went out through the provider
                URI status = URI.create("http://127.0.0.1:" + connectors.httpAddress().orElseThrow().getPort() + "/v1/status");

                assertThat(post(status, "CH1", "IM1", "MB-sms", "delivered").statusCode()).isEqualTo(202);
                HttpResponse<String> stranger = post(status, "CH1", "IM1", "MBNOPE", "delivered");
                HttpResponse<String> author = post(status, "CH1", "IM1", "MB-alice", "read");
                HttpResponse<String> message = post(status, "CH1", "IMNOPE", "MB-sms", "delivered");
                HttpResponse<String> conversation = post(status, "CHNOPE", "IM1", "MB-sms", "delivered");
                // Something other than the endpoint (an old connector, a tool) writes a stranger's receipt anyway.
                produceReceipt(DeliveryReceipt.newBuilder().setConversationSid("CH1").setMessageSid("IM1")
                        .setParticipantSid("MBNOPE").setStatus(DeliveryStatus.delivered)
                        .setTimestamp(System.currentTimeMillis()).build());
                assertThat(post(status, "CH1", "IM1", "MB-bob", "read").statusCode()).isEqualTo(202);
                awaitSummary(events, summaries, s -> s.getRead() == 1);

                assertThat(stranger.statusCode()).as(stranger.body()).isEqualTo(409);
                assertThat(json.readTree(stranger.body()).path("error").asText()).isEqualTo("NOT_A_RECIPIENT");
                assertThat(author.statusCode()).as(author.body()).isEqualTo(409);
                assertThat(message.statusCode()).as(message.body()).isEqualTo(404);
                assertThat(json.readTree(message.body()).path("error").asText()).isEqualTo("MESSAGE_NOT_FOUND");
                assertThat(conversation.statusCode()).as(conversation.body()).isEqualTo(404);
                assertThat(json.readTree(conversation.body()).path("error").asText()).isEqualTo("CONVERSATION_NOT_FOUND");
                assertThat(summaries).extracting(DeliverySummaryUpdated::getParticipantSid)
                        .containsExactly("MB-sms", "MB-sms", "MB-bob");
                // The read model follows the committed log a few milliseconds behind the event just seen.
                JsonNode delivery = awaitRead("http://127.0.0.1:" + readPort
                        + "/v1/conversations/CH1/messages/IM1/delivery", d -> d.path("recipientsReported").asInt() == 2);
                assertThat(delivery.path("recipientsReported").asInt()).as(delivery.toString()).isEqualTo(2);
                assertThat(delivery.path("statuses").path("MB-sms").asText()).isEqualTo("delivered");
                assertThat(delivery.path("statuses").path("MB-bob").asText()).isEqualTo("read");
                assertThat(delivery.path("statuses").has("MBNOPE")).isFalse();
                assertThat(ignoredNonRecipients("http://127.0.0.1:" + app.metricsPort() + "/metrics")).isEqualTo(1.0);
            }
        } finally {
            provider.stop(0);
        }
    }

    private static void send(SpecificRecord... commands) {
        try (KafkaProducer<String, ConversationCommand> producer = KafkaTestClients.producer(KAFKA.bootstrapServers(),
                new StringSerializer(), ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).serializer(), Map.of())) {
            for (SpecificRecord c : commands) {
                long timestamp = (Long) c.get(c.getSchema().getField("timestamp").pos());
                producer.send(new ProducerRecord<>("conversation-commands", null, timestamp, "CH1", new ConversationCommand(c)));
            }
        }
    }

    private static void produceReceipt(DeliveryReceipt receipt) {
        try (KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(KAFKA.bootstrapServers(),
                new StringSerializer(), new ByteArraySerializer(), Map.of())) {
            producer.send(new ProducerRecord<>("delivery-receipts", receipt.getConversationSid(),
                    ConvoSerdes.valueSerde(DeliveryReceipt.class, Map.of()).serializer().serialize("delivery-receipts",
                            receipt)));
        }
    }

    private HttpResponse<String> post(URI uri, String conversationSid, String messageSid, String participantSid,
            String status) throws Exception {
        String body = "{\"conversationSid\":\"%s\",\"messageSid\":\"%s\",\"participantSid\":\"%s\",\"status\":\"%s\"}"
                .formatted(conversationSid, messageSid, participantSid, status);
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** convo-receipts' non-recipient ignored-total, summed over the tasks that report it; waits for it to appear. */
    private double ignoredNonRecipients(String url) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String metrics = "";
        while (System.nanoTime() < deadline) {
            metrics = get(url).body();
            double total = metrics.lines()
                    .filter(line -> !line.startsWith("#") && line.contains("receipts_ignored_total")
                            && line.contains("non-recipient"))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
            if (total > 0) {
                return total;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no convo-receipts non-recipient metric in:\n" + metrics);
    }

    private JsonNode awaitRead(String url, Predicate<JsonNode> until) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode read = json.readTree(get(url).body());
        while (!until.test(read) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            read = json.readTree(get(url).body());
        }
        return read;
    }

    private static void awaitSummary(KafkaConsumer<String, byte[]> events, List<DeliverySummaryUpdated> summaries,
            Predicate<DeliverySummaryUpdated> wanted) {
        var decode = ConvoSerdes.valueSerde(ConversationEvent.class, Map.of()).deserializer();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (var r : events.poll(Duration.ofMillis(200))) {
                if (decode.deserialize(r.topic(), r.value()).getEvent() instanceof DeliverySummaryUpdated s) {
                    summaries.add(s);
                    if (wanted.test(s)) {
                        return;
                    }
                }
            }
        }
        throw new AssertionError("no such delivery summary; saw " + summaries);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
