package io.convo.tools.bench;

import io.convo.model.CommandRejected;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.ServiceCommand;
import io.convo.model.ServiceEvent;
import io.convo.model.TopicNames;
import io.convo.model.config.TopicsConfig;
import io.convo.model.json.CommandLine;
import io.convo.model.json.CommandTopic;
import io.convo.model.json.JsonLines;
import io.convo.model.serde.ConvoSerdes;
import io.convo.operate.ChangelogState;
import io.convo.operate.EventLogReplay;
import io.convo.operate.OperateConfig;
import io.convo.operate.Simulator;
import io.convo.operate.StateComparison;
import io.convo.rules.Command;
import io.convo.rules.Events;
import io.convo.testkit.EmbeddedKafkaBroker;
import io.convo.topology.ConvoConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * convo's benchmark, shaped like Kafka's SimpleBenchmark: a load phase fills the input topics, then a timed run
 * processes them. The same N generated commands go through (1) convo's topology in a TopologyTestDriver, as
 * {@code simulate} runs it; (2) a pass-through Kafka Streams application and (3) convo's application, each in a JVM of
 * its own on one embedded broker with the same partitions, exactly_once_v2, commit interval and serdes. For (2) and
 * (3) it then measures command-to-outcome latency at a steady rate well below capacity, and the application's
 * resident memory after the load. Every outcome is checked against the generator's expectation, so the figures are
 * of work done right.
 */
public final class Benchmark {

    /**
     * What to run.
     *
     * @param latencyRate  the latency phase's steady rate, commands/s; 0: {@code latencyShare} of the capacity just
     *                     measured for the same application
     * @param latencyShare the share of capacity the latency phase offers when {@code latencyRate} is 0
     * @param workerConfig settings for both applications, over the benchmark's own
     */
    record Options(int commands, int latencyCommands, int latencyRate, double latencyShare, long seed, int partitions,
                   long commitIntervalMs, String workerHeap, List<String> workerJavaOptions,
                   Map<String, String> workerConfig, Path workDir,
                   boolean simulate) {
    }

    /** What an application wrote to one topic during the timed run, per command of the load. */
    record Written(String topic, double recordsPerCommand, double bytesPerCommand) {
    }

    /** Send-to-outcome latency of the paced phase, in milliseconds. */
    record Latency(int samples, double ratePerSecond, double p50Ms, double p90Ms, double p99Ms, double maxMs) {
    }

    /** One application's figures. */
    record AppRun(String application, double loadCommandsPerSecond, double commandsPerSecond, double processingSeconds,
                  long outcomes, long unexpectedOutcomes, List<String> unexpectedExamples, Latency latency, long rssBytes,
                  long peakRssBytes, long heapUsedAfterGcBytes, String workerHeap, double cpuMillisPerCommand,
                  List<Written> written) {

        double recordsPerCommand() {
            return written.stream().mapToDouble(Written::recordsPerCommand).sum();
        }

        double bytesPerCommand() {
            return written.stream().mapToDouble(Written::bytesPerCommand).sum();
        }
    }

    /** convo replay against the benchmark's application, after its run. */
    record Replay(long events, double replaySeconds, double eventsPerSecond, long changelogRecords, double verifySeconds,
                  boolean equal, long differences) {
    }

    /** The whole run. */
    record Result(Map<String, Object> machine, Options options, Map<String, Object> workload, double simulateCommandsPerSecond,
                  long simulateUnexpectedOutcomes, AppRun passThrough, AppRun convo, Replay replay, double throughputRatio,
                  double p50Ratio, double p99Ratio) {
    }

    /** A command ready to send, with what it must cause. */
    private record Encoded(CommandTopic topic, String key, long timestamp, byte[] value, String commandId,
                           String expected, CommandLine line) {
    }

    /** simulate alone ({@code --scenario simulate}). */
    record SimulateRun(int commands, double seconds, double commandsPerSecond, long unexpected) {
    }

    /** Hears about the phases, for a progress line. */
    interface Progress {
        void phase(String message);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Benchmark.class);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final Options options;
    private final Progress progress;
    private String loadAtStart;

    Benchmark(Options options, Progress progress) {
        this.options = options;
        this.progress = progress;
    }

