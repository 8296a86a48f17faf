package io.convo.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convo.app.ConvoApplication;
import io.convo.model.CommandRejected;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.MessageAdded;
import io.convo.model.SendMessage;
import io.convo.model.TopicNames;
import io.convo.model.serde.ConvoSerdes;
import io.convo.rest.RestConfig;
import io.convo.rest.RestFront;
import io.convo.testkit.EmbeddedKafkaBroker;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code convo bench --scenario rest} (issue 14): the Twilio-compatible REST front against the same commands sent
 * straight to Kafka, in one run on convo's embedded broker. Messages are created at a steady rate, spread over
 * conversations so that none passes the APS limit: through {@code POST …/Messages} (latency: request to the answer,
 * which comes once the outcome is committed and read back), then as {@code SendMessage} records on
 * {@code conversation-commands} (latency: send to the committed {@code MessageAdded} read by a read_committed
 * consumer). Then reads of a paged message list ({@code GET …/Messages?PageSize=50}, pages followed to the end) by a
 * few clients in a closed loop: reads per second. Every write must succeed; an error fails the run.
 */
public final class RestBench {

    /** Latencies of one path at the offered rate. */
    public record WritePhase(String path, int messages, double offeredPerSecond, double achievedPerSecond,
                             double p50Ms, double p99Ms, double maxMs) {
    }

    /** What the run printed. */
    public record Result(WritePhase rest, WritePhase kafka, int listMessages, int readers, double readsPerSecond,
                         double readP50Ms, double readP99Ms, List<String> errors) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "AC" + "0".repeat(31) + "1";
    private static final String TOKEN = "bench";
    /** Per conversation; the APS limit is 30. */
    private static final int PER_CONVERSATION_PER_SECOND = 20;
    private static final int LIST_MESSAGES = 500;
    private static final int READERS = 4;
    private static final Duration READ_TIME = Duration.ofSeconds(10);

    private final int messages;
    private final int rate;
    private final Consumer<String> progress;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String auth = "Basic " + Base64.getEncoder().encodeToString((ACCOUNT + ":" + TOKEN)
            .getBytes(StandardCharsets.UTF_8));
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<String, Long> decidedAt = new ConcurrentHashMap<>();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean reading = new AtomicBoolean(true);
    private String base;

    public RestBench(int messages, int rate, Consumer<String> progress) {
        this.messages = messages;
        this.rate = rate;
        this.progress = progress;
    }

