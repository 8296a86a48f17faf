package io.convo.app;

import io.convo.connectors.ConnectorRunner;
import io.convo.model.Channel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code convo connector --channel sms|mms|whatsapp|chat}: runs channel connectors until Ctrl-C or SIGTERM. They
 * consume the delivery topics, hand each delivery to the configured transport and report receipts.
 */
@Command(name = "connector", mixinStandardHelpOptions = true,
        description = {"Runs channel connectors: delivery topics to a transport (webhook or log), receipts back."})
final class ConnectorCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorCommand.class);

    @Option(names = "--channel", paramLabel = "CHANNEL", split = ",",
            description = "sms, mms, whatsapp or chat; repeat or separate with commas (default: all four).")
    private List<Channel> channels = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file (default: config/convo.properties if it exists); CONVO_* environment"
                    + " variables override it.")
    private Path config;

    @Override
    public Integer call() throws Exception {
        Properties properties = AppConfig.loader().load(config);
        properties.putIfAbsent("bootstrap.servers", "127.0.0.1:" + AppConfig.BROKER_PORT.defaultValue());
        ConnectorRunner runner = channels.isEmpty()
                ? new ConnectorRunner(properties)
                : new ConnectorRunner(io.convo.connectors.ConnectorConfig.toMap(properties), channels);
        Runtime.getRuntime().addShutdownHook(new Thread(runner::close, "convo-connector-shutdown"));
        runner.start();
        LOG.info("connectors running: {}", runner.connectors().stream().map(c -> c.channel().name()).toList());
        try {
            runner.terminated().join();
            return 0;
        } catch (RuntimeException e) {
            LOG.error("a connector failed", e);
            return 1;
        }
    }
}
