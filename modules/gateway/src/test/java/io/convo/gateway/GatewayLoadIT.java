package io.convo.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.testkit.KafkaBrokerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** The load tool against a small gateway: every scenario runs through the CLI and reports sensible figures. */
class GatewayLoadIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static ConvoStack convo;
    private static GatewayServer gateway;
    private static Path config;

    @BeforeAll
    static void start() throws Exception {
        convo = ConvoStack.start(kafka.bootstrapServers());
        gateway = new GatewayServer(ConvoStack.gatewayConfig(kafka.bootstrapServers(), Map.of(
                ConnectionLimits.CONFIG_PREFIX + "concurrent-per-subaccount", "20",
                ConnectionLimits.CONFIG_PREFIX + "connects-per-second-per-subaccount", "10")));
        gateway.start();
        config = Files.createTempFile("gateway-load", ".properties");
        Files.writeString(config, GatewayConfig.TOKEN_SECRET + "=" + ConvoStack.SECRET + "\nbootstrap.servers="
                + kafka.bootstrapServers() + "\n");
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (convo != null) {
            convo.close();
        }
        Files.deleteIfExists(config);
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new GatewayLoadCommand());
        cli.setOut(new PrintWriter(out));
        int code = cli.execute(args);
        assertThat(code).as(out.toString()).isZero();
        return out.toString();
    }

    @Test
    void holdOpensTheConcurrencyLimitAndTheNextAttemptIsRefusedWith429() {
        String report = run("--scenario", "hold", "--url", gateway.url(), "--config", config.toString(),
                "--subaccount", "AC-hold", "--connections", "20", "--rate", "10", "--hold-seconds", "1",
                "--gateway-pid", Long.toString(ProcessHandle.current().pid()));
        assertThat(report).contains("connections open: 20", "closed during hold: 0", "extra attempts: [429 Retry-After: 1]",
                "gateway RSS");
    }

    @Test
    void establishAdmitsAboutTheLimitPerSecondAndRefusesTheRestWith429() {
        String report = run("--scenario", "establish", "--url", gateway.url(), "--config", config.toString(),
                "--subaccount", "AC-est", "--rate", "30", "--seconds", "4");
        String outcomes = report.lines().filter(l -> l.contains("outcomes (by status)")).findFirst().orElseThrow();
        int admitted = Integer.parseInt(outcomes.replaceAll(".*101=(\\d+).*", "$1"));
        // 4 s of attempts touch at most 5 one-second windows of 10; exactness per window is ConnectionLimitsIT's job.
        assertThat(admitted).isBetween(1, 50);
        assertThat(outcomes).contains("429=");
    }

    @Test
    void latencyMeasuresDeliveriesOfMessagesSentThroughTheGateway() {
        String report = run("--scenario", "latency", "--url", gateway.url(), "--config", config.toString(),
                "--service", ConvoStack.SERVICE, "--conversations", "2", "--messages-per-second", "10",
                "--warm-up-seconds", "2", "--seconds", "3", "--background", "5");
        assertThat(report).contains("delivery latency SendMessage -> Delivery frame (ms): p50");
        assertThat(report).contains("rejections (by code): {}");
        List<String> lines = report.lines().toList();
        long sent = figure(lines, "messages sent (measured)");
        long received = figure(lines, "deliveries received (measured)");
        assertThat(sent).isPositive();
        assertThat(received).isEqualTo(sent);
    }

    private static long figure(List<String> lines, String name) {
        return Long.parseLong(lines.stream().filter(l -> l.contains(name + ":")).findFirst().orElseThrow()
                .replaceAll(".*: ", "").trim());
    }
}
