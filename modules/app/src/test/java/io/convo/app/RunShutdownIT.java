package io.convo.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.convo.model.AddParticipant;
import io.convo.model.BindingType;
import io.convo.model.ConversationCommand;
import io.convo.model.CreateConversation;
import io.convo.model.MessagingBinding;
import io.convo.model.SendMessage;
import io.convo.model.serde.ConvoSerdes;
import io.convo.testkit.KafkaTestClients;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: {@code bin/convo run} with the SMS, MMS and WhatsApp connectors (webhook transport to a real local
 * provider), the chat gateway and the read API, on its embedded broker, stops within 10 s of SIGTERM, closing in the
 * reverse order of start: connectors and gateway, then Kafka Streams, then the broker; nothing is left retrying a
 * broker that is gone. Needs the shaded jar, which the package phase builds before the integration tests.
 */
class RunShutdownIT {

    private static final Path SCRIPT = Path.of("../../bin/convo").toAbsolutePath().normalize();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path workDir;

    @Test
    void withConnectorsGatewayAndReadApiItStopsWithinTenSecondsInReverseOrderOfStart() throws Exception {
        CountDownLatch delivered = new CountDownLatch(1);
        HttpServer provider = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        provider.createContext("/messages", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"status\":\"queued\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            delivered.countDown();
        });
        provider.start();
        int brokerPort = freePort();
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), "run")
                .directory(workDir.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("CONVO_BROKER_PORT", String.valueOf(brokerPort));
        env.put("CONVO_TOPICS_PARTITIONS", "2");
        env.put("CONVO_RUN_CONNECTORS", "sms,mms,whatsapp");
        env.put("CONVO_CONNECTOR_TRANSPORT", "webhook");
        env.put("CONVO_CONNECTOR_WEBHOOK_URL", "http://127.0.0.1:" + provider.getAddress().getPort() + "/messages");
        env.put("CONVO_CONNECTOR_HTTP_PORT", String.valueOf(freePort()));
        env.put("CONVO_RUN_GATEWAY", "true");
        env.put("CONVO_GATEWAY_PORT", String.valueOf(freePort()));
        env.put("CONVO_GATEWAY_TOKEN_SECRET", "a-secret-of-at-least-thirty-two-bytes!");
        env.put("CONVO_READ_ENABLED", "true");
        env.put("CONVO_READ_PORT", String.valueOf(freePort()));
        Process process = builder.start();
        List<String> output = new CopyOnWriteArrayList<>();
        CountDownLatch ready = new CountDownLatch(3);
        Thread reader = new Thread(() -> readLines(process, output, ready), "convo-output");
        reader.setDaemon(true);
        reader.start();
        try {
            assertThat(ready.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("running, with connectors and gateway, within %s; output:%n%s", START_TIMEOUT, String.join("\n", output))
                    .isTrue();
            // A message through the whole chain: the SMS connector posts it to the provider.
            sendMessage("127.0.0.1:" + brokerPort);
            assertThat(delivered.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("an SMS reached the provider; output:%n%s", String.join("\n", output)).isTrue();
            int linesBeforeStop = output.size();

            long stopping = System.nanoTime();
            process.toHandle().destroy(); // SIGTERM
            boolean exited = process.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            long toExit = (System.nanoTime() - stopping) / 1_000_000;
            reader.join(STOP_LIMIT.toMillis());
            System.err.printf("bin/convo run with connectors, gateway and read API: exited %d ms after SIGTERM%n", toExit);

            List<String> shutdown = output.subList(linesBeforeStop, output.size());
            System.err.println(String.join("\n", shutdown));
            assertThat(exited).as("exited within %s of SIGTERM; output:%n%s", STOP_LIMIT, String.join("\n", shutdown))
                    .isTrue();
            int parts = first(shutdown, line -> line.contains("Closed [") && line.contains("ConnectorRunner")
                    && line.contains("GatewayServer"));
            int streams = first(shutdown, line -> line.contains("Kafka Streams closed"));
            int broker = first(shutdown, line -> line.contains("Kafka broker at") && line.contains("stopped"));
            assertThat(parts).as("connectors and gateway closed; output:%n%s", String.join("\n", shutdown)).isNotNegative();
            assertThat(streams).as("then Kafka Streams").isGreaterThan(parts);
            assertThat(broker).as("then the broker").isGreaterThan(streams);
            assertThat(shutdown).as("nobody retries a broker that is gone")
                    .noneMatch(line -> line.contains("could not be established") || line.contains("disconnected"));
            assertThat(shutdown).anyMatch(line -> line.contains("convo stopped"));
        } finally {
            process.destroyForcibly();
            provider.stop(0);
        }
    }

    private static int first(List<String> lines, Predicate<String> wanted) {
        for (int i = 0; i < lines.size(); i++) {
            if (wanted.test(lines.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static void sendMessage(String bootstrapServers) {
        long now = System.currentTimeMillis();
        List<SpecificRecord> commands = List.of(
                CreateConversation.newBuilder().setCommandId("s1").setServiceSid("IS1").setTimestamp(now)
                        .setConversationSid("CH1").build(),
                AddParticipant.newBuilder().setCommandId("s2").setServiceSid("IS1").setTimestamp(now + 1)
                        .setConversationSid("CH1").setParticipantSid("MB-alice").setIdentity("alice").build(),
                AddParticipant.newBuilder().setCommandId("s3").setServiceSid("IS1").setTimestamp(now + 2)
                        .setConversationSid("CH1").setParticipantSid("MB-sms")
                        .setMessagingBinding(new MessagingBinding(BindingType.sms, "+15551111111", "+15550000000")).build(),
                SendMessage.newBuilder().setCommandId("s4").setServiceSid("IS1").setTimestamp(now + 3)
                        .setConversationSid("CH1").setMessageSid("IM1").setAuthor("alice").setBody("hello").build());
        try (KafkaProducer<String, ConversationCommand> producer = KafkaTestClients.producer(bootstrapServers,
                new StringSerializer(), ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).serializer(), Map.of())) {
            for (SpecificRecord c : commands) {
                long timestamp = (Long) c.get(c.getSchema().getField("timestamp").pos());
                producer.send(new ProducerRecord<>("conversation-commands", null, timestamp, "CH1", new ConversationCommand(c)));
            }
        }
    }

    /** Counts down once each for: convo running, the connectors running, the gateway running. */
    private static void readLines(Process process, List<String> output, CountDownLatch ready) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.add(line);
                if (line.contains("convo is running") || line.contains("channel connectors running in this process")
                        || line.contains("chat gateway running in this process")) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            output.add("(output unreadable: " + e + ")");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
