package io.convo.tools.chaos;

import io.convo.app.Convo;
import io.convo.model.ConversationCommand;
import io.convo.model.ServiceCommand;
import io.convo.model.TopicNames;
import io.convo.model.config.TopicsConfig;
import io.convo.model.json.CommandLine;
import io.convo.model.json.CommandTopic;
import io.convo.model.json.JsonLines;
import io.convo.model.serde.ConvoSerdes;
import io.convo.rules.Limits;
import io.convo.testkit.EmbeddedKafkaBroker;
import io.convo.topology.ConvoConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's Streams soak test, with a stronger oracle: an embedded broker, convo instances as separate processes,
 * a generated command stream produced while instances are killed with SIGKILL, one joins late and one leaves and
 * comes back (and, if asked, the broker is stopped for a while), then every outcome topic read with
 * {@code read_committed} and compared, key by key, with what `simulate` decides for the same commands, and
 * {@code convo replay} run against the stopped application.
 */
public final class ChaosHarness {

    private static final Logger log = LoggerFactory.getLogger(ChaosHarness.class);

    /**
     * @param commands      roughly how many commands to produce
     * @param kills         how many SIGKILLs, spread evenly over the stream
     * @param instances     how many convo processes
     * @param brokerOutage  how long the broker is stopped once, half way through (zero: never)
     */
    public record Settings(int commands, int kills, int instances, long seed, Duration brokerOutage, Path workDir,
                           Path appJar, Map<String, String> limits) {
    }

    /**
     * What a run did and found.
     *
     * @param joins          instances that joined the running group (scale-out)
     * @param leaves         instances that left it gracefully and came back
     * @param replayExitCode what {@code convo replay} exited with, run against the stopped application (0: the
     *                       event log rebuilds the state its changelogs hold)
     * @param replayOutput   what it printed
     * @param barriers       how many times the stream stopped until every outcome so far was in
     * @param barrierWait    how long those stops took in all
     * @param rejectionsByCode the rejections read, by code in code order: which limits the stream reached
     * @param restartMillis  from each restart after a kill to the restarted process's RUNNING
     * @param stallsRestarted for each kill whose victim came back within seconds, the worst per-partition stall
     *                        ({@link StallMonitor}), in ms
     * @param stallsNotBack  the same for the kill whose victim stayed down past the session timeout (its tasks taken
     *                       over by another instance)
     */
    public record Report(long commands, int kills, int joins, int leaves, long rebalances, long keysCompared,
                         long differences, Duration duration, List<Long> recoveryMillis, String differenceSample,
                         int replayExitCode, String replayOutput, int barriers, Duration barrierWait,
                         Map<String, Long> rejectionsByCode, List<Long> restartMillis, List<Long> stallsRestarted,
                         List<Long> stallsNotBack) {

        public long medianRecoveryMillis() {
            List<Long> sorted = recoveryMillis.stream().sorted().toList();
            return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
        }

        public long maxRecoveryMillis() {
            return recoveryMillis.stream().mapToLong(Long::longValue).max().orElse(0);
        }

        @Override
        public String toString() {
            return String.format("commands=%d kills=%d joins=%d leaves=%d rebalances=%d keys compared=%d"
                            + " differences=%d duration=%ds recovery median=%dms max=%dms (each: %s) restart to RUNNING"
                            + " %s ms; worst per-partition stall after a kill, restarted: %s ms, not back: %s ms;"
                            + " replay exit=%d barriers=%d waited %ds rejections=%s",
                    commands, kills, joins, leaves, rebalances, keysCompared, differences, duration.toSeconds(),
                    medianRecoveryMillis(), maxRecoveryMillis(), recoveryMillis, restartMillis, stallsRestarted,
                    stallsNotBack, replayExitCode, barriers, barrierWait.toSeconds(), rejectionsByCode);
        }
    }

    private static final String APPLICATION_ID = "convo-chaos";
    private static final int PARTITIONS = 6;
    /** How long the last victim stays down: past the shipped 10 s session timeout. */
    private static final Duration STAYS_DOWN = Duration.ofSeconds(25);
    private final Settings settings;
    private final TopicNames topics = TopicNames.withPrefix("");
    private final Random random;

