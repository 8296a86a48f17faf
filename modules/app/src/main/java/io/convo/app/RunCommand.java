package io.convo.app;

import io.convo.connectors.ConnectorConfig;
import io.convo.connectors.ConnectorRunner;
import io.convo.gateway.GatewayServer;
import io.convo.model.config.ConfigLoader;
import io.convo.model.serde.ConvoSerdes;
import io.convo.operate.RunFile;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code convo run}: the main job, until Ctrl-C or SIGTERM. One shutdown hook closes the application, which closes
 * in the reverse order of start: the connectors and the gateway, then the read API and Kafka Streams (committing and
 * leaving the group), then the embedded registry and broker. (Separate hooks run concurrently: the broker then went
 * first and the connectors spent 30 s retrying it.)
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs convo: starts the embedded broker if no bootstrap.servers is configured, creates the"
                + " topics, and processes commands until Ctrl-C or SIGTERM."})
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    /**
     * How long the connectors in {@code convo run} let a delivery in flight finish on shutdown (the standalone
     * connector's default is 30 s): with Kafka Streams' 5 s and the broker's second, the process stops within 10 s.
     */
    static final long RUN_CONNECTOR_CLOSE_TIMEOUT_MS = 3_000;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file (default: config/convo.properties if it exists); CONVO_* environment"
                    + " variables override it.")
    private Path config;

    @Option(names = "--with-registry",
            description = "Use the schema-registry serde (sets convo.serde=registry) with an embedded Apicurio Registry,"
                    + " unless convo.registry.url names one.")
    private boolean withRegistry;

    @Override
    public Integer call() throws Exception {
        Properties properties = AppConfig.loader().load(config);
        if (withRegistry) {
            properties.setProperty(ConvoSerdes.SERDE_CONFIG, ConvoSerdes.REGISTRY);
        }
        ConvoApplication application = new ConvoApplication(properties);
        Path runFile = RunFile.path(properties);
        Thread hook = new Thread(() -> {
            LOG.info("Shutting down");
            RunFile.delete(runFile);
            application.close();
            LOG.info("convo stopped");
        }, "convo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        application.start();
        announce(application.config(), runFile);
        // Attached as soon as each starts, so that a shutdown during start-up closes them first too.
        startConnectors(application);
        startGateway(application);
        application.awaitStopped();
        // Here only if Kafka Streams stopped on its own (ERROR), or the shutdown hook is closing: close (again).
        boolean failed = application.failed();
        application.close();
        return failed ? 1 : 0;
    }

    /**
     * Tells the tools how to reach this run: writes the {@link RunFile} that {@code convo tail}, {@code produce} and
     * the others read from the same working directory, and logs the variables to set elsewhere (the embedded
     * registry's port is random).
     */
    private static void announce(Properties config, Path runFile) {
        RunFile.write(runFile, config);
        StringBuilder line = new StringBuilder();
        for (String key : new String[] {"bootstrap.servers", ConvoSerdes.SERDE_CONFIG, ConvoSerdes.REGISTRY_URL_CONFIG}) {
            String value = config.getProperty(key);
            if (value != null && !value.isBlank()) {
                line.append(' ').append(ConfigLoader.envName(key)).append('=').append(value.trim());
            }
        }
        LOG.info("The tools find this run through {}; from elsewhere: export{}", runFile.toAbsolutePath(), line);
    }

    /**
     * The channel connectors named by {@code convo.run.connectors} (e.g. {@code sms,mms,whatsapp,chat}), in this
     * process, against the application's broker (which may be the embedded one); null when none are configured.
     */
    private static void startConnectors(ConvoApplication application) {
        Properties config = application.config();
        String channels = AppConfig.RUN_CONNECTORS.from(config).trim();
        if (channels.isEmpty()) {
            return;
        }
        config.setProperty(ConnectorConfig.CHANNELS, channels);
        // The whole process stops within 10 s; a delivery still in flight after this is offered again on restart.
        config.putIfAbsent(ConnectorConfig.CLOSE_TIMEOUT_MS, String.valueOf(RUN_CONNECTOR_CLOSE_TIMEOUT_MS));
        ConnectorRunner runner = new ConnectorRunner(config);
        application.attach(runner);
        runner.start();
        LOG.info("channel connectors running in this process: {}", channels);
    }

    /** The chat gateway in this process when {@code convo.run.gateway=true}, against the application's broker. */
    private static void startGateway(ConvoApplication application) {
        Properties config = application.config();
        if (!AppConfig.RUN_GATEWAY.from(config)) {
            return;
        }
        GatewayServer gateway = new GatewayServer(config);
        application.attach(gateway);
        gateway.start();
        LOG.info("chat gateway running in this process on port {}", gateway.port());
    }
}
