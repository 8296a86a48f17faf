package io.convo.operate;

import io.convo.model.config.ConfigLoader;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/** The options every operating command shares: where the configuration is and which cluster to talk to. */
public final class ConfigOptions {

    private final ConfigLoader loader;

    /** Options that know the operating tools' keys only: for the tools run on their own. */
    public ConfigOptions() {
        this(new ConfigLoader(System.getenv(), OperateConfig.knownKeys()));
    }

    /** Options that read with {@code loader}: {@code convo}'s command line passes the one every command uses. */
    public ConfigOptions(ConfigLoader loader) {
        this.loader = loader;
    }

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file (default: config/convo.properties if it exists); CONVO_* environment"
                    + " variables override it.")
    Path config;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka's bootstrap servers (default: bootstrap.servers of the config, else "
                    + OperateConfig.DEFAULT_BOOTSTRAP_SERVERS + ").")
    String bootstrapServers;

    /**
     * The configuration: file, environment, then these options; then, for what they leave unset, the {@link RunFile}
     * of a {@code convo run} on the same broker (its embedded registry's URL above all).
     */
    public Properties load() {
        Properties properties = loader.load(config);
        if (bootstrapServers != null) {
            properties.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        }
        return RunFile.fillIn(properties);
    }

    public ConfigLoader loader() {
        return loader;
    }
}
