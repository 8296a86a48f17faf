package io.convo.tools.operate;

import io.convo.app.read.ReadApi;
import io.convo.model.TopicNames;
import io.convo.model.config.TopicsConfig;
import io.convo.model.json.JsonLines;
import io.convo.testkit.KafkaTestClients;
import io.convo.tools.bench.CommandGenerator;
import io.convo.topology.ConvoConfig;
import io.convo.topology.ConvoTopology;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * A convo application for integration tests: Kafka Streams on {@link ConvoTopology#buildTopology} with RocksDB
 * stores, like {@code convo run} starts it, optionally with a {@link ReadApi}; and the helpers around it.
 */
public final class ConvoInstance implements AutoCloseable {

    private final KafkaStreams streams;
    private final ReadApi readApi;

    /** Starts and waits until RUNNING; with a read port, {@code application.server} names it and a read API serves it. */
    ConvoInstance(Properties config, Integer readPort) {
        Properties p = new Properties();
        p.putAll(config);
        if (readPort != null) {
            p.setProperty(StreamsConfig.APPLICATION_SERVER_CONFIG, "127.0.0.1:" + readPort);
        }
        streams = new KafkaStreams(ConvoTopology.buildTopology(ConvoConfig.topologySettings(p)), p);
        streams.start();
        readApi = readPort == null ? null : new ReadApi(streams, "127.0.0.1", readPort, p);
        awaitRunning();
    }

    KafkaStreams streams() {
        return streams;
    }

    void awaitRunning() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not RUNNING but " + streams.state());
            }
            sleep(50);
        }
    }

    @Override
    public void close() {
        if (readApi != null) {
            readApi.close();
        }
        streams.close(Duration.ofSeconds(30));
    }

    /** The application's config as {@code convo run} would have it, with its state in {@code stateDir}. */
    public static Properties config(String bootstrapServers, String prefix, String applicationId, Path stateDir) {
        Properties p = ConvoConfig.streamsDefaults();
        p.setProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.setProperty(TopicsConfig.PREFIX.name(), prefix);
        p.setProperty(ConvoConfig.STORE_TYPE.name(), "rocksdb");
        p.setProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        // As convo run: leave the group on close, so that a stopped application really is stopped for reset.
        p.setProperty(StreamsConfig.mainConsumerPrefix("internal.leave.group.on.close"), "true");
        p.setProperty(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return p;
    }

    /** Creates every convo topic with convo's topic config, as convo run does. */
    public static void createTopics(String bootstrapServers, TopicNames topics, int partitions) {
        try (Admin admin = KafkaTestClients.admin(bootstrapServers)) {
            List<NewTopic> all = topics.all().stream()
                    .map(n -> new NewTopic(n, partitions, (short) 1).configs(ConvoConfig.topicConfig())).toList();
            admin.createTopics(all).values().values().forEach(f -> {
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(e.getCause());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    /** Writes a config file the CLI commands read. */
    public static Path configFile(Path dir, Properties config) throws IOException {
        Path file = dir.resolve("convo-" + System.nanoTime() + ".properties");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            config.store(w, null);
        }
        return file;
    }

    /** Writes generated commands as a command JSON lines file. */
    public static Path commandFile(Path dir, List<CommandGenerator.Generated> commands) throws IOException {
        Path file = dir.resolve("commands-" + System.nanoTime() + ".jsonl");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("# generated for an integration test\n");
            for (CommandGenerator.Generated g : commands) {
                w.write(JsonLines.commandLine(g.command().envelope()));
                w.write('\n');
            }
        }
        return file;
    }

    /** Generated commands stamped from now, as a client would. */
    public static List<CommandGenerator.Generated> commands(long seed, int maxConversations, int count) {
        long now = System.currentTimeMillis() / 1000 * 1000;
        return CommandGenerator.generate(CommandGenerator.Settings.defaults(seed).withMaxConversations(maxConversations)
                .withClock(now, 5), count);
    }

    /** What one CLI command did. */
    public record Run(int exitCode, String out, String err) {
    }

    /** Runs an operating command in this JVM, as bin/convo would. */
    public static Run cli(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new picocli.CommandLine(command).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
