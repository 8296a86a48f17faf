package io.convo.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.ConversationCommand;
import io.convo.model.CreateConversation;
import io.convo.model.serde.ConvoSerdes;
import io.convo.testkit.KafkaBrokerExtension;
import io.convo.testkit.KafkaTestClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /metrics in Prometheus format with convo's own metrics, and health that follows the Streams state. */
class MetricsAndHealthIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesPrometheusMetricsWithConvosOwnAndIsReadyOnlyWhileRunning() throws Exception {
        Properties config = new Properties();
        config.setProperty("bootstrap.servers", KAFKA.bootstrapServers());
        config.setProperty("application.id", "convo-metrics-it");
        config.setProperty("state.dir", Files.createTempDirectory("convo-metrics").toString());
        config.setProperty(AppConfig.METRICS_ENABLED.name(), "true");
        config.setProperty(AppConfig.METRICS_PORT.name(), "0");
        try (ConvoApplication app = new ConvoApplication(config)) {
            app.start();
            String base = "http://127.0.0.1:" + app.metricsPort();
            assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
            assertThat(app.awaitRunning(Duration.ofMinutes(2))).isTrue();
            HttpResponse<String> ready = get(base + "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("RUNNING");

            long now = System.currentTimeMillis();
            try (KafkaProducer<String, ConversationCommand> producer = KafkaTestClients.producer(KAFKA.bootstrapServers(),
                    new StringSerializer(), ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).serializer(), Map.of())) {
                for (int i = 0; i < 2; i++) { // the second is a duplicate: one accepted, one rejected
                    producer.send(new ProducerRecord<>("conversation-commands", null, now, "CH-m",
                            new ConversationCommand(CreateConversation.newBuilder().setCommandId("m-1").setServiceSid("IS1")
                                    .setTimestamp(now).setConversationSid("CH-m").build())));
                }
            }
            String metrics = "";
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (System.nanoTime() < deadline && !(metrics.contains("convo_commands") && metrics.contains("DUPLICATE_COMMAND"))) {
                metrics = get(base + "/metrics").body();
                Thread.sleep(200);
            }
            assertThat(metrics).contains("convo_commands").contains("CreateConversation").contains("DUPLICATE_COMMAND");
            assertThat(metrics).contains("e2e_latency");
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
