package io.convo.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker (combined broker and controller) running in this JVM and bound to
 * 127.0.0.1 only, for integration tests and for convo's embedded default. Every topic has one replica, so it
 * is for development and tests, not for data that must survive a disk failure.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    static final String HOST = "127.0.0.1";
    /** Written into the data dir at every start: the config the storage is formatted and run with. */
    static final String PROPERTIES_FILE = "server.properties";
    /** Kafka's log dir (topic data and KRaft metadata) inside the data dir. */
    static final String LOG_DIR = "kafka-logs";

    private final Path dataDir;
    private final boolean temporary;
    private final Properties properties;
    private final int port;
    private KafkaRaftServer server; // null while stopped or closed
    private boolean closed;

    private EmbeddedKafkaBroker(Path dataDir, boolean temporary, Properties properties, int port) {
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.properties = properties;
        this.port = port;
    }

    /** Starts a broker on a free port that keeps its data in {@code dataDir}, reusing it if already formatted. */
    public static EmbeddedKafkaBroker start(Path dataDir) {
        return start(dataDir, 0);
    }

    /**
     * Starts a broker listening on {@code 127.0.0.1:port} (0 picks a free port) that keeps its data in
     * {@code dataDir}; a data dir formatted by an earlier run is reused with its topics and offsets.
     */
    public static EmbeddedKafkaBroker start(Path dataDir, int port) {
        return start(dataDir.toAbsolutePath(), port, false);
    }

    /** Starts a broker on a free port with its data in a new temporary directory that {@link #close()} deletes. */
    public static EmbeddedKafkaBroker startTemporary() {
        try {
            return start(Files.createTempDirectory("convo-kafka-"), 0, true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory for the Kafka broker", e);
        }
    }

    private static EmbeddedKafkaBroker start(Path dataDir, int port, boolean temporary) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (free port) or 1..65535: " + port);
        }
        long started = System.nanoTime();
        Path propertiesFile = dataDir.resolve(PROPERTIES_FILE);
        Path logDir = dataDir.resolve(LOG_DIR);
        boolean formatted = Files.exists(logDir.resolve("meta.properties"));
        int brokerPort = port == 0 ? freePort() : port;
        // The controller port is internal: a fresh one at every start is fine even for a reused data dir (the
        // single voter updates its own endpoint), while the broker port is what clients know.
        int controllerPort = freePort();
        while (controllerPort == brokerPort) {
            controllerPort = freePort();
        }
        Properties properties = serverProperties(logDir, brokerPort, controllerPort);
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, temporary, properties, brokerPort);
        try {
            writeProperties(properties, propertiesFile);
            if (!formatted) {
                format(propertiesFile);
            }
            broker.server = startServer(properties);
        } catch (RuntimeException e) {
            broker.deleteIfTemporary();
            throw e;
        }
        LOG.info("Kafka broker ready at {} in {} ms (data in {})",
                broker.bootstrapServers(), (System.nanoTime() - started) / 1_000_000, dataDir);
        return broker;
    }

    /** The address clients connect to, {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    /** The directory holding this broker's config and data. */
    public Path dataDir() {
        return dataDir;
    }

    /** Creates the topics that do not exist yet, with replication factor 1, and waits until the broker serves them. */
    public void createTopics(int partitions, String... names) {
        KafkaTestClients.createTopics(bootstrapServers(), partitions, names);
    }

    /**
     * Stops the broker but keeps its ports and data, so that {@link #restart()} brings the same broker back;
     * meant for fault-injection tests. Does nothing if already stopped.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        long started = System.nanoTime();
        shutdown(server);
        server = null;
        LOG.info("Kafka broker at {} stopped in {} ms", bootstrapServers(), (System.nanoTime() - started) / 1_000_000);
    }

    /** Starts a stopped broker again on the same ports and data. Does nothing if it is running. */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("Kafka broker at " + bootstrapServers() + " is closed");
        }
        if (server != null) {
            return;
        }
        long started = System.nanoTime();
        server = startServer(properties);
        LOG.info("Kafka broker restarted at {} in {} ms", bootstrapServers(), (System.nanoTime() - started) / 1_000_000);
    }

    /** Whether the broker is running (started and neither stopped nor closed). */
    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Stops the broker and, for a temporary broker, deletes its data. Safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        deleteIfTemporary();
    }

    /** The broker config: everything on 127.0.0.1, one replica of everything, no automatic topic creation. */
    static Properties serverProperties(Path logDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toAbsolutePath().toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("default.replication.factor", "1");
        // Topics are created explicitly (co-partitioning matters to Kafka Streams); a typo must not create one.
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        // One node: there is nobody to wait for before the first rebalance.
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    private static KafkaRaftServer startServer(Properties properties) {
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        try {
            server.startup(); // returns once the broker has caught up with the metadata and is unfenced
            return server;
        } catch (RuntimeException e) {
            try {
                shutdown(server);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static void shutdown(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    private static void format(Path propertiesFile) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exitCode;
        try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exitCode = StorageTool.execute(new String[] {
                "format", "--standalone", "-t", Uuid.randomUuid().toString(), "-c", propertiesFile.toString()
            }, printStream);
        }
        String text = output.toString(StandardCharsets.UTF_8).trim();
        if (exitCode != 0) {
            throw new IllegalStateException("Formatting Kafka storage with " + propertiesFile + " failed (exit code "
                    + exitCode + "): " + text);
        }
        LOG.debug("Formatted Kafka storage: {}", text);
    }

    private static void writeProperties(Properties properties, Path file) {
        try {
            Files.createDirectories(file.getParent());
            try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                properties.store(writer, "Written by convo's EmbeddedKafkaBroker; rewritten at every start");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Kafka broker config " + file, e);
        }
    }

    /** A port that is free on 127.0.0.1 right now; the broker binds it a moment later. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on " + HOST, e);
        }
    }

    private void deleteIfTemporary() {
        if (!temporary) {
            return;
        }
        try {
            Utils.delete(dataDir.toFile());
        } catch (IOException e) {
            LOG.warn("Cannot delete the temporary Kafka data dir {}", dataDir, e);
        }
    }
}