    public ChaosHarness(Settings settings) {
        this.settings = settings;
        this.random = new Random(settings.seed());
    }

    public Report run() throws Exception {
        long began = System.nanoTime();
        List<ConvoInstance> processes = new ArrayList<>();
        List<SpecificRecord> produced = new ArrayList<>();
        ExecutorService outageThread = Executors.newSingleThreadExecutor();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(settings.workDir().resolve("broker"), 0)) {
            Properties config = instanceConfig(broker.bootstrapServers());
            for (int i = 0; i < settings.instances(); i++) {
                Properties own = new Properties();
                own.putAll(config);
                own.setProperty("state.dir", settings.workDir().resolve("instance-" + i).resolve("state").toString());
                processes.add(new ConvoInstance("instance-" + i, settings.appJar(),
                        settings.workDir().resolve("instance-" + i), own));
            }
            boolean scaleOut = settings.instances() > 1;
            // In this order: the first instance creates the topics the outcome log reads.
            try (InstanceGroup instances = InstanceGroup.start(processes, random, scaleOut);
                 KafkaProducer<String, byte[]> producer = producer(broker.bootstrapServers());
                 OutcomeLog outcomes = new OutcomeLog(broker.bootstrapServers(), topics);
                 StallMonitor stalls = new StallMonitor(broker.bootstrapServers(), topics, PARTITIONS)) {
                ChaosWorkload workload = new ChaosWorkload(settings.seed(), settings.commands(),
                        System.currentTimeMillis(), Limits.from(settings.limits()));
                CommandSender send = new CommandSender(producer, stalls);
                // Milestones, as shares of the stream: a late instance joins at a fifth, one leaves at three fifths.
                boolean joined = !scaleOut;
                boolean left = !scaleOut;
                boolean outageDone = settings.brokerOutage().isZero();
                int barriers = 0;
                long barrierWaitNanos = 0;
                for (ChaosWorkload.Phase phase = workload.next(); phase != null; phase = workload.next()) {
                    long done = produced.size();
                    if (!joined && done >= settings.commands() / 5) {
                        joined = true;
                        instances.joinLate();
                    }
                    if (instances.kills() < settings.kills()
                            && done >= (long) (instances.kills() + 1) * settings.commands() / (settings.kills() + 1)) {
                        // The last victim of a group stays down past the session timeout: another instance takes over.
                        boolean staysDown = scaleOut && instances.kills() == settings.kills() - 1;
                        (staysDown ? instances.killOne(STAYS_DOWN) : instances.killOne()).ifPresent(victim -> {
                            stalls.killed(victim, !staysDown);
                            log.info("kill {} of {}: {} after {} commands ({} outcomes read){}", instances.kills(),
                                    settings.kills(), victim, done, outcomes.commandOutcomes(),
                                    staysDown ? "; it stays down for " + STAYS_DOWN.toSeconds() + " s" : "");
                        });
                    }
                    if (!left && done >= settings.commands() * 3L / 5) {
                        left = true;
                        instances.leaveOne().ifPresent(name -> log.info("{} leaves after {} commands", name, done));
                    }
                    if (!outageDone && done >= settings.commands() / 2) {
                        outageDone = true;
                        // Another thread: while the broker is down, the producer's sends block this one.
                        outageThread.submit(() -> outage(broker, settings.brokerOutage()));
                    }
                    phase.commands().forEach(send::send);
                    produced.addAll(phase.commands());
                    producer.flush();
                    if (phase.barrier()) {
                        barriers++;
                        barrierWaitNanos += awaitOutcomes(outcomes, produced.size(), Duration.ofMinutes(5));
                    }
                }
                awaitOutcomes(outcomes, produced.size(), Duration.ofMinutes(5));
                instances.awaitAllBack(Duration.ofMinutes(2));
                outageThread.shutdown();
                outageThread.awaitTermination(2, TimeUnit.MINUTES);
                outcomes.readToEnd(Duration.ofMinutes(2));
                long rebalances = instances.rebalances();
                instances.stopAll();
                StringWriter replayOutput = new StringWriter();
                int replayExitCode = replay(broker.bootstrapServers(), replayOutput);
                log.info("convo replay exited with {}:\n{}", replayExitCode, replayOutput);
                Properties oracleConfig = new Properties();
                oracleConfig.putAll(settings.limits());
                OracleComparison.Result comparison = OracleComparison.compare(produced, oracleConfig, outcomes.lines());
                Files.writeString(settings.workDir().resolve("differences.txt"), comparison.details());
                Map<Boolean, List<Long>> worst = StallMonitor.worstStalls(stalls.kills(), System.nanoTime());
                Report report = new Report(produced.size(), instances.kills(), instances.joins(), instances.leaves(),
                        rebalances, comparison.keysCompared(), comparison.differences(),
                        Duration.ofNanos(System.nanoTime() - began), instances.recoveryMillis(), comparison.sample(),
                        replayExitCode, replayOutput.toString(), barriers, Duration.ofNanos(barrierWaitNanos),
                        outcomes.rejectionsByCode(), instances.restartMillis(), worst.getOrDefault(true, List.of()),
                        worst.getOrDefault(false, List.of()));
                log.info("chaos run: {}", report);
                return report;
            }
        } finally {
            outageThread.shutdownNow();
        }
    }

    /** Produces commands as a client would: to their topic, under their key, stamped with their timestamp. */
    private final class CommandSender {

        private final KafkaProducer<String, byte[]> producer;
        private final StallMonitor stalls;
        private final Serializer<ConversationCommand> conversationValues =
                ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).serializer();
        private final Serializer<ServiceCommand> serviceValues =
                ConvoSerdes.valueSerde(ServiceCommand.class, Map.of()).serializer();

        CommandSender(KafkaProducer<String, byte[]> producer, StallMonitor stalls) {
            this.producer = producer;
            this.stalls = stalls;
        }

        void send(SpecificRecord command) {
            CommandLine line = JsonLines.commandOf(command);
            byte[] value;
            String topic;
            if (line.topic() == CommandTopic.CONVERSATION) {
                topic = topics.conversationCommands();
                value = conversationValues.serialize(topic, (ConversationCommand) line.envelope());
            } else {
                topic = topics.serviceCommands();
                value = serviceValues.serialize(topic, (ServiceCommand) line.envelope());
            }
            producer.send(new ProducerRecord<>(topic, null, line.timestamp(), line.key(), value));
            stalls.produced(line.topic(), line.key());
        }
    }

    private Properties instanceConfig(String bootstrapServers) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrapServers);
        p.setProperty("application.id", APPLICATION_ID);
        p.setProperty(TopicsConfig.PARTITIONS.name(), String.valueOf(PARTITIONS));
        // Recovery runs with what convo run ships (issue 17): static membership, its session timeout, standbys.
        // The oracle runs later than the instances: their verdicts must not depend on the wall clock either.
        p.setProperty(ConvoConfig.MAX_CLOCK_SKEW.name(), "0");
        settings.limits().forEach(p::setProperty);
        return p;
    }

    /** Runs {@code convo replay}, as an operator would, against the stopped application. */
    private static int replay(String bootstrapServers, StringWriter output) {
        picocli.CommandLine convo = Convo.commandLine();
        PrintWriter out = new PrintWriter(output, true);
        convo.setOut(out);
        convo.setErr(out);
        return convo.execute("replay", "--bootstrap-servers", bootstrapServers, "--application-id", APPLICATION_ID);
    }

    private static Void outage(EmbeddedKafkaBroker broker, Duration length) throws InterruptedException {
        log.info("stopping the broker for {} s", length.toSeconds());
        broker.stop();
        Thread.sleep(length.toMillis());
        broker.restart();
        log.info("broker restarted");
        return null;
    }

    /** Returns how long it waited. */
    private static long awaitOutcomes(OutcomeLog outcomes, long expected, Duration timeout) {
        long began = System.nanoTime();
        long deadline = began + timeout.toNanos();
        while (outcomes.commandOutcomes() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + outcomes.commandOutcomes() + " of " + expected
                        + " outcomes within " + timeout);
            }
            outcomes.poll(Duration.ofMillis(200));
        }
        if (outcomes.commandOutcomes() > expected) {
            throw new IllegalStateException(outcomes.commandOutcomes() + " outcomes for " + expected + " commands");
        }
        return System.nanoTime() - began;
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000),
                new StringSerializer(), new ByteArraySerializer());
    }
}
