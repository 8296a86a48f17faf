package io.convo.gateway;

import io.convo.model.config.TopicsConfig;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code convo gateway-load}: drives a running gateway with real WebSocket connections and prints figures; see
 * {@link GatewayLoad} for the scenarios. The token secret, Kafka settings and topic prefix come from the same
 * configuration file as the gateway's ({@code --config}), or from options.
 */
@Command(name = "gateway-load", mixinStandardHelpOptions = true,
        description = {"Load for the chat gateway on 127.0.0.1: hold (many connections held, then one more),"
                + " establish (new connections at a fixed rate), latency (SendMessage to Delivery under load)."})
public final class GatewayLoadCommand implements Callable<Integer> {

    /** Which load to drive. */
    public enum Scenario { hold, establish, latency }

    @Spec
    private CommandSpec spec;

    @Option(names = "--scenario", required = true, description = "hold, establish or latency.")
    private Scenario scenario;

    @Option(names = "--url", defaultValue = "ws://127.0.0.1:8090/v1/connect", description = "Default: ${DEFAULT-VALUE}.")
    private String url;

    @Option(names = "--config", paramLabel = "FILE", description = "The gateway's Properties file (secret, Kafka, prefix).")
    private Path config;

    @Option(names = "--secret", description = "HS256 secret (default: convo.gateway.token.secret of --config).")
    private String secret;

    @Option(names = "--service", defaultValue = "IS-load", description = "Service of the tokens (default: ${DEFAULT-VALUE}).")
    private String service;

    @Option(names = "--subaccount", defaultValue = "AC-load", description = "Subaccount of hold and establish (default: ${DEFAULT-VALUE}).")
    private String subaccount;

    @Option(names = "--connections", defaultValue = "7000", description = "hold: connections to open (default: ${DEFAULT-VALUE}).")
    private int connections;

    @Option(names = "--rate", defaultValue = "100", description = "hold/establish: attempts per second (default: ${DEFAULT-VALUE}).")
    private int rate;

    @Option(names = "--hold-seconds", defaultValue = "60", description = "hold: seconds to hold (default: ${DEFAULT-VALUE}).")
    private int holdSeconds;

    @Option(names = "--extra", defaultValue = "1", description = "hold: attempts once all are open (default: ${DEFAULT-VALUE}).")
    private int extra;

    @Option(names = "--gateway-pid", description = "hold/latency: the gateway's pid, to sample its RSS and CPU from /proc.")
    private Long gatewayPid;

    @Option(names = "--seconds", defaultValue = "30", description = "establish/latency: seconds to measure (default: ${DEFAULT-VALUE}).")
    private int seconds;

    @Option(names = "--warm-up-seconds", defaultValue = "10", description = "latency: seconds not measured (default: ${DEFAULT-VALUE}).")
    private int warmUpSeconds;

    @Option(names = "--conversations", defaultValue = "20", description = "latency: conversations (default: ${DEFAULT-VALUE}).")
    private int conversations;

    @Option(names = "--messages-per-second", defaultValue = "200", description = "latency: in total (default: ${DEFAULT-VALUE}).")
    private int messagesPerSecond;

    @Option(names = "--background", defaultValue = "0", description = "latency: idle connections held meanwhile (default: ${DEFAULT-VALUE}).")
    private int background;

    @Option(names = "--bootstrap-servers", description = "latency: Kafka, for setting up conversations (default: --config's).")
    private String bootstrapServers;

    @Override
    public Integer call() throws Exception {
        Properties properties = config == null ? new Properties() : GatewayCommand.read(config);
        String key = secret != null ? secret : properties.getProperty(GatewayConfig.TOKEN_SECRET);
        if (key == null) {
            throw new ParameterException(spec.commandLine(), "give --secret or a --config with " + GatewayConfig.TOKEN_SECRET);
        }
        PrintWriter out = spec.commandLine().getOut();
        GatewayLoad.Report report;
        try (GatewayLoad load = new GatewayLoad(url, key.getBytes(StandardCharsets.UTF_8), service)) {
            report = switch (scenario) {
                case hold -> load.hold(connections, subaccount, rate, Duration.ofSeconds(holdSeconds), extra, gatewayPid);
                case establish -> load.establish(subaccount, rate, Duration.ofSeconds(seconds));
                case latency -> latency(load, properties);
            };
        }
        report.lines().forEach(out::println);
        out.flush();
        return 0;
    }

    private GatewayLoad.Report latency(GatewayLoad load, Properties properties) throws InterruptedException {
        if (messagesPerSecond > conversations * 30) {
            // The topology admits 30 actions per second per conversation (SPEC L10): more would measure rejections.
            throw new ParameterException(spec.commandLine(), "at most 30 messages per second per conversation: use more"
                    + " --conversations");
        }
        Map<String, Object> kafka = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> kafka.put(name, properties.getProperty(name)));
        Map<String, Object> clients = new HashMap<>(GatewayConfig.kafkaClientConfig(asStrings(kafka)));
        kafka.forEach((k, v) -> {
            if (k.startsWith("convo.serde") || k.startsWith("convo.registry") || k.startsWith("apicurio.")) {
                clients.put(k, v);
            }
        });
        if (bootstrapServers != null) {
            clients.put("bootstrap.servers", bootstrapServers);
        }
        clients.putIfAbsent("bootstrap.servers", "127.0.0.1:9092");
        GatewayTopics topics = GatewayTopics.withPrefix(TopicsConfig.PREFIX.from(properties));
        return load.latency(clients, topics, conversations,
                messagesPerSecond, Duration.ofSeconds(warmUpSeconds), Duration.ofSeconds(seconds), background, gatewayPid);
    }

    private static Map<String, String> asStrings(Map<String, Object> map) {
        Map<String, String> out = new HashMap<>();
        map.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }
}
