package io.convo.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.convo.model.CommandRejected;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.json.CommandLine;
import io.convo.model.json.JsonLines;
import io.convo.model.serde.ConvoSerdes;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.JettyUpgradeListener;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Load for the chat gateway: real WebSocket connections (Jetty's client) on 127.0.0.1 with valid tokens, in three
 * scenarios, each returning a report: {@link #hold} (open many connections, hold them, then try one more),
 * {@link #establish} (try new connections at a fixed rate, count what is admitted per second) and {@link #latency}
 * (conversations set up through Kafka as a backend would, senders and receivers connected, SendMessage at a fixed
 * rate, time until the Delivery frame on the receiver). Sender and receiver live in this process, so latency is
 * measured on one clock. Run it with {@code main} or {@link GatewayLoadCommand}.
 */
public final class GatewayLoad implements AutoCloseable {

    /**
     * One attempt to connect: the HTTP status (101 when open), its Retry-After, the gateway's clock second from the
     * response's {@code Date} header (0 if none), and the socket when open.
     */
    record Attempt(int status, String retryAfter, long serverSecond, LoadSocket socket) {
        boolean open() {
            return socket != null;
        }
    }

    /** A report: named figures in order. */
    public record Report(String scenario, Map<String, Object> figures) {
        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            lines.add("scenario: " + scenario);
            figures.forEach((k, v) -> lines.add("  " + k + ": " + v));
            return lines;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(GatewayLoad.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final String url;
    private final TokenIssuer issuer;
    private final String serviceSid;
    private final HttpClient http;
    private final WebSocketClient client;

    /** Runs {@code convo gateway-load} on its own. */
    public static void main(String[] args) {
        // The exit code is the CLI's contract, hence System.exit here only.
        System.exit(new picocli.CommandLine(new GatewayLoadCommand()).execute(args));
    }

    public GatewayLoad(String url, byte[] secret, String serviceSid) throws Exception {
        this.url = url;
        this.issuer = new TokenIssuer(secret);
        this.serviceSid = serviceSid;
        QueuedThreadPool threads = new QueuedThreadPool(64);
        threads.setName("load-client");
        this.http = new HttpClient();
        http.setExecutor(threads);
        http.setMaxConnectionsPerDestination(1_000_000);
        http.setMaxRequestsQueuedPerDestination(1_000_000);
        http.setConnectTimeout(CONNECT_TIMEOUT.toMillis());
        this.client = new WebSocketClient(http);
        client.setIdleTimeout(Duration.ofMinutes(30));
        client.setMaxTextMessageSize(1 << 20);
        client.start();
    }

    /** Starts one connection attempt. */
    CompletableFuture<Attempt> attempt(String identity, String subaccount) {
        String token = issuer.issue(identity, serviceSid, subaccount, Instant.now().plus(Duration.ofHours(12)));
        LoadSocket socket = new LoadSocket();
        String[] retryAfter = new String[1];
        long[] serverSecond = new long[1];
        JettyUpgradeListener headers = new JettyUpgradeListener() {
            @Override
            public void onHandshakeResponse(Request request, Response response) {
                retryAfter[0] = response.getHeaders().get("Retry-After");
                long date = response.getHeaders().getDateField("Date");
                serverSecond[0] = date > 0 ? date / 1000 : 0;
            }
        };
        CompletableFuture<Session> connect;
        try {
            connect = client.connect(socket, new ClientUpgradeRequest(URI.create(url + "?token=" + token)), headers);
        } catch (IOException e) {
            return CompletableFuture.completedFuture(new Attempt(-1, null, 0, null));
        }
        return connect.handle((session, failure) -> {
            if (failure == null) {
                return new Attempt(101, null, serverSecond[0], socket);
            }
            Throwable cause = failure;
            while (cause != null && !(cause instanceof UpgradeException)) {
                cause = cause.getCause();
            }
            int status = cause instanceof UpgradeException u ? u.getResponseStatusCode() : -1;
            if (status <= 0) {
                LOG.debug("connect failed: {}", failure.toString());
            }
            return new Attempt(status, retryAfter[0], serverSecond[0], null);
        });
    }

    /**
     * Opens {@code connections} connections of one subaccount, at most {@code attemptsPerSecond} attempts per
     * second (a refused attempt is tried again on a later tick), holds them for {@code hold}, sampling the
     * gateway's RSS and CPU time if its pid is given, then tries {@code extra} more connections.
     */
    public Report hold(int connections, String subaccount, int attemptsPerSecond, Duration hold, int extra,
                       Long gatewayPid) throws InterruptedException {
        Map<String, Object> figures = new LinkedHashMap<>();
        List<LoadSocket> open = new ArrayList<>();
        Map<Integer, Integer> refused = new TreeMap<>();
        long started = System.nanoTime();
        long tickNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, attemptsPerSecond);
        int next = 0;
        long nextAttemptAt = System.nanoTime();
        List<CompletableFuture<Attempt>> inFlight = new ArrayList<>();
        List<Integer> inFlightIds = new ArrayList<>();
        ConcurrentLinkedQueue<Integer> retry = new ConcurrentLinkedQueue<>();
        long deadline = started + TimeUnit.MINUTES.toNanos(10);
        while (open.size() < connections && System.nanoTime() < deadline) {
            long now = System.nanoTime();
            while (now >= nextAttemptAt && open.size() + inFlight.size() < connections) {
                Integer id = retry.poll();
                int identity = id != null ? id : next++;
                inFlight.add(attempt("load-" + identity, subaccount));
                inFlightIds.add(identity);
                nextAttemptAt += tickNanos;
            }
            for (int i = inFlight.size() - 1; i >= 0; i--) {
                CompletableFuture<Attempt> f = inFlight.get(i);
                if (f.isDone()) {
                    Attempt a = f.join();
                    if (a.open()) {
                        open.add(a.socket());
                    } else {
                        refused.merge(a.status(), 1, Integer::sum);
                        retry.add(inFlightIds.get(i));
                    }
                    inFlight.remove(i);
                    inFlightIds.remove(i);
                }
            }
            if (nextAttemptAt < System.nanoTime() - TimeUnit.SECONDS.toNanos(1)) {
                nextAttemptAt = System.nanoTime(); // never burst to catch up after a stall
            }
            Thread.sleep(1);
        }
        long established = System.nanoTime();
        figures.put("connections open", open.size());
        figures.put("time to open (s)", seconds(established - started));
        figures.put("refused while opening (by status)", refused);

        ProcessSample before = ProcessSample.of(gatewayPid);
        long rssMax = before == null ? 0 : before.rssKb();
        long holdEnd = System.nanoTime() + hold.toNanos();
        while (System.nanoTime() < holdEnd) {
            Thread.sleep(Math.min(5_000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(holdEnd - System.nanoTime()))));
            ProcessSample s = ProcessSample.of(gatewayPid);
            if (s != null) {
                rssMax = Math.max(rssMax, s.rssKb());
            }
        }
        ProcessSample after = ProcessSample.of(gatewayPid);
        long closedDuringHold = open.stream().filter(s -> !s.isOpen()).count();
        figures.put("held for (s)", hold.toSeconds());
        figures.put("closed during hold", closedDuringHold);
        if (before != null && after != null) {
            double wall = seconds(after.atNanos() - before.atNanos());
            figures.put("gateway RSS at start of hold (MB)", before.rssKb() / 1024);
            figures.put("gateway RSS at end of hold (MB)", after.rssKb() / 1024);
            figures.put("gateway RSS max during hold (MB)", rssMax / 1024);
            figures.put("gateway CPU during hold (% of one core)",
                    String.format("%.1f", 100.0 * (after.cpuTicks() - before.cpuTicks()) / ProcessSample.TICKS / wall));
        }
        figures.put("client RSS (MB)", ProcessSample.self().rssKb() / 1024);

        Thread.sleep(1_100); // past the current rate window: a refusal now is the concurrency limit's
        List<String> extras = new ArrayList<>();
        for (int i = 0; i < extra; i++) {
            Attempt a = await(attempt("load-extra-" + i, subaccount));
            extras.add(a.status() + (a.retryAfter() == null ? "" : " Retry-After: " + a.retryAfter()));
            if (a.open()) {
                open.add(a.socket());
            }
        }
        figures.put("extra attempts", extras);
        open.forEach(LoadSocket::close);
        return new Report("hold", figures);
    }

    /**
     * Tries {@code attemptsPerSecond} new connections per second for {@code duration}; every admitted connection is
     * closed again at once, so only the establishment limits are tested. Counts admissions per epoch second.
     */
    public Report establish(String subaccount, int attemptsPerSecond, Duration duration) throws InterruptedException {
        Map<Long, AtomicInteger> admittedBySecond = new ConcurrentHashMap<>();
        Map<Long, AtomicInteger> admittedByServerSecond = new ConcurrentHashMap<>();
        Map<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
        List<CompletableFuture<Attempt>> all = new ArrayList<>();
        long tickNanos = TimeUnit.SECONDS.toNanos(1) / attemptsPerSecond;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long nextAt = start;
        int n = 0;
        while (nextAt < end) {
            long now = System.nanoTime();
            while (nextAt <= now && nextAt < end) {
                CompletableFuture<Attempt> f = attempt("est-" + n++, subaccount).thenApply(a -> {
                    byStatus.computeIfAbsent(a.status(), k -> new AtomicInteger()).incrementAndGet();
                    if (a.open()) {
                        admittedBySecond.computeIfAbsent(System.currentTimeMillis() / 1000, k -> new AtomicInteger())
                                .incrementAndGet();
                        admittedByServerSecond.computeIfAbsent(a.serverSecond(), k -> new AtomicInteger())
                                .incrementAndGet();
                        a.socket().close();
                    }
                    return a;
                });
                all.add(f);
                nextAt += tickNanos;
            }
            Thread.sleep(1);
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS)
                .exceptionally(e -> null).join();
        double wall = seconds(System.nanoTime() - start);
        List<Integer> byClient = innerSeconds(admittedBySecond);
        List<Integer> byServer = innerSeconds(admittedByServerSecond);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("attempted", n);
        figures.put("attempted per second", attemptsPerSecond);
        Map<Integer, Integer> statuses = new TreeMap<>();
        byStatus.forEach((k, v) -> statuses.put(k, v.get()));
        figures.put("outcomes (by status)", statuses);
        figures.put("admitted per gateway second (mean over " + byServer.size() + " full seconds)",
                String.format("%.1f", byServer.stream().mapToInt(Integer::intValue).average().orElse(0)));
        figures.put("admitted in the busiest gateway second", byServer.stream().mapToInt(Integer::intValue).max().orElse(0));
        figures.put("admitted per gateway second (each, by the 101's Date header)", byServer);
        figures.put("admitted per client second (each, by arrival of the 101)", byClient);
        figures.put("duration (s)", String.format("%.1f", wall));
        return new Report("establish", figures);
    }

    /**
     * Sets up {@code conversations} conversations through Kafka (each with a sender and a receiver chat identity),
     * opens {@code background} idle connections plus a sender and a receiver per conversation, then sends
     * {@code messagesPerSecond} SendMessage frames in total for {@code duration} (after {@code warmUp}) and measures
     * SendMessage on the sender → Delivery frame on the receiver, and → outcome (MessageAdded) on the sender.
     */
    public Report latency(Map<String, Object> kafkaConfig, GatewayTopics topics, int conversations,
                          int messagesPerSecond, Duration warmUp, Duration duration, int background, Long gatewayPid)
            throws InterruptedException {
        String run = Long.toString(System.currentTimeMillis(), 36);
        setUpConversations(kafkaConfig, topics.conversationCommands(), topics.conversationEvents(),
                topics.commandRejections(), run, conversations);

        List<LoadSocket> idle = new ArrayList<>();
        openPaced(background, i -> "idle-" + run + "-" + i, i -> "AC-idle-" + (i / 5_000), 100, idle);
        List<LoadSocket> senders = new ArrayList<>();
        List<LoadSocket> receivers = new ArrayList<>();
        openPaced(conversations, i -> "s-" + run + "-" + i, i -> "AC-send", 100, senders);
        openPaced(conversations, i -> "r-" + run + "-" + i, i -> "AC-recv", 100, receivers);

        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> commandSentAt = new ConcurrentHashMap<>();
        LatencyLog deliveries = new LatencyLog();
        LatencyLog outcomes = new LatencyLog();
        Map<String, AtomicInteger> rejections = new ConcurrentHashMap<>();
        AtomicLong measureFrom = new AtomicLong(Long.MAX_VALUE);
        for (LoadSocket r : receivers) {
            r.onFrame(frame -> {
                long now = System.nanoTime();
                JsonNode value = frame.path("value");
                if ("Delivery".equals(value.path("type").asText())) {
                    Long t = sentAt.remove(value.path("messageSid").asText());
                    if (t != null && t >= measureFrom.get()) {
                        deliveries.add(now - t);
                    }
                }
            });
        }
        for (LoadSocket s : senders) {
            s.onFrame(frame -> {
                long now = System.nanoTime();
                JsonNode value = frame.path("value");
                String type = value.path("type").asText();
                Long t = commandSentAt.remove(value.path("commandId").asText());
                if ("CommandRejected".equals(type)) {
                    rejections.computeIfAbsent(value.path("code").asText(), k -> new AtomicInteger()).incrementAndGet();
                } else if (t != null && t >= measureFrom.get()) {
                    outcomes.add(now - t);
                }
            });
        }

        long tickNanos = TimeUnit.SECONDS.toNanos(1) / messagesPerSecond;
        long start = System.nanoTime();
        long measureStart = start + warmUp.toNanos();
        long end = measureStart + duration.toNanos();
        long nextAt = start;
        long sent = 0;
        long measuredSent = 0;
        ProcessSample gatewayAtStart = null;
        while (nextAt < end) {
            long now = System.nanoTime();
            if (now >= measureStart && measureFrom.get() == Long.MAX_VALUE) {
                measureFrom.set(measureStart);
                gatewayAtStart = ProcessSample.of(gatewayPid);
            }
            while (nextAt <= now && nextAt < end) {
                int c = (int) (sent % conversations);
                String messageSid = "IM-" + run + "-" + sent;
                String commandId = "load-" + run + "-" + sent;
                String frame = "{\"type\":\"SendMessage\",\"commandId\":\"" + commandId + "\",\"conversationSid\":\"CH-"
                        + run + "-" + c + "\",\"messageSid\":\"" + messageSid + "\",\"body\":\"load " + sent + "\"}";
                long t = System.nanoTime();
                sentAt.put(messageSid, t);
                commandSentAt.put(commandId, t);
                senders.get(c).send(frame);
                if (t >= measureStart) {
                    measuredSent++;
                }
                sent++;
                nextAt += tickNanos;
            }
            Thread.sleep(1);
        }
        ProcessSample gatewayAtEnd = ProcessSample.of(gatewayPid);
        Thread.sleep(5_000); // let the last ones arrive
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("conversations", conversations);
        figures.put("background connections", idle.size());
        figures.put("messages per second", messagesPerSecond);
        figures.put("warm-up (s)", warmUp.toSeconds());
        figures.put("measured (s)", duration.toSeconds());
        figures.put("messages sent (measured)", measuredSent);
        figures.put("deliveries received (measured)", deliveries.count());
        figures.put("delivery latency SendMessage -> Delivery frame (ms)", deliveries.summary());
        figures.put("outcome latency SendMessage -> MessageAdded frame (ms)", outcomes.summary());
        Map<String, Integer> rejected = new TreeMap<>();
        rejections.forEach((k, v) -> rejected.put(k, v.get()));
        figures.put("rejections (by code)", rejected);
        if (gatewayAtStart != null && gatewayAtEnd != null) {
            double wall = seconds(gatewayAtEnd.atNanos() - gatewayAtStart.atNanos());
            figures.put("gateway RSS at end (MB)", gatewayAtEnd.rssKb() / 1024);
            figures.put("gateway CPU while measured (% of one core)", String.format("%.1f",
                    100.0 * (gatewayAtEnd.cpuTicks() - gatewayAtStart.cpuTicks()) / ProcessSample.TICKS / wall));
        }
        idle.forEach(LoadSocket::close);
        senders.forEach(LoadSocket::close);
        receivers.forEach(LoadSocket::close);
        return new Report("latency", figures);
    }

    /** Counts per second, without the first and the last second, which are partial. */
    private static List<Integer> innerSeconds(Map<Long, AtomicInteger> bySecond) {
        Map<Long, Integer> sorted = new TreeMap<>();
        bySecond.forEach((second, count) -> sorted.put(second, count.get()));
        sorted.remove(0L);
        List<Integer> counts = new ArrayList<>(sorted.values());
        return counts.size() > 2 ? counts.subList(1, counts.size() - 1) : counts;
    }

    private void openPaced(int count, java.util.function.IntFunction<String> identity,
                           java.util.function.IntFunction<String> subaccount, int perSecond, List<LoadSocket> into)
            throws InterruptedException {
        for (int i = 0; i < count; i++) {
            while (true) {
                Attempt a = await(attempt(identity.apply(i), subaccount.apply(i)));
                if (a.open()) {
                    into.add(a.socket());
                    break;
                }
                if (a.status() != 429 && a.status() != 503) {
                    throw new IllegalStateException("connection refused with " + a.status());
                }
                Thread.sleep(200);
            }
            if ((i + 1) % perSecond == 0) {
                Thread.sleep(1_000);
            }
        }
    }

    /**
     * The backend's part: conversations with a sender and a receiver, through Kafka, waited for. Creating a
     * conversation is a service-wide action (SPEC L10, 30 per second), so they are created 25 per second.
     */
    private void setUpConversations(Map<String, Object> kafkaConfig, String commandsTopic, String eventsTopic,
                                    String rejectionsTopic, String run, int conversations) throws InterruptedException {
        Map<String, Object> producerConfig = new HashMap<>(kafkaConfig);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        Set<String> waiting = new HashSet<>();
        List<String> rejected = new ArrayList<>();
        try (KafkaProducer<String, ConversationCommand> producer = new KafkaProducer<>(producerConfig,
                new StringSerializer(), ConvoSerdes.valueSerde(ConversationCommand.class, kafkaConfig).serializer());
             KafkaConsumer<String, byte[]> outcomes = new KafkaConsumer<>(consumerConfig(kafkaConfig),
                     new StringDeserializer(), new ByteArrayDeserializer())) {
            outcomes.subscribe(List.of(eventsTopic, rejectionsTopic));
            long assigned = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (outcomes.assignment().isEmpty() && System.nanoTime() < assigned) {
                outcomes.poll(Duration.ofMillis(100)); // positions at the end are fixed before anything is produced
            }
            outcomes.assignment().forEach(outcomes::position);
            var events = ConvoSerdes.valueSerde(ConversationEvent.class, kafkaConfig).deserializer();
            var rejections = ConvoSerdes.valueSerde(CommandRejected.class, kafkaConfig).deserializer();
            int line = 0;
            for (int c = 0; c < conversations; c++) {
                if (c > 0 && c % 25 == 0) {
                    Thread.sleep(1_000);
                }
                String ch = "CH-" + run + "-" + c;
                List<String> lines = new ArrayList<>();
                lines.add("{\"type\":\"CreateConversation\",\"conversationSid\":\"" + ch + "\"");
                for (String who : List.of("s", "r")) {
                    String identity = who + "-" + run + "-" + c;
                    lines.add("{\"type\":\"AddParticipant\",\"conversationSid\":\"" + ch + "\",\"participantSid\":\"MB-"
                            + identity + "\",\"identity\":\"" + identity + "\"");
                }
                for (String l : lines) {
                    String id = "setup-" + run + "-" + (++line);
                    waiting.add(id);
                    CommandLine command = JsonLines.parseCommand(l + ",\"commandId\":\"" + id + "\",\"serviceSid\":\""
                            + serviceSid + "\",\"timestamp\":" + System.currentTimeMillis() + "}", line);
                    producer.send(new ProducerRecord<>(commandsTopic, null, command.timestamp(), command.key(),
                            (ConversationCommand) command.envelope()));
                }
                producer.flush();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : outcomes.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(rejectionsTopic)) {
                        CommandRejected x = rejections.deserialize(r.topic(), r.value());
                        if (waiting.remove(x.getCommandId())) {
                            rejected.add(x.getCommandId() + ": " + x.getCode() + " " + x.getReason());
                        }
                    } else if (events.deserialize(r.topic(), r.value()).getEvent() instanceof SpecificRecord e
                            && e.getSchema().getField("commandId") != null) {
                        waiting.remove(String.valueOf(e.get(e.getSchema().getField("commandId").pos())));
                    }
                }
            }
        }
        if (!rejected.isEmpty()) {
            throw new IllegalStateException("setting up conversations failed: " + rejected);
        }
        if (!waiting.isEmpty()) {
            throw new IllegalStateException(waiting.size() + " setup commands had no outcome within 120 s; is convo running?");
        }
    }

    private static Map<String, Object> consumerConfig(Map<String, Object> kafkaConfig) {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "gateway-load-" + System.nanoTime());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return config;
    }

    private static Attempt await(CompletableFuture<Attempt> f) throws InterruptedException {
        try {
            return f.get(CONNECT_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return new Attempt(-1, null, 0, null);
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    @Override
    public void close() {
        try {
            client.stop();
            http.stop();
        } catch (Exception e) {
            LOG.warn("stopping the WebSocket client: {}", e.toString());
        }
    }
}
