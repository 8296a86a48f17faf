package io.convo.gateway;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code convo gateway}: runs the chat gateway until Ctrl-C or SIGTERM, against a running convo (its broker and
 * topics). Configuration comes from a Properties file, then {@code --set key=value} options; the application can
 * hand in its own loader (environment overrides) through {@link #GatewayCommand(Function)}.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = {"Runs the chat gateway: WebSocket connections for chat clients on /v1/connect, with token auth"
                + " and the connection limits of SPEC §7, until Ctrl-C or SIGTERM."})
public final class GatewayCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayCommand.class);
    private static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with convo.gateway.* and Kafka keys.")
    private Path config;

    @Option(names = "--port", paramLabel = "PORT", description = "Port on the configured host (default: 8090; 0 picks one).")
    private Integer port;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A configuration key, over the file's.")
    private Map<String, String> overrides = new LinkedHashMap<>();

    private final Function<Path, Properties> loader;

    /** Reads {@code --config} as a plain Properties file. */
    public GatewayCommand() {
        this(GatewayCommand::read);
    }

    /** @param loader reads the configuration for a {@code --config} path (null when none was given) */
    public GatewayCommand(Function<Path, Properties> loader) {
        this.loader = loader;
    }

    public static void main(String[] args) {
        // The exit code is the CLI's contract, hence System.exit here only.
        System.exit(new CommandLine(new GatewayCommand()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        Properties properties = loader.apply(config);
        overrides.forEach(properties::setProperty);
        if (port != null) {
            properties.setProperty(GatewayConfig.PORT, port.toString());
        }
        if (!properties.containsKey("bootstrap.servers")) {
            LOG.info("no bootstrap.servers configured: using {}", DEFAULT_BOOTSTRAP);
            properties.setProperty("bootstrap.servers", DEFAULT_BOOTSTRAP);
        }
        GatewayServer gateway = new GatewayServer(properties);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "convo-gateway-shutdown"));
        gateway.start();
        spec.commandLine().getOut().println("chat gateway listening on " + gateway.url() + "; Ctrl-C to stop");
        spec.commandLine().getOut().flush();
        stopped.await(); // only the shutdown hook ends this command
        return 0;
    }

    /** A Properties file, or empty properties for null; also the load tool's reader. */
    static Properties read(Path file) {
        Properties properties = new Properties();
        if (file == null) {
            return properties;
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
        return properties;
    }
}
