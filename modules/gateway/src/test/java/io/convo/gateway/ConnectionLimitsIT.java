package io.convo.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.convo.testkit.KafkaBrokerExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The connection limits of SPEC §7 at their boundaries, with small configured limits and a clock that stands still
 * inside one window (so "the same second" never depends on how fast the machine is), plus heartbeats and shutdown.
 * No topology is needed: every frame counts as a request, and an unknown frame type is answered at once.
 */
class ConnectionLimitsIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private final List<ChatClient> clients = new ArrayList<>();
    private GatewayServer gateway;
    private MutableClock clock;

    @BeforeAll
    static void topics() {
        ConvoStack.createTopics(kafka.bootstrapServers());
    }

    private void start(Map<String, String> limits) {
        clock = MutableClock.atSecondPlus(100);
        gateway = new GatewayServer(GatewayConfig.settings(ConvoStack.gatewayConfig(kafka.bootstrapServers(), limits)),
                clock);
        gateway.start();
    }

    @AfterEach
    void stop() {
        clients.forEach(ChatClient::abort);
        if (gateway != null) {
            gateway.close();
        }
    }

    private ChatClient connect(String identity, String subaccount) {
        ChatClient c = ChatClient.connect(gateway.url(), ConvoStack.token(identity, subaccount));
        clients.add(c);
        return c;
    }

    private ChatClient.Refusal refused(String identity, String subaccount) {
        return ChatClient.refused(gateway.url(), ConvoStack.token(identity, subaccount));
    }

    private static String limit(String name) {
        return ConnectionLimits.CONFIG_PREFIX + name;
    }

    @Test
    void admitsTheLimitOfNewConnectionsPerSecondOfASubaccountAndRefusesTheNextWith429() {
        start(Map.of(limit("connects-per-second-per-subaccount"), "3"));
        for (int i = 0; i < 3; i++) {
            connect("u" + i, "AC-rate");
        }
        ChatClient.Refusal fourth = refused("u3", "AC-rate");
        assertThat(fourth.status()).isEqualTo(429);
        assertThat(fourth.retryAfter()).isEqualTo("1");
        connect("v0", "AC-other"); // another subaccount is not affected

        clock.advance(Duration.ofMillis(900)); // the next window
        connect("u3", "AC-rate");
        assertThat(gateway.openConnections("AC-rate")).isEqualTo(4);
    }

    @Test
    void admitsTheLimitOfNewConnectionsPerSecondOverallAndRefusesTheNext() {
        start(Map.of(limit("connects-per-second-per-subaccount"), "3", limit("connects-per-second-overall"), "4"));
        for (int i = 0; i < 3; i++) {
            connect("u" + i, "AC-a");
        }
        connect("w0", "AC-b");
        assertThat(refused("w1", "AC-b").status()).isEqualTo(429);
        clock.advance(Duration.ofSeconds(1));
        connect("w1", "AC-b");
    }

    @Test
    void admitsTheConcurrencyLimitOfASubaccountRefusesTheNextAndAdmitsAgainWhenOneCloses() {
        start(Map.of(limit("concurrent-per-subaccount"), "3", limit("full-retry-after-ms"), "2000"));
        List<ChatClient> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(connect("u" + i, "AC-full"));
        }
        ChatClient.Refusal fourth = refused("u3", "AC-full");
        assertThat(fourth.status()).isEqualTo(429);
        assertThat(fourth.retryAfter()).isEqualTo("2");
        connect("x0", "AC-free");

        open.get(0).close();
        await(() -> gateway.openConnections("AC-full") == 2);
        clock.advance(Duration.ofSeconds(1));
        connect("u3", "AC-full");
        assertThat(refused("u4", "AC-full").status()).isEqualTo(429);
    }

    @Test
    void admitsTheConcurrencyLimitOverallAndRefusesTheNext() {
        start(Map.of(limit("concurrent-overall"), "4"));
        connect("a0", "AC-1");
        connect("a1", "AC-1");
        connect("b0", "AC-2");
        connect("c0", "AC-3");
        assertThat(refused("c1", "AC-3").status()).isEqualTo(429);
        assertThat(gateway.openConnections()).isEqualTo(4);
    }

    @Test
    void answersTheRequestOverTheConnectionLimitRateLimitedAndKeepsTheConnection() {
        start(Map.of(limit("requests-per-second-per-connection"), "5"));
        ChatClient client = connect("u0", "AC-req");
        ChatClient neighbour = connect("u1", "AC-req");
        for (int i = 1; i <= 6; i++) {
            client.send("{\"type\":\"Ping\",\"commandId\":\"r" + i + "\"}");
        }
        for (int i = 1; i <= 5; i++) {
            assertThat(client.outcome("r" + i).path("value").path("code").asText()).as("r%d", i).isEqualTo("INVALID_COMMAND");
        }
        JsonNode limited = client.outcome("r6").path("value");
        assertThat(limited.path("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(limited.path("twilioCode").asInt()).isEqualTo(50063);
        assertThat(limited.path("limit").asLong()).isEqualTo(5);
        assertThat(limited.path("retryAfterMs").asLong()).isEqualTo(900);

        neighbour.send("{\"type\":\"Ping\",\"commandId\":\"n1\"}"); // its own window
        assertThat(neighbour.outcome("n1").path("value").path("code").asText()).isEqualTo("INVALID_COMMAND");

        clock.advance(Duration.ofSeconds(1));
        client.send("{\"type\":\"Ping\",\"commandId\":\"r7\"}");
        assertThat(client.outcome("r7").path("value").path("code").asText()).isEqualTo("INVALID_COMMAND");
        assertThat(client.isClosed()).isFalse();
    }

    @Test
    void countsBinaryFramesAsRequestsAndAnswersEachOne() {
        start(Map.of(limit("requests-per-second-per-connection"), "10"));
        ChatClient client = connect("u0", "AC-bin");
        byte[] garbage = new byte[64];
        new java.util.Random(1).nextBytes(garbage);
        for (int i = 1; i <= 5; i++) {
            client.sendBinary(("{\"type\":\"Ping\",\"commandId\":\"b" + i + "\"}").getBytes(StandardCharsets.UTF_8));
            client.sendBinary(garbage);
        }
        client.send("{\"type\":\"Ping\",\"commandId\":\"t11\"}");
        for (int i = 1; i <= 5; i++) {
            assertThat(client.outcome("b" + i).path("value").path("code").asText()).as("b%d", i)
                    .isEqualTo("INVALID_COMMAND");
        }
        assertThat(client.outcome("t11").path("value").path("code").asText())
                .as("the 11th request of the second, after 10 binary frames").isEqualTo("RATE_LIMITED");
        long garbageAnswers = client.pending().stream()
                .filter(f -> "INVALID_COMMAND".equals(f.path("value").path("code").asText())).count();
        assertThat(garbageAnswers).as("each random binary frame answered").isEqualTo(5);
        assertThat(client.isClosed()).isFalse();
    }

    @Test
    void closesWith1009ABinaryFrameOverMaxFrameBytes() {
        start(Map.of(GatewayConfig.MAX_FRAME_BYTES, "1024"));
        ChatClient atLimit = connect("u0", "AC-big");
        byte[] exactly = new byte[1024];
        java.util.Arrays.fill(exactly, (byte) ' ');
        byte[] command = "{\"type\":\"Ping\",\"commandId\":\"x1\"}".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(command, 0, exactly, 0, command.length);
        atLimit.sendBinary(exactly);
        assertThat(atLimit.outcome("x1").path("value").path("code").asText()).isEqualTo("INVALID_COMMAND");

        ChatClient over = connect("u1", "AC-big");
        over.sendBinary(new byte[1025]);
        assertThat(over.awaitClose()).isEqualTo(1009);
        assertThat(atLimit.isClosed()).isFalse();
    }

    @Test
    void answersTheRequestOverTheSubaccountLimitRateLimited() {
        start(Map.of(limit("requests-per-second-per-subaccount"), "4"));
        ChatClient one = connect("u0", "AC-sub");
        ChatClient two = connect("u1", "AC-sub");
        ChatClient other = connect("z0", "AC-else");
        one.send("{\"type\":\"Ping\",\"commandId\":\"s1\"}");
        one.send("{\"type\":\"Ping\",\"commandId\":\"s2\"}");
        one.send("{\"type\":\"Ping\",\"commandId\":\"s3\"}");
        for (String id : List.of("s1", "s2", "s3")) {
            assertThat(one.outcome(id).path("value").path("code").asText()).isEqualTo("INVALID_COMMAND");
        }
        two.send("{\"type\":\"Ping\",\"commandId\":\"s4\"}");
        two.send("{\"type\":\"Ping\",\"commandId\":\"s5\"}");
        assertThat(two.outcome("s4").path("value").path("code").asText()).isEqualTo("INVALID_COMMAND");
        JsonNode limited = two.outcome("s5").path("value");
        assertThat(limited.path("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(limited.path("limit").asLong()).isEqualTo(4);
        other.send("{\"type\":\"Ping\",\"commandId\":\"o1\"}");
        assertThat(other.outcome("o1").path("value").path("code").asText()).isEqualTo("INVALID_COMMAND");
    }

    @Test
    void dropsADeadConnectionAndCountsItOut() throws IOException {
        start(Map.of(limit("concurrent-per-subaccount"), "1", GatewayConfig.HEARTBEAT_INTERVAL_MS, "200",
                GatewayConfig.HEARTBEAT_TIMEOUT_MS, "1000"));
        try (Socket silent = rawUpgrade(ConvoStack.token("ghost", "AC-dead"))) {
            assertThat(silent.isConnected()).isTrue();
            assertThat(gateway.openConnections("AC-dead")).isEqualTo(1);
            assertThat(refused("ghost", "AC-dead").status()).isEqualTo(429);
            // The socket never answers the pings: the heartbeats drop it and count it out.
            await(() -> gateway.openConnections("AC-dead") == 0);
            clock.advance(Duration.ofSeconds(1));
            connect("ghost", "AC-dead");
        }
    }

    @Test
    void keepsAnIdleConnectionThatAnswersPings() throws InterruptedException {
        // A generous timeout: a busy machine may answer a ping late, never 3 s late.
        start(Map.of(GatewayConfig.HEARTBEAT_INTERVAL_MS, "200", GatewayConfig.HEARTBEAT_TIMEOUT_MS, "3000"));
        ChatClient idle = connect("sleepy", "AC-idle");
        Thread.sleep(4_500); // longer than the timeout, with no frame from the client but its pongs
        assertThat(idle.isClosed()).isFalse();
        assertThat(gateway.openConnections("AC-idle")).isEqualTo(1);
    }

    @Test
    void closesEveryConnectionWith1001OnShutdown() {
        // The close returns as soon as both clients answer; the long grace only matters on a loaded machine.
        start(Map.of(GatewayConfig.SHUTDOWN_GRACE_MS, "15000"));
        ChatClient one = connect("u0", "AC-bye");
        ChatClient two = connect("u1", "AC-bye");
        gateway.close();
        assertThat(one.awaitClose()).isEqualTo(1001);
        assertThat(two.awaitClose()).isEqualTo(1001);
        assertThat(gateway.openConnections()).isZero();
    }

    @Test
    void answersPlainHttpOnTheConnectPathWith426() throws Exception {
        start(Map.of());
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port() + "/v1/connect")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(426);
    }

    /** A WebSocket upgrade by hand on a socket that then never reads or writes again. */
    private Socket rawUpgrade(String token) throws IOException {
        Socket socket = new Socket("127.0.0.1", gateway.port());
        OutputStream out = socket.getOutputStream();
        out.write(("GET /v1/connect?token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1:" + gateway.port()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
        return socket;
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 30 s").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
