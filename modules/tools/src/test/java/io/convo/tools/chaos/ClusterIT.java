package io.convo.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.app.Convo;
import io.convo.model.TopicNames;
import io.convo.model.json.JsonLines;
import io.convo.rules.Limits;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * convo on a real cluster, in Docker: {@code docker/docker-compose.cluster.yml}'s three KRaft brokers (replication
 * factor 3, min.insync.replicas 2) and two convo instances. The chaos workload's commands go in through
 * {@code convo produce}; one broker is killed with {@code docker kill} while they flow and started again later, and
 * every outcome topic, read with read_committed, is compared key by key with what `simulate` decides for the same
 * commands (the chaos test's oracle): every command has exactly one outcome, and it is simulate's. Then a convo
 * instance is killed and started again, and the whole stream is compared once more.
 *
 * <p>Runs only with {@code -Dconvo.cluster.test=true}: it needs a Docker engine with the images
 * {@code docker/local-images/build} makes (or the public ones), and several minutes (the README's Docker section).
 */
@EnabledIfSystemProperty(named = "convo.cluster.test", matches = "true",
        disabledReason = "the Docker cluster test runs with -Dconvo.cluster.test=true (README, Docker section)")
class ClusterIT {

    private static final Logger log = LoggerFactory.getLogger(ClusterIT.class);

    /** The public images the compose file and convo's Dockerfile name. */
    private static final List<String> IMAGES = List.of("apache/kafka:4.1.1", "eclipse-temurin:17-jre");
    private static final List<String> BROKERS = List.of("kafka-1", "kafka-2", "kafka-3");
    private static final List<String> INSTANCES = List.of("convo-1", "convo-2");
    /** The compose file's CONVO_APPLICATION_ID: the instances' consumer group. */
    private static final String APPLICATION_ID = "convo";
    private static final long SEED = 18L;
    /** Commands per {@code convo produce} run, unless a barrier of the workload comes first. */
    private static final int BATCH = 400;
    private static final Duration OUTCOMES_TIMEOUT = Duration.ofMinutes(5);

    private final TopicNames topics = TopicNames.withPrefix("");

    @Test
    void everyCommandIsDecidedOnceAsSimulateDecidesItWhileABrokerAndThenAnInstanceAreKilled() throws Exception {
        int commands = Integer.getInteger("cluster.commands", 6_000);
        Path jar = Path.of(System.getProperty("convo.app.jar")).toAbsolutePath().normalize();
        assertThat(jar).as("the application's shaded jar, which the convo image is built from").isRegularFile();
        Path repo = jar.getParent().getParent().getParent().getParent();
        for (String image : IMAGES) {
            assertThat(ComposeCluster.imageExists(image))
                    .as("%s in the local Docker engine (docker/local-images/build pulls it or builds a stand-in)", image)
                    .isTrue();
        }
        Path work = Files.createDirectories(Path.of("target", "cluster-it").toAbsolutePath());
        try (var old = Files.list(work)) {
            for (Path file : old.toList()) {
                Files.delete(file); // the last run's commands and logs
            }
        }
        List<Integer> ports = freeLoopbackPorts(BROKERS.size());
        Map<String, String> environment = new HashMap<>();
        for (int i = 0; i < BROKERS.size(); i++) {
            environment.put("KAFKA_" + (i + 1) + "_HOST_PORT", Integer.toString(ports.get(i)));
        }
        String bootstrap = ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
        long began = System.nanoTime();

        try (ComposeCluster cluster = new ComposeCluster("convo-cluster-it-" + ProcessHandle.current().pid(),
                List.of(repo.resolve("docker/docker-compose.cluster.yml"), writeTestSettings(work)), environment, work)) {
            cluster.up(Duration.ofMinutes(10));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                awaitGroup(admin, INSTANCES.size(), Duration.ofMinutes(5));
                long upMillis = millisSince(began);
                log.info("cluster up: {} brokers, {} instances in the group after {} ms", BROKERS.size(),
                        INSTANCES.size(), upMillis);
                assertReplicated(admin);

                try (OutcomeLog outcomes = new OutcomeLog(bootstrap, topics)) {
                    Run run = new Run(cluster, admin, outcomes, bootstrap, work, commands);
                    run.drive();
                    System.out.printf("CLUSTER commands=%d up=%ds; broker %s killed, down %d ms, longest wait for"
                                    + " outcomes in that phase %d ms; instance %s killed, down %d ms, longest wait %d ms;"
                                    + " first comparison (%d commands): %d topic/key sequences, %d differences; last"
                                    + " comparison: %d sequences, %d differences; total %ds%n",
                            run.produced.size(), upMillis / 1000, run.brokerVictim, run.brokerDownMillis,
                            run.brokerPhaseLongestWaitMillis, run.instanceVictim, run.instanceDownMillis,
                            run.instancePhaseLongestWaitMillis, run.firstCommands, run.first.keysCompared(),
                            run.first.differences(), run.last.keysCompared(), run.last.differences(),
                            millisSince(began) / 1000);
                }
            }
        }
    }

    /**
     * The command stream and the faults, in order: a broker killed at 15% of the stream and started at 35%, the first
     * comparison at half (after the broker is back in every ISR), an instance killed at 60% and started at 80%, and
     * the last comparison at the end (after the instance is back in the group).
     *
     * <p>The broker is killed right after a batch is acknowledged, while the instances are still deciding it and the
     * next batches are produced with it down; not in the middle of a send. A send in flight when its partition's leader
     * dies can fail: seen by hand on this cluster, {@code convo produce} retried OUT_OF_ORDER_SEQUENCE_NUMBER on one
     * partition until the 120 s delivery timeout and reported 4 of 450 commands failed (exit code 1), which is Kafka's
     * producer, not convo (the README's Docker section). The other faults happen while a batch is being produced.
     */
    private final class Run {

        /** A fault, done while the next batch is produced, or right after it is acknowledged. */
        private record Fault(boolean duringSend, Runnable action) {
        }

        final ComposeCluster cluster;
        final Admin admin;
        final OutcomeLog outcomes;
        final String bootstrap;
        final Path work;
        final int target;
        final List<SpecificRecord> produced = new ArrayList<>();
        final Properties oracleConfig = new Properties();
        final ExecutorService faults = Executors.newSingleThreadExecutor();
        String brokerVictim;
        String instanceVictim;
        long brokerKilledNanos;
        long brokerDownMillis = -1;
        long instanceKilledNanos;
        long instanceDownMillis = -1;
        /** The longest wait for outcomes (at a barrier or a comparison) in the current phase. */
        long longestWaitMillis;
        long brokerPhaseLongestWaitMillis;
        long instancePhaseLongestWaitMillis;
        OracleComparison.Result first;
        int firstCommands;
        OracleComparison.Result last;
        int batches;

        Run(ComposeCluster cluster, Admin admin, OutcomeLog outcomes, String bootstrap, Path work, int target) {
            this.cluster = cluster;
            this.admin = admin;
            this.outcomes = outcomes;
            this.bootstrap = bootstrap;
            this.work = work;
            this.target = target;
            oracleConfig.putAll(ChaosWorkload.smallLimits());
        }

        void drive() throws Exception {
            try {
                ChaosWorkload workload = new ChaosWorkload(SEED, target, System.currentTimeMillis(),
                        Limits.from(ChaosWorkload.smallLimits()));
                List<SpecificRecord> batch = new ArrayList<>();
                for (ChaosWorkload.Phase phase = workload.next(); phase != null; phase = workload.next()) {
                    batch.addAll(phase.commands());
                    if (batch.size() >= BATCH || phase.barrier()) {
                        send(batch);
                        if (phase.barrier()) {
                            awaitOutcomes(OUTCOMES_TIMEOUT);
                        }
                        if (first == null && produced.size() >= target / 2) {
                            checkAfterBrokerPhase();
                            brokerPhaseLongestWaitMillis = longestWaitMillis;
                            longestWaitMillis = 0;
                        }
                    }
                }
                send(batch);
                checkAfterInstancePhase();
                instancePhaseLongestWaitMillis = longestWaitMillis;
            } finally {
                faults.shutdownNow();
            }
        }

        /** Produces the batch with {@code convo produce}, doing the faults that are due meanwhile or right after. */
        private void send(List<SpecificRecord> batch) throws Exception {
            if (batch.isEmpty()) {
                return;
            }
            Fault due = dueFault();
            Future<?> during = due != null && due.duringSend() ? faults.submit(due.action()) : null;
            produce(batch);
            if (during != null) {
                during.get(2, TimeUnit.MINUTES);
            }
            produced.addAll(batch);
            batch.clear();
            if (due != null && !due.duringSend()) {
                due.action().run();
            }
        }

        private Fault dueFault() {
            int done = produced.size();
            if (brokerVictim == null && done >= target * 15L / 100) {
                brokerVictim = brokerToKill(admin);
                return new Fault(false, () -> {
                    log.info("killing {} after {} commands", brokerVictim, produced.size());
                    brokerKilledNanos = System.nanoTime();
                    cluster.kill(brokerVictim);
                });
            }
            if (brokerVictim != null && brokerDownMillis < 0 && done >= target * 35L / 100) {
                return new Fault(true, () -> {
                    log.info("starting {} again after {} commands", brokerVictim, done);
                    cluster.start(brokerVictim);
                    brokerDownMillis = millisSince(brokerKilledNanos);
                });
            }
            if (first != null && instanceVictim == null && done >= target * 60L / 100) {
                instanceVictim = INSTANCES.get(0);
                return new Fault(true, () -> {
                    log.info("killing {} after {} commands", instanceVictim, done);
                    instanceKilledNanos = System.nanoTime();
                    cluster.kill(instanceVictim);
                });
            }
            if (instanceVictim != null && instanceDownMillis < 0 && done >= target * 80L / 100) {
                return new Fault(true, () -> {
                    log.info("starting {} again after {} commands", instanceVictim, done);
                    cluster.start(instanceVictim);
                    instanceDownMillis = millisSince(instanceKilledNanos);
                });
            }
            return null;
        }

        /** {@code convo produce FILE}, in this JVM, as an operator runs it; the batch's lines in order. */
        private void produce(List<SpecificRecord> batch) throws IOException {
            Path file = work.resolve(String.format("commands-%03d.jsonl", ++batches));
            Files.write(file, batch.stream().map(JsonLines::commandLine).toList(), StandardCharsets.UTF_8);
            StringWriter output = new StringWriter();
            picocli.CommandLine convo = Convo.commandLine();
            convo.setOut(new PrintWriter(output, true));
            convo.setErr(new PrintWriter(output, true));
            int exit = convo.execute("produce", "--bootstrap-servers", bootstrap, "--progress-interval", "PT1M",
                    file.toString());
            assertThat(exit).as("convo produce %s: %s", file.getFileName(), output).isZero();
            assertThat(output.toString()).as("convo produce %s", file.getFileName())
                    .contains("sent " + batch.size() + ", failed 0");
        }

        private void checkAfterBrokerPhase() throws Exception {
            assertThat(brokerDownMillis).as("%s was started again before the first comparison", brokerVictim)
                    .isGreaterThanOrEqualTo(0);
            awaitOutcomes(OUTCOMES_TIMEOUT);
            awaitInSync(admin, Duration.ofMinutes(3));
            first = compare("after the broker phase");
            firstCommands = produced.size();
        }

        private void checkAfterInstancePhase() throws Exception {
            assertThat(instanceDownMillis).as("%s was started again before the last comparison", instanceVictim)
                    .isGreaterThanOrEqualTo(0);
            awaitOutcomes(OUTCOMES_TIMEOUT);
            assertThat(cluster.running(instanceVictim)).as("%s runs again", instanceVictim).isTrue();
            awaitGroup(admin, INSTANCES.size(), Duration.ofMinutes(3));
            last = compare("at the end");
        }

        /** Reads every outcome topic to its end and compares it, key by key, with simulate's verdicts. */
        private OracleComparison.Result compare(String when) throws IOException {
            outcomes.readToEnd(Duration.ofMinutes(2));
            assertThat(outcomes.commandOutcomes()).as("outcomes %s: one per command", when).isEqualTo(produced.size());
            OracleComparison.Result result = OracleComparison.compare(List.copyOf(produced), oracleConfig,
                    outcomes.lines());
            Files.writeString(work.resolve("differences-" + when.replace(' ', '-') + ".txt"), result.details());
            log.info("comparison {}: {} commands, {} topic/key sequences, {} differences", when, produced.size(),
                    result.keysCompared(), result.differences());
            assertThat(result.differences()).as("differences from simulate %s:%n%s", when, result.sample()).isZero();
            assertThat(result.keysCompared()).as("topic/key sequences compared %s", when)
                    .isGreaterThan(produced.size() / 10);
            return result;
        }

        /** Reads outcomes until there is one per command produced. */
        private void awaitOutcomes(Duration timeout) {
            long began = System.nanoTime();
            long deadline = began + timeout.toNanos();
            while (outcomes.commandOutcomes() < produced.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + outcomes.commandOutcomes() + " outcomes of "
                            + produced.size() + " commands within " + timeout);
                }
                outcomes.poll(Duration.ofMillis(200));
            }
            assertThat(outcomes.commandOutcomes()).as("outcomes: never more than one per command")
                    .isEqualTo(produced.size());
            long waited = millisSince(began);
            if (waited > 5_000) {
                log.info("waited {} ms for the outcomes of {} commands", waited, produced.size());
            }
            longestWaitMillis = Math.max(longestWaitMillis, waited);
        }
    }

    /**
     * The broker that coordinates the instances' consumer group, besides leading its share of the partitions: its
     * loss moves the group's coordinator and partition leaders at once.
     */
    private String brokerToKill(Admin admin) {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(APPLICATION_ID)).all()
                    .get(1, TimeUnit.MINUTES).get(APPLICATION_ID);
            Map<Integer, Integer> leaders = new TreeMap<>();
            for (TopicDescription d : admin.describeTopics(List.of(topics.conversationCommands(),
                    topics.conversationEvents(), topics.commandRejections())).allTopicNames().get(1, TimeUnit.MINUTES)
                    .values()) {
                for (TopicPartitionInfo p : d.partitions()) {
                    if (p.leader() != null) {
                        leaders.merge(p.leader().id(), 1, Integer::sum);
                    }
                }
            }
            int controller = admin.describeMetadataQuorum().quorumInfo().get(1, TimeUnit.MINUTES).leaderId();
            log.info("group coordinator: broker {}; leaders of the command, event and rejection partitions by broker: {};"
                    + " the metadata quorum's leader: broker {}", group.coordinator().id(), leaders, controller);
            return "kafka-" + group.coordinator().id();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe the cluster", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Every topic, Kafka's own and Streams' changelogs included, on three replicas; min.insync.replicas 2. */
    private void assertReplicated(Admin admin) throws Exception {
        Collection<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                .get(1, TimeUnit.MINUTES);
        Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(1, TimeUnit.MINUTES);
        for (TopicDescription d : described.values()) {
            for (TopicPartitionInfo p : d.partitions()) {
                assertThat(p.replicas()).as("replicas of %s-%d", d.name(), p.partition()).hasSize(3);
            }
        }
        assertThat(names).as("the changelogs of convo's stores").anyMatch(n -> n.endsWith("-changelog"));
        ConfigResource events = new ConfigResource(ConfigResource.Type.TOPIC, topics.conversationEvents());
        Config config = admin.describeConfigs(List.of(events)).all().get(1, TimeUnit.MINUTES).get(events);
        assertThat(config.get("min.insync.replicas").value()).as("min.insync.replicas of the event log").isEqualTo("2");
        log.info("{} topics, every partition on 3 replicas, min.insync.replicas 2", names.size());
    }

    /** Waits until every partition of every topic has all its replicas in sync again. */
    private static void awaitInSync(Admin admin, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Collection<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names()
                    .get(1, TimeUnit.MINUTES);
            List<String> behind = new ArrayList<>();
            admin.describeTopics(names).allTopicNames().get(1, TimeUnit.MINUTES).values().forEach(d ->
                    d.partitions().stream().filter(p -> p.isr().size() < p.replicas().size())
                            .forEach(p -> behind.add(d.name() + "-" + p.partition())));
            if (behind.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("partitions still under-replicated after " + timeout + ": " + behind);
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    /** Waits until the instances' consumer group is stable with this many members. */
    private static void awaitGroup(Admin admin, int members, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String seen = "nothing";
        while (System.nanoTime() < deadline) {
            try {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(APPLICATION_ID)).all()
                        .get(30, TimeUnit.SECONDS).get(APPLICATION_ID);
                seen = group.groupState() + " with " + group.members().size() + " members";
                if (group.groupState() == GroupState.STABLE && group.members().size() == members) {
                    return;
                }
            } catch (ExecutionException | TimeoutException e) {
                seen = e.toString();
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        throw new IllegalStateException("group " + APPLICATION_ID + " not stable with " + members + " members within "
                + timeout + "; last seen: " + seen);
    }

    /**
     * The test's settings over the compose file's: for the instances, the chaos workload's small limits (the oracle
     * uses them too), no wall-clock check (the oracle decides later), and a 6 s session timeout so that a killed
     * instance's tasks move in seconds rather than the default 45; for every container, no restart policy, so that
     * the containers of a run that could not take them down are not started again with the Docker engine.
     */
    private static Path writeTestSettings(Path work) throws IOException {
        Map<String, String> env = new TreeMap<>();
        ChaosWorkload.smallLimits().forEach((key, value) -> env.put(environmentVariable(key), value));
        env.put("CONVO_COMMANDS_MAX_CLOCK_SKEW_MS", "0");
        env.put("CONVO_CONSUMER_SESSION_TIMEOUT_MS", "6000");
        env.put("CONVO_CONSUMER_HEARTBEAT_INTERVAL_MS", "1500");
        StringBuilder yaml = new StringBuilder("# Written by ClusterIT: the test's settings.\nservices:\n");
        for (String broker : BROKERS) {
            yaml.append("  ").append(broker).append(":\n    restart: \"no\"\n");
        }
        for (String instance : INSTANCES) {
            yaml.append("  ").append(instance).append(":\n    restart: \"no\"\n    environment:\n");
            env.forEach((name, value) -> yaml.append("      ").append(name).append(": \"").append(value).append("\"\n"));
        }
        Path file = work.resolve("docker-compose.test.yml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }

    /** The README's rule: CONVO_ and the key without its convo. prefix, upper-cased, '.' and '-' as '_'. */
    private static String environmentVariable(String key) {
        return "CONVO_" + key.substring("convo.".length()).toUpperCase(Locale.ROOT).replace('.', '_')
                .replace('-', '_');
    }

    private static List<Integer> freeLoopbackPorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
