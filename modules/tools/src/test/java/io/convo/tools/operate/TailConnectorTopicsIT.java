package io.convo.tools.operate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.convo.connectors.ChannelConnector;
import io.convo.connectors.ConnectorTopics;
import io.convo.model.Channel;
import io.convo.model.Delivery;
import io.convo.model.TopicNames;
import io.convo.model.serde.ConvoSerdes;
import io.convo.operate.TailCommand;
import io.convo.testkit.KafkaBrokerExtension;
import io.convo.testkit.KafkaTestClients;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * {@code convo tail} reads the connectors' own topics like every other convo topic: a real connector, a real HTTP
 * provider that refuses a delivery for good, and tail shows the dead letter with its reason and the processed marker.
 */
class TailConnectorTopicsIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String PROVIDER_ANSWER = "{\"code\":21211,\"message\":\"invalid 'To' phone number\"}";

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void tailPrintsDeliveryDlqWithTheReasonAndDeliveryProcessedWithTheReceipt() throws Exception {
        ConnectorTopics topics = new ConnectorTopics("");
        String smsTopic = TopicNames.DELIVERY_SMS;
        kafka.createTopics(2, smsTopic, TopicNames.DELIVERY_RECEIPTS);
        HttpServer provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        provider.createContext("/messages", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = PROVIDER_ANSWER.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(400, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        provider.start();
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", kafka.bootstrapServers());
        config.put("convo.connector.sms.transport", "webhook");
        config.put("convo.connector.sms.webhook.url", "http://127.0.0.1:" + provider.getAddress().getPort() + "/messages");
        try (ChannelConnector connector = new ChannelConnector(Channel.sms, config)) {
            connector.start();
            produce(smsTopic, Delivery.newBuilder().setMessageSid("IM1").setConversationSid("CH1").setServiceSid("IS1")
                    .setIndex(0).setParticipantSid("MB1").setChannel(Channel.sms).setTo("+15550001111")
                    .setFrom("+15559990000").setAuthor("alice").setBody("hi").setTimestamp(System.currentTimeMillis())
                    .build());
            awaitRecord(topics.dlq());
        } finally {
            provider.stop(0);
        }

        ConvoInstance.Run tailed = ConvoInstance.cli(new TailCommand(), "--bootstrap-servers", kafka.bootstrapServers(),
                "--from-beginning", "--to-end", "delivery-dlq", "delivery-processed");

        assertThat(tailed.exitCode()).as(tailed.err()).isZero();
        List<String> lines = tailed.out().lines().toList();
        List<String> dead = lines.stream().filter(l -> l.contains("\"topic\":\"delivery-dlq\"")).toList();
        List<String> processed = lines.stream().filter(l -> l.contains("\"topic\":\"delivery-processed\"")).toList();
        assertThat(lines).hasSize(2);
        assertThat(dead).hasSize(1);
        JsonNode line = json.readTree(dead.get(0));
        assertThat(line.path("topic").asText()).isEqualTo("delivery-dlq");
        assertThat(line.path("key").asText()).isEqualTo("CH1");
        assertThat(line.path("value").path("type").asText()).isEqualTo("Delivery");
        assertThat(line.path("value").path("messageSid").asText()).isEqualTo("IM1");
        JsonNode letter = line.path("deadLetter");
        assertThat(letter.path("code").asText()).isEqualTo("HTTP_400");
        assertThat(letter.path("reason").asText()).contains("HTTP 400");
        assertThat(letter.path("attempts").asText()).isEqualTo("1");
        assertThat(letter.path("retriable").asText()).isEqualTo("false");
        assertThat(letter.path("provider-status").asText()).isEqualTo("400");
        assertThat(letter.path("provider-answer").asText()).isEqualTo(PROVIDER_ANSWER);
        assertThat(processed).hasSize(1);
        JsonNode marker = json.readTree(processed.get(0));
        assertThat(marker.path("key").asText()).isEqualTo("IM1/MB1/sms");
        assertThat(marker.path("value").path("type").asText()).isEqualTo("DeliveryReceipt");
        assertThat(marker.path("value").path("status").asText()).isEqualTo("failed");
        assertThat(marker.path("value").path("code").asText()).isEqualTo("HTTP_400");
    }

    private static void produce(String topic, Delivery delivery) {
        try (KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(kafka.bootstrapServers(),
                new StringSerializer(), new ByteArraySerializer(), Map.of())) {
            producer.send(new ProducerRecord<>(topic, delivery.getConversationSid(),
                    ConvoSerdes.valueSerde(Delivery.class, Map.of()).serializer().serialize(topic, delivery)));
            producer.flush();
        }
    }

    private static void awaitRecord(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = KafkaTestClients.consumer(kafka.bootstrapServers(),
                new StringDeserializer(), new ByteArrayDeserializer(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            assertThat(KafkaTestClients.consumeUntil(consumer, List.of(topic), 1, WAIT)).as(topic).hasSize(1);
        }
    }
}
