package io.convo.connectors;

import io.convo.model.Channel;
import io.convo.model.ConversationCommand;
import io.convo.model.DeliveryReceipt;
import io.convo.model.serde.ConvoSerdes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the connectors of some channels in one process, plus (unless {@value ConnectorConfig#HTTP_ENABLED} is
 * false) the HTTP endpoints providers call: status callbacks and inbound messages. This is what
 * {@code convo connector --channel …} and {@code convo run} start; it knows nothing of the CLI.
 *
 * <pre>{@code
 * try (ConnectorRunner runner = new ConnectorRunner(config)) {
 *     runner.start();
 *     runner.terminated().join(); // until close() from a shutdown hook, or a connector fails
 * }
 * }</pre>
 */
public final class ConnectorRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRunner.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration HTTP_PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, Object> config;
    private final List<ChannelConnector> connectors = new ArrayList<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private Producer<String, byte[]> httpProducer;
    private DirectoryUpdater directories;
    private ConnectorHttpServer server;
    private boolean started;
    private boolean closed;

    /** The channels {@value ConnectorConfig#CHANNELS} names (all four when unset). */
    public ConnectorRunner(Map<String, ?> config) {
        this(config, ConnectorConfig.channels(config));
    }

    public ConnectorRunner(Properties config) {
        this(ConnectorConfig.toMap(config));
    }

    /**
     * @throws org.apache.kafka.common.config.ConfigException for a bad setting, before anything starts
     */
    public ConnectorRunner(Map<String, ?> config, Collection<Channel> channels) {
        this.config = new LinkedHashMap<>(config);
        for (Channel channel : channels) {
            connectors.add(new ChannelConnector(channel, this.config));
        }
    }

    /**
     * Starts the connectors, then the HTTP endpoints. On failure everything started is closed again.
     *
     * @throws UncheckedIOException when the HTTP address cannot be bound
     */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        try {
            for (ChannelConnector connector : connectors) {
                connector.start();
                connector.terminated().whenComplete((ok, failure) -> {
                    if (failure != null) {
                        terminated.completeExceptionally(failure);
                    }
                });
            }
            if (ConnectorConfig.bool(config, ConnectorConfig.HTTP_ENABLED, true)) {
                startHttp();
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startHttp() {
        ConnectorTopics topics = ConnectorTopics.from(config);
        httpProducer = new KafkaProducer<>(KafkaClientConfigs.producer(config, null, "convo-connector-http"),
                new StringSerializer(), new ByteArraySerializer());
        AckedPublisher publisher = new AckedPublisher(httpProducer, ACK_TIMEOUT);
        BindingDirectory bindings = new BindingDirectory();
        long maxEntries = ConnectorConfig.number(config, ConnectorConfig.HTTP_STATUS_MAX_ENTRIES,
                ConnectorConfig.DEFAULT_HTTP_STATUS_MAX_ENTRIES, 1);
        MessageRecipients recipients = new MessageRecipients(maxEntries);
        directories = new DirectoryUpdater(config, topics, bindings, recipients, maxEntries);
        directories.start();
        StatusCallbackEndpoint status = new StatusCallbackEndpoint(topics.receipts(),
                ConvoSerdes.valueSerde(DeliveryReceipt.class, config).serializer(), recipients, directories, publisher,
                System::currentTimeMillis);
        InboundEndpoint inbound = new InboundEndpoint(topics.conversationCommands(),
                ConvoSerdes.valueSerde(ConversationCommand.class, config).serializer(), bindings,
                directories::bindingsReady, publisher, System::currentTimeMillis);
        InetSocketAddress address = new InetSocketAddress(
                ConnectorConfig.string(config, ConnectorConfig.HTTP_HOST, ConnectorConfig.DEFAULT_HTTP_HOST),
                (int) ConnectorConfig.number(config, ConnectorConfig.HTTP_PORT, ConnectorConfig.DEFAULT_HTTP_PORT, 0));
        try {
            server = new ConnectorHttpServer(address, ConnectorConfig.string(config, ConnectorConfig.HTTP_TOKEN, null),
                    (int) ConnectorConfig.number(config, ConnectorConfig.HTTP_THREADS, ConnectorConfig.DEFAULT_HTTP_THREADS, 1),
                    (int) ConnectorConfig.number(config, ConnectorConfig.HTTP_MAX_BODY_BYTES,
                            ConnectorConfig.DEFAULT_HTTP_MAX_BODY_BYTES, 1),
                    status, inbound, this::health);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the connector's HTTP endpoints on " + address, e);
        }
        server.start();
    }

    /**
     * What {@code GET /health} answers: each connector's state, whether the inbound bindings are loaded, and whether
     * the recipients the status endpoint checks callbacks against are.
     */
    public Map<String, Object> health() {
        Map<String, Object> health = new LinkedHashMap<>();
        Map<String, Object> channels = new LinkedHashMap<>();
        boolean ok = true;
        for (ChannelConnector connector : connectors) {
            channels.put(connector.channel().name(), connector.state().name());
            ok &= connector.state() == ChannelConnector.State.RUNNING;
        }
        health.put("status", ok ? "ok" : "degraded");
        health.put("channels", channels);
        health.put("bindings", directories == null ? "off" : directories.bindingsReady() ? "ready" : "loading");
        health.put("recipients", directories == null ? "off" : directories.ready() ? "ready" : "loading");
        return health;
    }

    public List<ChannelConnector> connectors() {
        return List.copyOf(connectors);
    }

    /** Where the HTTP endpoints listen, once started; empty when they are disabled. */
    public Optional<InetSocketAddress> httpAddress() {
        return server == null ? Optional.empty() : Optional.of(server.address());
    }

    /** Completes exceptionally as soon as a connector fails, normally after {@link #close()}. */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    /**
     * Stops the connectors and the HTTP endpoints, all at once: each connector lets its delivery in flight finish (at
     * most {@value ConnectorConfig#CLOSE_TIMEOUT_MS}), commits and leaves its group; the endpoints finish the requests
     * in progress. They close side by side, so stopping takes as long as the slowest one, not their sum. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long begin = System.nanoTime();
        List<Thread> closing = new ArrayList<>();
        for (ChannelConnector connector : connectors) {
            Thread t = new Thread(() -> {
                try {
                    connector.close();
                } catch (RuntimeException e) {
                    LOG.warn("Closing the {} connector failed: {}", connector.channel(), e.toString());
                }
            }, "convo-connector-close-" + connector.channel().name());
            t.start();
            closing.add(t);
        }
        if (server != null) {
            server.close(); // meanwhile: the JDK's server lets exchanges in progress finish for a second
        }
        if (directories != null) {
            directories.close();
        }
        if (httpProducer != null) {
            httpProducer.close(HTTP_PRODUCER_CLOSE_TIMEOUT);
        }
        boolean interrupted = false;
        for (Thread t : closing) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true; // finish closing: the connectors must leave their groups
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (started) {
            LOG.info("Connectors closed in {} ms", (System.nanoTime() - begin) / 1_000_000);
        }
        terminated.complete(null);
    }
}
