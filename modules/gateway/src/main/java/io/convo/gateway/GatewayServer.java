package io.convo.gateway;

import io.convo.model.ConversationCommand;
import io.convo.model.serde.ConvoSerdes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat gateway (SPEC §7): a Jetty WebSocket server on {@code /v1/connect} that admits chat clients by token and
 * connection limits, turns their frames into commands on {@code conversation-commands}, and pushes them their
 * commands' outcomes and their deliveries. {@code GET /v1/status} answers the open connection count. Start it,
 * then close it: closing refuses new upgrades, closes every connection with 1001 (going away), waits up to the
 * shutdown grace for them to go, then stops the server and the Kafka clients.
 */
public final class GatewayServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    private static final String STATUS_PATH = "/v1/status";
    private static final Duration READY_WAIT = Duration.ofSeconds(30);

    private final GatewayConfig.Settings settings;
    private final Clock clock;
    private final ConnectionRegistry registry = new ConnectionRegistry();
    private final MembershipIndex index = new MembershipIndex();
    private final PendingOutcomes pending;
    private final ConnectionAdmission admission;
    private final Frames frames;
    private final AtomicBoolean closed = new AtomicBoolean();
    private KafkaProducer<String, ConversationCommand> producer;
    private Downstream downstream;
    private SubaccountOwnership ownership;
    private Heartbeats heartbeats;
    private UpgradeGate gate;
    private Server server;
    private ServerConnector connector;

    /** A gateway configured by {@code config}; see {@link GatewayConfig} for the keys. */
    public GatewayServer(Map<String, ?> config) {
        this(GatewayConfig.settings(config), Clock.systemUTC());
    }

    public GatewayServer(Properties config) {
        this(GatewayConfig.settings(config), Clock.systemUTC());
    }

    /** @param clock the clock of rate windows, token expiry and command timestamps (tests hold it at a boundary) */
    GatewayServer(GatewayConfig.Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.pending = new PendingOutcomes(settings.outcomeTimeout().toNanos());
        this.admission = new ConnectionAdmission(settings.limits(), clock);
        this.frames = new Frames(settings.topics());
    }

    /**
     * Connects to Kafka, starts reading outcomes and deliveries, then listens.
     *
     * @throws IllegalStateException when a topic is missing or the port cannot be bound
     */
    public void start() {
        try {
            startUnchecked();
        } catch (RuntimeException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new IllegalStateException("gateway failed to start: " + e.getMessage(), e);
        }
    }

    private void startUnchecked() throws Exception {
        Map<String, Object> producerConfig = new HashMap<>(settings.kafka());
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, settings.cluster().instanceId() + "-commands");
        producerConfig.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
        producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                ConvoSerdes.valueSerde(ConversationCommand.class, settings.all()).serializer());

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("gateway-jetty");
        server = new Server(threads);
        connector = new ServerConnector(server);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        server.addConnector(connector);
        connector.open(); // binds now, so the advertised URL knows the port before anything is announced
        String url = settings.advertisedUrl(connector.getLocalPort());

        ShardOwnership shards = null;
        if (settings.cluster().enabled()) {
            shards = new ShardOwnership(settings, createShardTopic(), url, clock, this::loseShards);
            ownership = shards;
        } else {
            ownership = new SoleOwnership();
        }
        downstream = new Downstream(settings, registry, pending, index, frames, shards, clock);
        downstream.start();
        ownership.start();

        Upstream upstream = new Upstream(settings.topics().conversationCommands(), producer, pending, index, downstream,
                frames, clock);
        ChatConnection.Handler handler = new ChatConnection.Handler() {
            @Override
            public void opened(ChatConnection connection) {
                if (connection.isEnded()) {
                    connection.close(CloseCodes.GOING_AWAY, "connection already ended");
                    return;
                }
                registry.opened(connection);
                if (connection.isEnded()) { // counted out while it opened: undo the registration
                    registry.removed(connection);
                    connection.close(CloseCodes.GOING_AWAY, "connection already ended");
                    return;
                }
                if (closed.get()) { // admitted before close() but opened after it: its close found no session to close
                    connection.close(CloseCodes.GOING_AWAY, "gateway shutting down");
                    return;
                }
                LOG.debug("{} opened", connection);
            }

            @Override
            public void text(ChatConnection connection, String text) {
                if (!connection.isEnded()) { // counted out (moved, dropped, shutting down): it may not act any more
                    upstream.onText(connection, text);
                }
            }

            @Override
            public void ended(ChatConnection connection, int statusCode, String reason) {
                if (end(connection)) {
                    LOG.debug("{} closed: {} {}", connection, statusCode, reason);
                }
            }
        };
        TokenVerifier verifier = new TokenVerifier(settings.tokenSecret(), settings.tokenClockSkew(),
                settings.serviceSid(), clock);
        gate = new UpgradeGate(verifier, ownership, admission, settings.limits(), registry, handler, clock,
                downstream::ready);

        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler webSockets = WebSocketUpgradeHandler.from(server, context, container -> {
            // The heartbeats drop silent peers first; Jetty's idle timeout is only a backstop.
            container.setIdleTimeout(settings.heartbeatTimeout().plus(settings.heartbeatInterval()));
            container.setMaxTextMessageSize(settings.maxFrameBytes());
            container.setMaxBinaryMessageSize(settings.maxFrameBytes());
            container.setMaxOutgoingFrames(settings.maxQueuedFrames());
            container.addMapping(GatewayConfig.CONNECT_PATH, gate);
        });
        webSockets.setHandler(new PlainHttp());
        context.setHandler(webSockets);
        server.setHandler(context);
        server.start();

        heartbeats = new Heartbeats(registry, admission, settings.heartbeatInterval(), settings.heartbeatTimeout(),
                this::drop);
        heartbeats.start();
        awaitReady();
        LOG.info("chat gateway listening on {} (limits {}, cluster {})", url, settings.limits(),
                settings.cluster().enabled() ? settings.cluster().groupId() : "off");
    }

    /**
     * Gives the dispatcher a moment to read the event log, so that a gateway on a short log is ready when start
     * returns; on a long one, upgrades are answered 503 until it is.
     */
    private void awaitReady() {
        long deadline = System.nanoTime() + READY_WAIT.toNanos();
        while (!downstream.ready() && System.nanoTime() < deadline) {
            pause();
        }
        if (!downstream.ready()) {
            LOG.info("still reading conversation-events; refusing connections with 503 until done");
        }
    }

    /** Cluster mode: the shard topic, created if missing (compacted: only the latest owner of each shard matters). */
    private int createShardTopic() throws InterruptedException, ExecutionException, TimeoutException {
        String topic = settings.topics().gatewayShards();
        try (Admin admin = Admin.create(new HashMap<>(settings.kafka()))) {
            NewTopic newTopic = new NewTopic(topic, settings.cluster().shards(), settings.replicationFactor())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            try {
                admin.createTopics(List.of(newTopic)).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(topic);
            int partitions = description.partitions().size();
            if (partitions != settings.cluster().shards()) {
                // Every instance must map subaccounts alike: the topic's count wins over the configured one.
                LOG.warn("{} has {} partitions, not {}: using {} shards", topic, partitions,
                        settings.cluster().shards(), partitions);
            }
            return partitions;
        }
    }

    /** Cluster mode: closes and counts out the connections of shards this instance lost, before anyone else owns them. */
    private void loseShards(Set<Integer> shards) {
        int closedCount = 0;
        for (ChatConnection c : registry.all()) {
            if (shards.contains(c.shard()) && end(c)) {
                c.close(CloseCodes.SERVICE_RESTART, "subaccount moved to another gateway instance; reconnect");
                closedCount++;
            }
        }
        if (closedCount > 0) {
            LOG.info("closed {} connections of shards {} that moved away", closedCount, shards);
        }
    }

    /** Counts a connection out once; true the first time. */
    private boolean end(ChatConnection connection) {
        if (!connection.end()) {
            return false;
        }
        connection.ticket().release();
        registry.removed(connection);
        return true;
    }

    private void drop(ChatConnection connection) {
        if (end(connection)) {
            connection.disconnect();
        }
    }

    /** The port the server listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    /** The URL of {@code /v1/connect} on this instance. */
    public String url() {
        return settings.advertisedUrl(port());
    }

    /** Connections admitted and not yet counted out. */
    public int openConnections() {
        return admission.openOverall();
    }

    /** Open connections of one subaccount on this instance. */
    public int openConnections(String subaccount) {
        return admission.open(subaccount);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (gate != null) {
            gate.close();
        }
        int open = registry.size();
        for (ChatConnection c : registry.all()) {
            c.close(CloseCodes.GOING_AWAY, "gateway shutting down");
        }
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        while (registry.size() > 0 && System.nanoTime() < deadline) {
            pause();
        }
        if (open > 0) {
            LOG.info("closed {} connections with 1001; {} left after the grace period", open, registry.size());
        }
        stopQuietly(heartbeats);
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                LOG.warn("stopping Jetty: {}", e.toString());
            }
            connector.close(); // bound before the server started: a start that failed early leaves it open
        }
        registry.all().forEach(this::end);
        stopQuietly(ownership);
        stopQuietly(downstream);
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        LOG.info("chat gateway stopped");
    }

    private static void stopQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("closing {}: {}", closeable.getClass().getSimpleName(), e.toString());
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String refusalsJson() {
        StringBuilder out = new StringBuilder("{");
        gate.refusals().forEach((status, count) -> out.append(out.length() > 1 ? "," : "")
                .append('"').append(status).append("\":").append(count));
        return out.append('}').toString();
    }

    /** Cluster mode: the shards this instance owns now; empty otherwise. */
    Set<Integer> ownedShards() {
        return ownership instanceof ShardOwnership s ? s.owned() : Set.of();
    }

    /** Requests that are no WebSocket upgrade: 426 on the connect path, the status, or 404. */
    private final class PlainHttp extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            String body;
            if (GatewayConfig.CONNECT_PATH.equals(path)) {
                response.setStatus(HttpStatus.UPGRADE_REQUIRED_426);
                response.getHeaders().put(HttpHeader.UPGRADE, "websocket");
                body = "{\"code\":\"UPGRADE_REQUIRED\",\"reason\":\"connect with a WebSocket\"}";
            } else if (STATUS_PATH.equals(path)) {
                response.setStatus(HttpStatus.OK_200);
                body = "{\"ready\":" + downstream.ready() + ",\"startedFromChangelogs\":" + downstream.startedFromChangelogs()
                        + ",\"openConnections\":" + admission.openOverall() + ",\"registered\":" + registry.size()
                        + ",\"conversationsIndexed\":" + index.conversations() + ",\"pendingOutcomes\":"
                        + pending.size() + ",\"refusedByStatus\":" + refusalsJson() + "}";
            } else {
                response.setStatus(HttpStatus.NOT_FOUND_404);
                body = "{\"code\":\"NOT_FOUND\"}";
            }
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }
    }
}
