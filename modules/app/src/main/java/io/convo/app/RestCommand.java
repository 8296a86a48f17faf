package io.convo.app;

import io.convo.rest.RestConfig;
import io.convo.rest.RestFront;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code convo rest}: runs the Twilio-compatible REST API on its own, against a running convo (its broker and
 * topics), until Ctrl-C or SIGTERM. {@code convo run} runs the same inside itself with {@code convo.rest.enabled}.
 */
@Command(name = "rest", mixinStandardHelpOptions = true,
        description = {"Runs the Twilio-compatible REST API (Conversations v1) against a running convo."})
final class RestCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file (default: config/convo.properties if it exists); CONVO_* environment"
                    + " variables override it.")
    private Path config;

    @Option(names = "--port", paramLabel = "PORT", description = "Port (default: convo.rest.port, 8082; 0 picks one).")
    private Integer port;

    @Override
    public Integer call() throws InterruptedException {
        Properties properties = AppConfig.loader().load(config);
        properties.putIfAbsent("bootstrap.servers", "127.0.0.1:" + AppConfig.BROKER_PORT.defaultValue());
        if (port != null) {
            properties.setProperty(RestConfig.PORT.name(), port.toString());
        }
        RestFront rest = new RestFront(properties);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            rest.close();
            stopped.countDown();
        }, "convo-rest-shutdown"));
        spec.commandLine().getOut().println("REST API listening on " + rest.url() + "; Ctrl-C to stop");
        spec.commandLine().getOut().flush();
        stopped.await(); // only the shutdown hook ends this command
        return 0;
    }
}