    public Result run() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary()) {
            Properties config = new Properties();
            config.setProperty("bootstrap.servers", broker.bootstrapServers());
            config.setProperty("application.id", "convo-rest-bench");
            config.setProperty("state.dir", Files.createTempDirectory("convo-rest-bench-").toString());
            config.setProperty(RestConfig.ENABLED.name(), "true");
            config.setProperty(RestConfig.PORT.name(), "0");
            config.setProperty(RestConfig.ACCOUNTS.name(), ACCOUNT + ":" + TOKEN);
            try (ConvoApplication app = new ConvoApplication(config)) {
                app.start();
                if (!app.awaitRunning(Duration.ofSeconds(120))) {
                    throw new IllegalStateException("convo did not start within 120 s");
                }
                base = app.restUrl() + "/v1";
                return run(broker.bootstrapServers());
            }
        }
    }

    private Result run(String bootstrapServers) throws Exception {
        int conversations = Math.max(1, (rate + PER_CONVERSATION_PER_SECOND - 1) / PER_CONVERSATION_PER_SECOND);
        progress.accept("creating " + conversations + " conversations with one participant each, through the REST API");
        List<String> sids = new ArrayList<>();
        for (int i = 0; i < conversations + 1; i++) {
            String sid = field(post("/Conversations", "FriendlyName=bench-" + i), "sid");
            post("/Conversations/" + sid + "/Participants", "Identity=alice");
            sids.add(sid);
        }
        String listed = sids.remove(conversations);
        Thread reader = new Thread(() -> readOutcomes(bootstrapServers), "rest-bench-outcomes");
        reader.setDaemon(true);
        reader.start();
        try (KafkaProducer<String, ConversationCommand> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.LINGER_MS_CONFIG, 1),
                new StringSerializer(), ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).serializer())) {
            progress.accept("REST: " + messages + " POST …/Messages at " + rate + "/s");
            WritePhase rest = restWrites(sids);
            progress.accept("Kafka: " + messages + " SendMessage records at " + rate + "/s");
            WritePhase kafka = kafkaWrites(producer, sids);
            progress.accept("filling a conversation with " + LIST_MESSAGES + " messages, then " + READERS
                    + " clients read its pages for " + READ_TIME.toSeconds() + " s");
            fill(listed);
            double[] reads = reads(listed);
            return new Result(rest, kafka, LIST_MESSAGES, READERS, reads[0], reads[1], reads[2], List.copyOf(errors));
        } finally {
            reading.set(false);
            reader.join(5_000);
        }
    }

    private WritePhase restWrites(List<String> sids) throws Exception {
        List<CompletableFuture<Double>> answers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            pace(start, i);
            String path = "/Conversations/" + sids.get(i % sids.size()) + "/Messages";
            long sent = System.nanoTime();
            answers.add(http.sendAsync(request(path, "Author=alice&Body=" + enc("rest " + i)),
                    HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
                        if (r.statusCode() != 201) {
                            errors.add("POST " + path + ": " + r.statusCode() + " " + r.body());
                        }
                        return (System.nanoTime() - sent) / 1e6;
                    }));
        }
        List<Double> latencies = new ArrayList<>();
        for (CompletableFuture<Double> a : answers) {
            latencies.add(a.get(2, TimeUnit.MINUTES));
        }
        return phase("REST POST", latencies, (System.nanoTime() - start) / 1e9);
    }

    private WritePhase kafkaWrites(KafkaProducer<String, ConversationCommand> producer, List<String> sids)
            throws InterruptedException {
        List<String> ids = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            pace(start, i);
            String id = "kafka-" + i;
            String conversation = sids.get(i % sids.size());
            long now = System.currentTimeMillis();
            sentAt.put(id, System.nanoTime());
            producer.send(new ProducerRecord<>(TopicNames.CONVERSATION_COMMANDS, null, now, conversation,
                    new ConversationCommand(SendMessage.newBuilder().setCommandId(id)
                            .setServiceSid(RestFront.defaultService(ACCOUNT)).setTimestamp(now)
                            .setConversationSid(conversation).setMessageSid(String.format("IM%032d", i))
                            .setAuthor("alice").setBody("kafka " + i).build())));
            ids.add(id);
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!decidedAt.keySet().containsAll(ids) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<Double> latencies = new ArrayList<>();
        for (String id : ids) {
            Long at = decidedAt.get(id);
            if (at == null) {
                errors.add(id + ": no outcome");
            } else {
                latencies.add((at - sentAt.get(id)) / 1e6);
            }
        }
        return phase("Kafka direct", latencies, (System.nanoTime() - start) / 1e9);
    }

    private WritePhase phase(String path, List<Double> latencies, double seconds) {
        List<Double> sorted = latencies.stream().sorted().toList();
        return new WritePhase(path, sorted.size(), rate, sorted.size() / seconds, percentile(sorted, 0.50),
                percentile(sorted, 0.99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1));
    }

    /** Sleeps until the i-th command of a steady {@code rate} is due. */
    private void pace(long start, int i) throws InterruptedException {
        long wait = start + i * 1_000_000_000L / rate - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** Fills the listed conversation at 25 messages per second (under its APS limit). */
    private void fill(String sid) throws Exception {
        long start = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < LIST_MESSAGES; i++) {
            long wait = start + i * 40_000_000L - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            sent.add(http.sendAsync(request("/Conversations/" + sid + "/Messages", "Author=alice&Body=" + enc("m " + i)),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> s : sent) {
            if (s.get(2, TimeUnit.MINUTES).statusCode() != 201) {
                errors.add("filling: " + s.get().body());
            }
        }
    }

    /** Closed-loop readers of the paged list: reads per second, p50 and p99 of one page read. */
    private double[] reads(String sid) throws Exception {
        AtomicLong count = new AtomicLong();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + READ_TIME.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < READERS; t++) {
            Thread thread = new Thread(() -> {
                String url = base + "/Conversations/" + sid + "/Messages?PageSize=50";
                while (System.nanoTime() < end) {
                    long began = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                                .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            errors.add("GET " + url + ": " + r.statusCode());
                            return;
                        }
                        count.incrementAndGet();
                        latencies.add((System.nanoTime() - began) / 1e6);
                        String next = field(r.body(), "next_page_url");
                        url = next != null ? next : base + "/Conversations/" + sid + "/Messages?PageSize=50";
                    } catch (Exception e) {
                        errors.add("GET " + url + ": " + e);
                        return;
                    }
                }
            }, "rest-bench-reader-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        List<Double> sorted = latencies.stream().sorted().toList();
        return new double[] {count.get() / (double) READ_TIME.toSeconds(), percentile(sorted, 0.50),
            percentile(sorted, 0.99)};
    }

    private String post(String path, String form) throws Exception {
        HttpResponse<String> r = http.send(request(path, form), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("POST " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private HttpRequest request(String path, String form) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", auth)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A top-level string field of a JSON object, or null when it is null or absent. */
    private static String field(String json, String name) {
        try {
            JsonNode node = JSON.readTree(json).get(name);
            return node == null || node.isNull() ? null : node.asText();
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + json, e);
        }
    }

    /** Committed outcomes of the Kafka-direct messages. */
    private void readOutcomes(String bootstrapServers) {
        var events = ConvoSerdes.valueSerde(ConversationEvent.class, Map.of()).deserializer();
        var rejections = ConvoSerdes.valueSerde(CommandRejected.class, Map.of()).deserializer();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "rest-bench-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TopicNames.CONVERSATION_EVENTS, TopicNames.COMMAND_REJECTIONS));
            while (reading.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.nanoTime();
                    if (r.topic().equals(TopicNames.COMMAND_REJECTIONS)) {
                        CommandRejected rejected = rejections.deserialize(r.topic(), r.value());
                        errors.add(rejected.getCommandId() + ": " + rejected.getCode() + " " + rejected.getReason());
                        decidedAt.putIfAbsent(rejected.getCommandId(), now);
                    } else if (events.deserialize(r.topic(), r.value()).getEvent() instanceof MessageAdded m) {
                        decidedAt.putIfAbsent(m.getCommandId(), now);
                    }
                }
            }
        }
    }

    private static double percentile(List<Double> sorted, double q) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }
}
