package io.convo.app;

import io.convo.connectors.ConnectorRunner;
import io.convo.gateway.GatewayServer;
import io.convo.model.serde.ConvoSerdes;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code convo run}: the main job, until Ctrl-C or SIGTERM. A shutdown hook closes the application, so the
 * streams commit and leave the group before the embedded registry and broker stop.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs convo: starts the embedded broker if no bootstrap.servers is configured, creates the"
                + " topics, and processes commands until Ctrl-C or SIGTERM."})
final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

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
        Thread hook = new Thread(() -> {
            LOG.info("Shutting down");
            application.close();
            LOG.info("convo stopped");
        }, "convo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        application.start();
        AutoCloseable connectors = startConnectors(application);
        AutoCloseable gateway = startGateway(application);
        // Hooks run concurrently: the gateway and the connectors close while the application's hook closes it.
        for (AutoCloseable part : new AutoCloseable[] {connectors, gateway}) {
            if (part != null) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(part), "convo-part-shutdown"));
            }
        }
        application.awaitStopped();
        // Here only if Kafka Streams stopped on its own (ERROR); a shutdown hook is already closing otherwise.
        boolean failed = application.failed();
        for (AutoCloseable part : new AutoCloseable[] {gateway, connectors}) {
            if (part != null) {
                closeQuietly(part);
            }
        }
        application.close();
        return failed ? 1 : 0;
    }

    /**
     * The channel connectors named by {@code convo.run.connectors} (e.g. {@code sms,mms,whatsapp,chat}), in this
     * process, against the application's broker (which may be the embedded one); null when none are configured.
     */
    private static AutoCloseable startConnectors(ConvoApplication application) {
        Properties config = application.config();
        String channels = config.getProperty(AppConfig.RUN_CONNECTORS, "").trim();
        if (channels.isEmpty()) {
            return null;
        }
        config.setProperty("convo.connector.channels", channels);
        ConnectorRunner runner = new ConnectorRunner(config);
        runner.start();
        LOG.info("channel connectors running in this process: {}", channels);
        return runner;
    }

    /** The chat gateway in this process when {@code convo.run.gateway=true}, against the application's broker. */
    private static AutoCloseable startGateway(ConvoApplication application) {
        Properties config = application.config();
        if (!Boolean.parseBoolean(config.getProperty(AppConfig.RUN_GATEWAY, "false").trim())) {
            return null;
        }
        GatewayServer gateway = new GatewayServer(config);
        gateway.start();
        LOG.info("chat gateway running in this process on port {}", gateway.port());
        return gateway;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed", closeable, e);
        }
    }
}
