package io.convo.app;

import io.convo.testkit.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code convo broker}: only the embedded single-node KRaft broker, for people who want a local Kafka. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Runs the embedded single-node Kafka broker on 127.0.0.1 until Ctrl-C or SIGTERM.")
final class BrokerCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092",
            description = "Port on 127.0.0.1 (0 picks a free one; default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "var/broker",
            description = "Data directory, reused with its topics if it exists (default: ${DEFAULT-VALUE}).")
    private Path dataDir;

    @Override
    public Integer call() throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, port);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            closed.countDown();
        }, "convo-broker-shutdown"));
        spec.commandLine().getOut().println("Kafka broker running at " + broker.bootstrapServers() + " (data in "
                + broker.dataDir() + "); Ctrl-C to stop");
        spec.commandLine().getOut().flush();
        closed.await(); // only the shutdown hook ends this command
        return 0;
    }
}