    Result run() throws IOException, InterruptedException {
        loadAtStart = loadAverage();
        Files.createDirectories(options.workDir());
        CommandGenerator generator = generator(options.seed());
        progress.phase("generating " + options.commands() + " + " + options.latencyCommands() + " commands (seed "
                + options.seed() + ")");
        List<Encoded> load = encode(generator, options.commands());
        Map<String, Long> loadExpected = generator.expectedCounts();
        int conversations = generator.openConversations();
        List<Encoded> paced = encode(generator, options.latencyCommands());
        Map<String, Object> workload = workload(loadExpected, conversations);

        double simulateRate = 0;
        long simulateUnexpected = 0;
        if (options.simulate()) {
            progress.phase("simulate: " + load.size() + " commands through the TopologyTestDriver");
            double[] result = simulate(load);
            simulateRate = result[0];
            simulateUnexpected = (long) result[1];
        }
        AppRun pass;
        AppRun convo;
        Replay replay;
        // A fresh broker: nothing of an earlier run may be in the topics.
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startTemporary()) {
            pass = runApplication(BenchWorker.PASS_THROUGH, "pass.", broker, load, paced);
            convo = runApplication(BenchWorker.CONVO, "convo.", broker, load, paced);
            replay = replay(broker, "convo.", BenchWorker.CONVO + "-bench");
        }
        return new Result(machine(), options, workload, simulateRate, simulateUnexpected, pass, convo, replay,
                convo.commandsPerSecond() / pass.commandsPerSecond(),
                convo.latency().p50Ms() / pass.latency().p50Ms(), convo.latency().p99Ms() / pass.latency().p99Ms());
    }

    /** simulate's throughput on {@code commands} commands of the generated mix, without a broker or the applications. */
    static SimulateRun simulateOnly(int commands, long seed, Progress progress) throws IOException {
        CommandGenerator generator = generator(seed);
        progress.phase("generating " + commands + " commands (seed " + seed + ")");
        List<Encoded> load = encode(generator, commands);
        progress.phase("simulate: " + load.size() + " commands through the TopologyTestDriver");
        double[] result = simulate(load);
        return new SimulateRun(commands, commands / result[0], result[0], (long) result[1]);
    }

    private static CommandGenerator generator(long seed) {
        // Timestamps start at the current second: within the topology's clock-skew bound, and on a second boundary so
        // that the rate-limit windows fall as they do for any other start.
        long start = System.currentTimeMillis() / 1000 * 1000;
        CommandGenerator.Settings defaults = CommandGenerator.Settings.defaults(seed);
        return new CommandGenerator(defaults.withClock(start, defaults.stepMs()));
    }

    private static List<Encoded> encode(CommandGenerator generator, int count) {
        var conversations = ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).serializer();
        var services = ConvoSerdes.valueSerde(ServiceCommand.class, Map.of()).serializer();
        List<Encoded> encoded = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            CommandGenerator.Generated g = generator.next();
            CommandLine c = g.command();
            byte[] value = c.topic() == CommandTopic.CONVERSATION
                    ? conversations.serialize(TopicNames.CONVERSATION_COMMANDS, (ConversationCommand) c.envelope())
                    : services.serialize(TopicNames.SERVICE_COMMANDS, (ServiceCommand) c.envelope());
            encoded.add(new Encoded(c.topic(), c.key(), c.timestamp(), value, g.commandId(), g.expected(), c));
        }
        return encoded;
    }

    private static Map<String, Object> workload(Map<String, Long> expected, int conversations) {
        Map<String, Object> w = new LinkedHashMap<>();
        long total = expected.values().stream().mapToLong(Long::longValue).sum();
        long rejected = expected.entrySet().stream().filter(e -> isRejection(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        w.put("commands", total);
        w.put("rejectedShare", total == 0 ? 0 : (double) rejected / total);
        w.put("openConversationsAfterLoad", conversations);
        w.put("expectedOutcomes", new TreeMap<>(expected));
        return w;
    }

    /** Rejection codes are upper case (RATE_LIMITED); event names are not (MessageAdded). */
    private static boolean isRejection(String outcome) {
        return outcome.equals(outcome.toUpperCase(Locale.ROOT));
    }

    // ---- simulate -----------------------------------------------------------------------------------------------

    /** Commands/s of simulate's loop: parse the JSON line, pipe it, write every outcome as a JSON line (discarded). */
    private static double[] simulate(List<Encoded> commands) throws IOException {
        List<String> lines = new ArrayList<>(commands.size());
        for (Encoded e : commands) {
            lines.add(JsonLines.commandLine(e.line().envelope()));
        }
        long unexpected = 0;
        Writer sink = Writer.nullWriter();
        long started;
        long ended;
        try (Simulator convo = new Simulator(new Properties())) {
            started = System.nanoTime();
            for (int i = 0; i < lines.size(); i++) {
                CommandLine command = JsonLines.parseCommand(lines.get(i), i + 1);
                String outcome = null;
                for (Simulator.Output o : convo.pipe(command)) {
                    sink.write(JsonLines.outputLine(o.topic(), o.key(), o.value()));
                    sink.write('\n');
                    OutcomeTracker.Outcome decoded = outcomeOf(o.value());
                    if (decoded != null && decoded.commandId().equals(commands.get(i).commandId())) {
                        outcome = decoded.name();
                    }
                }
                if (!commands.get(i).expected().equals(outcome)) {
                    unexpected++;
                }
            }
            ended = System.nanoTime();
        }
        return new double[] {commands.size() / ((ended - started) / 1e9), unexpected};
    }

    // ---- the applications ---------------------------------------------------------------------------------------

    private AppRun runApplication(String mode, String prefix, EmbeddedKafkaBroker broker, List<Encoded> load,
                                  List<Encoded> paced) throws IOException, InterruptedException {
        TopicNames topics = TopicNames.withPrefix(prefix);
        boolean convo = mode.equals(BenchWorker.CONVO);
        List<String> outcomeTopics = convo
                ? List.of(topics.conversationEvents(), topics.serviceEvents(), topics.commandRejections())
                : List.of(prefix + PassThroughTopology.CONVERSATION_OUTPUT, prefix + PassThroughTopology.SERVICE_OUTPUT);
        List<String> all = new ArrayList<>(convo ? topics.all() : List.of(topics.conversationCommands(), topics.serviceCommands()));
        if (!convo) {
            all.addAll(outcomeTopics);
        }
        Properties client = new Properties();
        client.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        createTopics(client, all, options.partitions());

        progress.phase(mode + ": load phase, " + load.size() + " commands into " + topics.conversationCommands() + " and "
                + topics.serviceCommands());
        double loadRate = produceAll(client, topics, load);

        Properties streams = ConvoConfig.streamsDefaults();
        streams.setProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        streams.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, mode + "-bench");
        Path stateDir = Files.createTempDirectory(options.workDir(), "state-" + mode + "-");
        streams.setProperty(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        streams.setProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(options.commitIntervalMs()));
        streams.setProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "1");
        streams.setProperty(TopicsConfig.PREFIX.name(), prefix);
        streams.setProperty(ConvoConfig.STORE_TYPE.name(), "rocksdb");
        streams.setProperty(BenchWorker.OUTPUT_PREFIX, prefix);
        streams.putAll(options.workerConfig());
        Path configFile = options.workDir().resolve(mode + ".properties");
        try (Writer w = Files.newBufferedWriter(configFile, StandardCharsets.UTF_8)) {
            streams.store(w, "convo bench worker: " + mode);
        }

        try (OutcomeTracker tracker = new OutcomeTracker(client, outcomeTopics, convo ? convoDecoder(topics) : passDecoder(prefix));
             Worker worker = new Worker(mode, configFile, options.workDir().resolve(mode + ".log"), options.workerHeap(),
                     options.workerJavaOptions())) {
            progress.phase(mode + ": timed run (worker pid " + worker.pid() + ")");
            long running = worker.awaitRunning(START_TIMEOUT);
            Map<String, long[]> before = topicTotals(client, prefix, mode);
            double cpuBefore = worker.cpuSeconds();
            long last = tracker.awaitCount(load.size(), RUN_TIMEOUT, worker::check);
            double cpuMillisPerCommand = (worker.cpuSeconds() - cpuBefore) * 1000 / load.size();
            List<Written> written = written(before, topicTotals(client, prefix, mode), load.size());
            double seconds = (last - running) / 1e9;
            double rate = load.size() / seconds;
            progress.phase(String.format("%s: %d commands in %.1f s = %.0f commands/s; %.2f ms CPU, %.1f records and"
                            + " %.0f bytes written per command", mode, load.size(), seconds, rate, cpuMillisPerCommand,
                    written.stream().mapToDouble(Written::recordsPerCommand).sum(),
                    written.stream().mapToDouble(Written::bytesPerCommand).sum()));

            long heap = worker.heapAfterGc();
            long[] rss = worker.rss();
            progress.phase(String.format("%s: resident memory %d MiB after the load (heap in use after GC %d MiB)",
                    mode, rss[0] >> 20, heap >> 20));

            // At a stated share of the capacity just measured, so that the phase measures latency, not queueing.
            int pacedRate = options.latencyRate() > 0 ? options.latencyRate()
                    : (int) Math.max(1, Math.round(options.latencyShare() * rate));
            progress.phase(mode + ": latency phase, " + paced.size() + " commands at " + pacedRate + "/s ("
                    + (options.latencyRate() > 0 ? "as asked" : String.format("%.0f%% of %.0f commands/s",
                    100 * options.latencyShare(), rate)) + ")");
            producePaced(client, topics, paced, tracker, pacedRate);
            tracker.awaitCount(load.size() + paced.size(), RUN_TIMEOUT, worker::check);
            Latency latency = latency(tracker.latencies(), pacedRate);
            progress.phase(String.format("%s: latency p50 %.0f ms, p99 %.0f ms", mode, latency.p50Ms(), latency.p99Ms()));

            List<String> examples = new ArrayList<>();
            long unexpected = unexpected(tracker.outcomes(), load, paced, convo, examples);
            return new AppRun(mode, loadRate, rate, seconds, tracker.count(), unexpected, examples, latency, rss[0], rss[1],
                    heap, options.workerHeap(), cpuMillisPerCommand, written);
        }
    }

    /**
     * Records (offsets, transaction markers included) and bytes (log size on disk) of every topic the application
     * {@code mode} writes: its prefixed output topics and its internal topics (changelogs, repartitions), not the
     * command topics the load was produced to.
     */
    private static Map<String, long[]> topicTotals(Properties client, String prefix, String mode) {
        String internal = mode + "-bench-";
        try (Admin admin = Admin.create(OperateConfig.adminConfig(client))) {
            Set<String> names = new TreeSet<>();
            for (String t : admin.listTopics().names().get(1, TimeUnit.MINUTES)) {
                boolean commands = t.equals(prefix + TopicNames.CONVERSATION_COMMANDS)
                        || t.equals(prefix + TopicNames.SERVICE_COMMANDS);
                if ((t.startsWith(prefix) && !commands) || t.startsWith(internal)) {
                    names.add(t);
                }
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicDescription d : admin.describeTopics(names).allTopicNames().get(1, TimeUnit.MINUTES).values()) {
                d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
            }
            Map<String, long[]> totals = new TreeMap<>();
            admin.listOffsets(latest).all().get(1, TimeUnit.MINUTES).forEach((tp, o) ->
                    totals.computeIfAbsent(tp.topic(), t -> new long[2])[0] += o.offset());
            List<Integer> brokers = admin.describeCluster().nodes().get(1, TimeUnit.MINUTES).stream().map(Node::id).toList();
            admin.describeLogDirs(brokers).allDescriptions().get(1, TimeUnit.MINUTES).values().forEach(dirs ->
                    dirs.values().forEach(dir -> dir.replicaInfos().forEach((tp, info) -> {
                        long[] t = totals.get(tp.topic());
                        if (t != null) {
                            t[1] += info.size();
                        }
                    })));
            return totals;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the topics' offsets and sizes", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What was written between two {@link #topicTotals}, per command, largest first. */
    private static List<Written> written(Map<String, long[]> before, Map<String, long[]> after, int commands) {
        List<Written> written = new ArrayList<>();
        after.forEach((topic, a) -> {
            long[] b = before.getOrDefault(topic, new long[2]);
            if (a[0] > b[0]) {
                written.add(new Written(topic, (double) (a[0] - b[0]) / commands, (double) (a[1] - b[1]) / commands));
            }
        });
        written.sort((x, y) -> Double.compare(y.bytesPerCommand(), x.bytesPerCommand()));
        return written;
    }

    /** Replays convo's event log and verifies it against the changelogs the run left, as convo replay does. */
    private Replay replay(EmbeddedKafkaBroker broker, String prefix, String applicationId) {
        Properties config = new Properties();
        config.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.setProperty(TopicsConfig.PREFIX.name(), prefix);
        config.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        progress.phase("replay: the event log into a fresh state, verified against " + applicationId + "'s changelogs");
        try (EventLogReplay replay = new EventLogReplay(config); ChangelogState live = new ChangelogState(config)) {
            long started = System.nanoTime();
            long events = replay.catchUp(null);
            double replaySeconds = (System.nanoTime() - started) / 1e9;
            started = System.nanoTime();
            long records = live.catchUp(null);
            StateComparison.Result result = StateComparison.compare(live.snapshot(), replay.projection().state(), 10);
            double verifySeconds = (System.nanoTime() - started) / 1e9;
            // The application stopped after its last outcome; releases of memberships may have landed just after it.
            for (int round = 0; round < 10 && !result.equal(); round++) {
                sleepQuietly(1_000);
                replay.catchUp(null);
                live.catchUp(null);
                result = StateComparison.compare(live.snapshot(), replay.projection().state(), 10);
            }
            result.differences().forEach(d -> LOG.warn("replay: {}", d.describe()));
            progress.phase(String.format("replay: %d events in %.1f s (%.0f/s), %s", events, replaySeconds,
                    events / replaySeconds, result.equal() ? "state equal" : result.differenceCount() + " differences"));
            return new Replay(events, replaySeconds, events / replaySeconds, records, verifySeconds, result.equal(),
                    result.differenceCount());
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private double produceAll(Properties client, TopicNames topics, List<Encoded> commands) {
        Map<String, Object> config = OperateConfig.producerConfig(client);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        long started = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (Encoded e : commands) {
                producer.send(record(topics, e));
            }
            producer.flush();
        }
        return commands.size() / ((System.nanoTime() - started) / 1e9);
    }

    /** Sends at a steady rate, noting each command's send time just before it goes. */
    private void producePaced(Properties client, TopicNames topics, List<Encoded> commands, OutcomeTracker tracker,
                              int ratePerSecond) {
        Map<String, Object> config = OperateConfig.producerConfig(client);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            long interval = 1_000_000_000L / ratePerSecond;
            long start = System.nanoTime();
            for (int i = 0; i < commands.size(); i++) {
                long due = start + i * interval;
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
                Encoded e = commands.get(i);
                tracker.sending(e.commandId(), System.nanoTime());
                producer.send(record(topics, e));
            }
            producer.flush();
        }
    }

    private static ProducerRecord<String, byte[]> record(TopicNames topics, Encoded e) {
        String topic = e.topic() == CommandTopic.CONVERSATION ? topics.conversationCommands() : topics.serviceCommands();
        return new ProducerRecord<>(topic, null, e.timestamp(), e.key(), e.value());
    }

    private static Latency latency(List<Long> nanos, double rate) {
        if (nanos.isEmpty()) {
            return new Latency(0, rate, 0, 0, 0, 0);
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return new Latency(sorted.size(), rate, percentile(sorted, 0.50), percentile(sorted, 0.90), percentile(sorted, 0.99),
                sorted.get(sorted.size() - 1) / 1e6);
    }

    /** The nearest-rank percentile, in ms. */
    static double percentile(List<Long> sortedNanos, double p) {
        int rank = (int) Math.ceil(p * sortedNanos.size());
        return sortedNanos.get(Math.max(0, rank - 1)) / 1e6;
    }

    /** Commands whose outcomes (as a multiset: a resent command has two) are not the expected ones. */
    private static long unexpected(Map<String, List<String>> seen, List<Encoded> load, List<Encoded> paced, boolean convo,
                                   List<String> examples) {
        Map<String, List<String>> expected = new HashMap<>();
        Map<String, String> keys = new HashMap<>();
        for (List<Encoded> part : List.of(load, paced)) {
            for (Encoded e : part) {
                keys.put(e.commandId(), e.key());
                expected.computeIfAbsent(e.commandId(), id -> new ArrayList<>(1)).add(convo ? e.expected() : "copied");
            }
        }
        long unexpected = 0;
        for (Map.Entry<String, List<String>> e : expected.entrySet()) {
            List<String> want = new ArrayList<>(e.getValue());
            List<String> got = new ArrayList<>(seen.getOrDefault(e.getKey(), List.of()));
            Collections.sort(want);
            Collections.sort(got);
            if (!want.equals(got)) {
                if (examples.size() < 10) {
                    examples.add("command " + e.getKey() + " to " + keys.get(e.getKey()) + ": expected " + want + ", saw " + got);
                    LOG.warn("command {} to {}: expected {}, saw {}", e.getKey(), keys.get(e.getKey()), want, got);
                }
                unexpected++;
            }
        }
        return unexpected;
    }

    static BiFunction<String, byte[], OutcomeTracker.Outcome> convoDecoder(TopicNames topics) {
        Deserializer<ConversationEvent> events = ConvoSerdes.valueSerde(ConversationEvent.class, Map.of()).deserializer();
        Deserializer<ServiceEvent> serviceEvents = ConvoSerdes.valueSerde(ServiceEvent.class, Map.of()).deserializer();
        Deserializer<CommandRejected> rejections = ConvoSerdes.valueSerde(CommandRejected.class, Map.of()).deserializer();
        return (topic, bytes) -> {
            if (topic.equals(topics.conversationEvents())) {
                return outcomeOf(events.deserialize(topic, bytes));
            }
            if (topic.equals(topics.serviceEvents())) {
                return outcomeOf(serviceEvents.deserialize(topic, bytes));
            }
            return outcomeOf(rejections.deserialize(topic, bytes));
        };
    }

    private static BiFunction<String, byte[], OutcomeTracker.Outcome> passDecoder(String prefix) {
        Deserializer<ConversationCommand> conversations = ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).deserializer();
        Deserializer<ServiceCommand> services = ConvoSerdes.valueSerde(ServiceCommand.class, Map.of()).deserializer();
        String conversationOutput = prefix + PassThroughTopology.CONVERSATION_OUTPUT;
        return (topic, bytes) -> new OutcomeTracker.Outcome((topic.equals(conversationOutput)
                ? Command.of(conversations.deserialize(topic, bytes))
                : Command.of(services.deserialize(topic, bytes))).commandId(), "copied");
    }

    /** The commandId and outcome name of an event or rejection; null for an event no command caused. */
    public static OutcomeTracker.Outcome outcomeOf(SpecificRecord value) {
        if (value instanceof CommandRejected r) {
            return new OutcomeTracker.Outcome(r.getCommandId(), r.getCode());
        }
        Object inner = value instanceof ConversationEvent e ? e.getEvent()
                : value instanceof ServiceEvent e ? e.getEvent() : null;
        String commandId = inner instanceof SpecificRecord event ? Events.commandId(event) : null;
        if (commandId != null) {
            return new OutcomeTracker.Outcome(commandId, ((SpecificRecord) inner).getSchema().getName());
        }
        return null;
    }

    static void createTopics(Properties client, List<String> names, int partitions) throws InterruptedException {
        try (Admin admin = Admin.create(OperateConfig.adminConfig(client))) {
            List<NewTopic> topics = names.stream()
                    .map(n -> new NewTopic(n, partitions, (short) 1).configs(ConvoConfig.topicConfig()))
                    .toList();
            try {
                admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create the benchmark's topics", e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("creating the benchmark's topics took over a minute", e);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                try {
                    var described = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values();
                    boolean led = described.stream().flatMap(d -> d.partitions().stream()).allMatch(p -> p.leader() != null);
                    if (led) {
                        // A leader in the metadata is not yet a leader that serves: list offsets, which needs one.
                        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                        described.forEach(d -> d.partitions().forEach(p -> latest.put(
                                new TopicPartition(d.name(), p.partition()),
                                OffsetSpec.latest())));
                        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not served yet
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("the benchmark's topics were not served within 60 s");
        }
    }

    private Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memoryBytes", procValue("/proc/meminfo", "MemTotal:") * 1024);
        m.put("cpu", cpuModel());
        m.put("jdk", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        // The machine may be shared: the load around the run says how much of it the benchmark had.
        m.put("loadAverageAtStart", loadAtStart);
        m.put("loadAverageAtEnd", loadAverage());
        return m;
    }

    /** The 1, 5 and 15 minute load averages, as /proc/loadavg gives them. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "unknown";
    }

    /** A number in kB from a /proc file line such as {@code VmRSS:   123456 kB}; -1 when absent. */
    static long procValue(String file, String field) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    /** The application under test, as a child JVM running {@link BenchWorker}. */
    static final class Worker implements AutoCloseable {
        /** USER_HZ, 100 on Linux on every architecture the JDK runs on. */
        private static final int CLOCK_TICKS = 100;
        private final Process process;
        private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final Path log;
        private final OutputStream commands;

        Worker(String mode, Path config, Path log, String heap, List<String> javaOptions) throws IOException {
            this.log = log;
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-Xmx" + heap);
            command.addAll(javaOptions);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchWorker.class.getName(), mode,
                    config.toString()));
            ProcessBuilder builder = new ProcessBuilder(command);
            // As bin/convo runs convo: glibc's per-thread malloc arenas would hold RocksDB's freed memory apart.
            builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
            builder.redirectError(log.toFile());
            process = builder.start();
            commands = process.getOutputStream();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (line.startsWith(BenchWorker.PREFIX)) {
                            messages.add(line.substring(BenchWorker.PREFIX.length()));
                        }
                    }
                } catch (IOException e) {
                    // the worker is gone
                }
            }, "convo-bench-worker-" + mode);
            reader.setDaemon(true);
            reader.start();
        }

        long pid() {
            return process.pid();
        }

        /** Waits for the worker's Kafka Streams to run; returns when it said so (System.nanoTime). */
        long awaitRunning(Duration timeout) throws InterruptedException {
            String message = next(timeout);
            if (!message.equals(BenchWorker.RUNNING)) {
                throw new IllegalStateException("the worker failed: " + message + " (see " + log + ")");
            }
            return System.nanoTime();
        }

        void check() {
            if (!process.isAlive()) {
                throw new IllegalStateException("the worker exited with " + process.exitValue() + " (see " + log + ")");
            }
            String failed = messages.peek();
            if (failed != null && failed.startsWith(BenchWorker.FAILED)) {
                throw new IllegalStateException("the worker's Kafka Streams failed (see " + log + ")");
            }
        }

        long heapAfterGc() throws InterruptedException {
            send("heap");
            String message = next(Duration.ofMinutes(1));
            if (!message.startsWith(BenchWorker.HEAP)) {
                throw new IllegalStateException("the worker answered " + message + " (see " + log + ")");
            }
            return Long.parseLong(message.substring(BenchWorker.HEAP.length()).trim());
        }

        /** CPU time the worker used so far (user and system), from /proc/PID/stat; clock ticks of 1/100 s. */
        double cpuSeconds() {
            try {
                String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
                // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }

        /** VmRSS and VmHWM (peak) in bytes. */
        long[] rss() {
            String status = "/proc/" + process.pid() + "/status";
            return new long[] {procValue(status, "VmRSS:") * 1024, procValue(status, "VmHWM:") * 1024};
        }

        private String next(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String message = messages.poll(200, TimeUnit.MILLISECONDS);
                if (message != null) {
                    return message;
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("the worker exited with " + process.exitValue() + " (see " + log + ")");
                }
            }
            throw new IllegalStateException("no word from the worker within " + timeout.toSeconds() + " s (see " + log + ")");
        }

        private void send(String command) {
            try {
                commands.write((command + "\n").getBytes(StandardCharsets.UTF_8));
                commands.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the worker does not listen (see " + log + ")", e);
            }
        }

        @Override
        public void close() {
            if (!process.isAlive()) {
                return;
            }
            try {
                send("stop");
            } catch (UncheckedIOException e) {
                // already going
            }
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroy();
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
