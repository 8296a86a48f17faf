package io.convo.tools.bench;

import io.convo.model.ConversationCommand;
import io.convo.model.CreateConversation;
import io.convo.model.TopicNames;
import io.convo.model.config.TopicsConfig;
import io.convo.model.serde.ConvoSerdes;
import io.convo.testkit.EmbeddedKafkaBroker;
import io.convo.topology.BoundedRocksDbMemory;
import io.convo.topology.ConvoConfig;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * {@code convo bench --scenario many-conversations} (issue 16): memory with many conversations. {@code n}
 * conversations are created (a thousand per service, their timestamps spaced at the service's APS limit) and convo's
 * topology processes them in a JVM of its own with RocksDB stores and the shipped bounded RocksDB memory
 * ({@link BoundedRocksDbMemory}); once every creation is decided, the worker's resident memory and its heap in use
 * after a full GC are read. Every creation must be accepted.
 */
public final class ManyConversations {

    /** What the run printed. */
    public record Result(int conversations, int services, double seconds, double perSecond, long rssBytes,
                         long peakRssBytes, long heapAfterGcBytes, String workerHeap, long rocksDbMemoryBytes,
                         long unexpected) {
    }

    private static final int PER_SERVICE = 1_000;
    /** Creations of one service are spaced past its APS limit (30 per second). */
    private static final long SPACING_MS = 34;
    private static final int PARTITIONS = 4;

    private final int conversations;
    private final String workerHeap;
    private final List<String> workerJavaOptions;
    private final long rocksDbMemory;
    private final Path workDir;
    private final Consumer<String> progress;

    public ManyConversations(int conversations, String workerHeap, List<String> workerJavaOptions, long rocksDbMemory,
                             Path workDir, Consumer<String> progress) {
        this.conversations = conversations;
        this.workerHeap = workerHeap;
        this.workerJavaOptions = List.copyOf(workerJavaOptions);
        this.rocksDbMemory = rocksDbMemory;
        this.workDir = workDir;
        this.progress = progress;
    }

    public Result run() throws Exception {
        Files.createDirectories(workDir);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary()) {
            Properties client = new Properties();
            client.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            TopicNames topics = TopicNames.withPrefix("");
            Benchmark.createTopics(client, topics.all(), PARTITIONS);
            int services = (conversations + PER_SERVICE - 1) / PER_SERVICE;
            progress.accept("producing " + conversations + " CreateConversation commands in " + services + " services");
            produce(broker.bootstrapServers(), topics, services);

            Path config = workerConfig(broker.bootstrapServers());
            try (OutcomeTracker tracker = new OutcomeTracker(client, List.of(topics.conversationEvents(),
                    topics.commandRejections()), Benchmark.convoDecoder(topics));
                 Benchmark.Worker worker = new Benchmark.Worker(BenchWorker.CONVO, config,
                         workDir.resolve("many-conversations.log"), workerHeap, workerJavaOptions)) {
                progress.accept("convo (worker pid " + worker.pid() + ", -Xmx" + workerHeap + ", RocksDB memory "
                        + (rocksDbMemory >> 20) + " MiB) processes them");
                long running = worker.awaitRunning(Duration.ofMinutes(2));
                long last = tracker.awaitCount(conversations, Duration.ofMinutes(60), worker::check);
                double seconds = (last - running) / 1e9;
                long heap = worker.heapAfterGc();
                long[] rss = worker.rss();
                long unexpected = tracker.outcomes().values().stream()
                        .filter(names -> !names.equals(List.of("ConversationCreated"))).count();
                return new Result(conversations, services, seconds, conversations / seconds, rss[0], rss[1], heap,
                        workerHeap, rocksDbMemory, unexpected);
            }
        }
    }

    private void produce(String bootstrapServers, TopicNames topics, int services) {
        Serializer<ConversationCommand> values = ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).serializer();
        long base = System.currentTimeMillis() - PER_SERVICE * SPACING_MS;
        try (KafkaProducer<String, ConversationCommand> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new StringSerializer(), values)) {
            for (int i = 0; i < conversations; i++) {
                String service = String.format("IS%032d", i % services);
                String sid = String.format("CH%032d", i);
                long at = base + (i / services) * SPACING_MS;
                producer.send(new ProducerRecord<>(topics.conversationCommands(), null, at, sid, new ConversationCommand(
                        CreateConversation.newBuilder().setCommandId("many-" + i).setServiceSid(service).setTimestamp(at)
                                .setConversationSid(sid).setFriendlyName("conversation " + i).build())));
            }
        }
    }

    private Path workerConfig(String bootstrapServers) throws IOException {
        Properties streams = ConvoConfig.streamsDefaults();
        streams.setProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        streams.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, "convo-many-conversations");
        streams.setProperty(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(workDir, "state-many-").toString());
        streams.setProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        streams.setProperty(TopicsConfig.PREFIX.name(), "");
        streams.setProperty(ConvoConfig.STORE_TYPE.name(), "rocksdb");
        streams.setProperty(BoundedRocksDbMemory.MEMORY.name(), String.valueOf(rocksDbMemory));
        Path file = workDir.resolve("many-conversations.properties");
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            streams.store(w, "convo bench --scenario many-conversations worker");
        }
        return file;
    }

    /** The figures in words. */
    static String describe(Result r) {
        return String.format("many conversations: %d conversations in %d services, created in %.1f s (%.0f per second);"
                        + " worker -Xmx%s, RocksDB memory %d MiB: RSS %d MiB (peak %d MiB), heap in use after GC %d MiB;"
                        + " %d unexpected outcomes", r.conversations(), r.services(), r.seconds(), r.perSecond(),
                r.workerHeap(), r.rocksDbMemoryBytes() >> 20, r.rssBytes() >> 20, r.peakRssBytes() >> 20,
                r.heapAfterGcBytes() >> 20, r.unexpected());
    }
}
