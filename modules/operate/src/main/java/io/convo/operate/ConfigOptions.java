package io.convo.operate;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/** The options every operating command shares: where the configuration is and which cluster to talk to. */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file (default: config/convo.properties if it exists); CONVO_* environment"
                    + " variables override it.")
    Path config;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka's bootstrap servers (default: bootstrap.servers of the config, else "
                    + OperateConfig.DEFAULT_BOOTSTRAP_SERVERS + ").")
    String bootstrapServers;

    /** The configuration: file, environment, then these options. */
    public Properties load() {
        Properties properties = OperateConfig.load(config, System.getenv());
        if (bootstrapServers != null) {
            properties.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        }
        return properties;
    }
}
