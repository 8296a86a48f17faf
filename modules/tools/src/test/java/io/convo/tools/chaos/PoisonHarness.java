package io.convo.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.app.AppConfig;
import io.convo.app.ConvoApplication;
import io.convo.model.CommandRejected;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.CreateConversation;
import io.convo.model.TopicNames;
import io.convo.model.config.TopicsConfig;
import io.convo.model.serde.ConvoSerdes;
import io.convo.testkit.KafkaTestClients;
import io.convo.topology.ConvoConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * What the poison-record tests share: convo running on a real broker with the safety net, a raw byte producer (that
 * can send what convo's serde would never write), a read_committed view of the outcomes, the metrics and health
 * endpoints, and the log lines convo wrote.
 */
final class PoisonHarness implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofMinutes(3);
    static final int PARTITIONS = 2;
    static final String SERVICE = "IS-poison";

    final TopicNames topics;
    final ConvoApplication app;
    final KafkaProducer<String, byte[]> producer;
    final Outputs outputs;
    final LogLines log;
    private final String bootstrapServers;
    private final Map<String, Object> serdeConfig;
    private final HttpClient http = HttpClient.newHttpClient();
    private final long start = System.currentTimeMillis();
    private long ticks;
    private int ids;

    /** Starts convo with the safety net's defaults, metrics on a free port, and {@code overrides} on top. */
    PoisonHarness(String bootstrapServers, String applicationId, Properties overrides)
            throws IOException, InterruptedException {
        this.bootstrapServers = bootstrapServers;
        this.log = LogLines.attach();
        Properties config = new Properties();
        config.setProperty("bootstrap.servers", bootstrapServers);
        config.setProperty("application.id", applicationId);
        config.setProperty("state.dir", Files.createTempDirectory(applicationId).toString());
        config.setProperty(TopicsConfig.PARTITIONS.name(), String.valueOf(PARTITIONS));
        config.setProperty(ConvoConfig.MAX_CLOCK_SKEW.name(), String.valueOf(Duration.ofDays(1).toMillis()));
        config.setProperty(AppConfig.METRICS_ENABLED.name(), "true");
        config.setProperty(AppConfig.METRICS_PORT.name(), "0");
        config.putAll(overrides);
        this.topics = TopicNames.withPrefix(TopicsConfig.PREFIX.from(config));
        this.serdeConfig = new HashMap<>();
        config.stringPropertyNames().forEach(k -> serdeConfig.put(k, config.getProperty(k)));
        this.app = new ConvoApplication(config);
        app.start();
        if (!app.awaitRunning(DEADLINE)) {
            app.close();
            throw new IllegalStateException("convo did not start");
        }
        // Up to 2 MB, to send values the broker takes (1,048,588) but convo's producer (1,048,576) would refuse.
        this.producer = KafkaTestClients.producer(bootstrapServers, new StringSerializer(), new ByteArraySerializer(),
                Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000_000));
        this.outputs = new Outputs();
    }

    @Override
    public void close() {
        outputs.close();
        producer.close();
        app.close();
        log.detach();
    }

    String nextId(String prefix) {
        return prefix + (++ids);
    }

    /**
     * The timestamp of the next command: 200 ms after the last one, so that the commands of a test class stay far
     * below a service's 30 actions per second (all of them share one service).
     */
    synchronized long now() {
        return start + (++ticks) * 200;
    }

    private synchronized long last() {
        return start + ticks * 200;
    }

    /** A key {@code prefix}-n that the default partitioner puts on {@code partition}. */
    static String keyOn(int partition, String prefix) {
        for (int n = 0; ; n++) {
            String key = prefix + "-" + n;
            if (Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS == partition) {
                return key;
            }
        }
    }

    /** A conversation command as the configured serde writes it (a custom serde's markers go through it too). */
    byte[] encode(SpecificRecord command) {
        return ConvoSerdes.valueSerde(ConversationCommand.class, serdeConfig).serializer()
                .serialize(topics.conversationCommands(), new ConversationCommand(command));
    }

    RecordMetadata send(String key, byte[] value) {
        try {
            return producer.send(new ProducerRecord<>(topics.conversationCommands(), null, last(), key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + topics.conversationCommands(), e);
        }
    }

    /** Waits until {@code condition} holds, polling the outputs; false at the deadline. */
    boolean await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            outputs.poll();
            if (condition.getAsBoolean()) {
                return true;
            }
        }
        return false;
    }

    HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.metricsPort() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int live() {
        return get("/health/live").statusCode();
    }

    /** The value of a Prometheus sample with (at least) these labels; null when there is none. */
    Double metric(String name, String... labels) {
        String body = get("/metrics").body();
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(body);
        while (m.find()) {
            boolean all = true;
            for (int i = 0; i < labels.length; i += 2) {
                all &= m.group(1).contains(labels[i] + "=\"" + labels[i + 1] + "\"");
            }
            if (all) {
                return Double.parseDouble(m.group(2));
            }
        }
        return null;
    }

    CreateConversation create(String conversationSid, String commandId) {
        return CreateConversation.newBuilder().setCommandId(commandId).setServiceSid(SERVICE).setTimestamp(now())
                .setConversationSid(conversationSid).build();
    }

    void created(String conversationSid) {
        send(conversationSid, encode(create(conversationSid, nextId("ok-"))));
    }

    /**
     * Sends a valid command before the bad one and three after it (two on its partition, one on the other), then a
     * last command on each partition, and waits until the last ones are decided: by then everything before them is.
     *
     * @return the conversations created around the bad record, each of which must have one event
     */
    List<String> around(String prefix, int partition, Runnable bad) {
        String before = keyOn(partition, prefix + "-before");
        created(before);
        bad.run();
        String after1 = keyOn(partition, prefix + "-after1");
        String after2 = keyOn(partition, prefix + "-after2");
        String other = keyOn(1 - partition, prefix + "-other");
        created(after1);
        created(after2);
        created(other);
        String last = keyOn(partition, prefix + "-last");
        String lastOther = keyOn(1 - partition, prefix + "-lastother");
        created(last);
        created(lastOther);
        assertThat(await(() -> !outputs.events(last).isEmpty() && !outputs.events(lastOther).isEmpty()))
                .as("the commands behind the bad record are decided (convo %s; rejections so far: %s)", app.state(),
                        outputs.rejectionsById).isTrue();
        return List.of(before, after1, after2, other, last, lastOther);
    }

    /** Each conversation created exactly once: nothing lost, nothing twice. */
    void decidedOnceEach(List<String> conversations) {
        for (String c : conversations) {
            assertThat(outputs.events(c)).as("events of %s", c).containsExactly("ConversationCreated");
        }
    }

    /** The one dead letter of {@code key}, once it is there. */
    ConsumerRecord<String, byte[]> theDeadLetter(String key) {
        assertThat(await(() -> !outputs.deadLetters(key).isEmpty())).as("dead letter of %s", key).isTrue();
        List<ConsumerRecord<String, byte[]>> letters = outputs.deadLetters(key);
        assertThat(letters).as("dead letters of %s", key).hasSize(1);
        return letters.get(0);
    }

    void stillRunningAndLive() {
        assertThat(app.state().isRunningOrRebalancing()).as("convo runs").isTrue();
        assertThat(live()).as("/health/live").isEqualTo(200);
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The committed outcomes so far: events, rejections and dead letters, read from offset 0. */
    final class Outputs implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Deserializer<ConversationEvent> events;
        private final Deserializer<CommandRejected> rejections;
        final List<ConsumerRecord<String, byte[]>> deadLetters = new ArrayList<>();
        /** Event type names by conversation, in log order. */
        final Map<String, List<String>> eventsByKey = new HashMap<>();
        /** Rejection codes by commandId. */
        final Map<String, List<String>> rejectionsById = new HashMap<>();
        /** Event commandIds in log order, all conversations. */
        final List<String> eventIds = new ArrayList<>();

        Outputs() {
            consumer = KafkaTestClients.consumer(bootstrapServers, new StringDeserializer(), new ByteArrayDeserializer(),
                    Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2_000_000));
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(topics.conversationEvents(), topics.commandRejections(), topics.commandsDlq())) {
                for (PartitionInfo p : consumer.partitionsFor(topic)) {
                    partitions.add(new TopicPartition(topic, p.partition()));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            events = ConvoSerdes.valueSerde(ConversationEvent.class, serdeConfig).deserializer();
            rejections = ConvoSerdes.valueSerde(CommandRejected.class, serdeConfig).deserializer();
        }

        void poll() {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.topic().equals(topics.commandsDlq())) {
                    deadLetters.add(r);
                } else if (r.topic().equals(topics.conversationEvents())) {
                    ConversationEvent e = events.deserialize(r.topic(), r.value());
                    SpecificRecord event = (SpecificRecord) e.getEvent();
                    eventsByKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(event.getSchema().getName());
                    eventIds.add(FaultInjectingSerde.commandId(e));
                } else {
                    CommandRejected rejection = rejections.deserialize(r.topic(), r.value());
                    rejectionsById.computeIfAbsent(rejection.getCommandId(), k -> new ArrayList<>())
                            .add(rejection.getCode().toString());
                }
            }
        }

        List<String> events(String key) {
            return eventsByKey.getOrDefault(key, List.of());
        }

        List<ConsumerRecord<String, byte[]>> deadLetters(String key) {
            return deadLetters.stream().filter(r -> key.equals(r.key())).toList();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    /** convo's log lines (loggers io.convo.*) while the harness runs. */
    static final class LogLines extends AbstractAppender {
        final List<String> lines = new CopyOnWriteArrayList<>();

        private LogLines() {
            super("poison-harness-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        }

        static LogLines attach() {
            LogLines appender = new LogLines();
            appender.start();
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            context.getConfiguration().addAppender(appender);
            context.getConfiguration().getRootLogger().addAppender(appender, Level.INFO, null);
            context.updateLoggers();
            return appender;
        }

        void detach() {
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            context.getConfiguration().getRootLogger().removeAppender(getName());
            context.updateLoggers();
            stop();
        }

        @Override
        public void append(LogEvent event) {
            if (event.getLoggerName().startsWith("io.convo")) {
                lines.add(event.getLevel() + " " + event.getLoggerName() + " " + event.getMessage().getFormattedMessage());
            }
        }

        boolean any(String... fragments) {
            return lines.stream().anyMatch(l -> {
                for (String f : fragments) {
                    if (!l.contains(f)) {
                        return false;
                    }
                }
                return true;
            });
        }
    }
}
