package io.convo.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code convo bench}: runs the {@link Benchmark}, prints its table and writes its JSON. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks convo on an embedded broker, like Kafka's SimpleBenchmark: a load phase fills the"
                + " input topics with N generated commands (creates, chat and SMS participants, messages, read horizons,"
                + " closes and deletes, users and roles, about 7%% rejected), then a timed run processes them.",
                "Measured on the same commands: convo's application and a pass-through Kafka Streams application"
                + " (same broker, partitions, exactly_once_v2, commit interval and serdes; it only copies commands),"
                + " each in its own JVM: throughput, command-to-outcome latency p50/p99 at a steady rate, resident"
                + " memory after the load; and simulate's throughput (no broker).",
                "Every outcome is checked against what the generator expects."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--commands", paramLabel = "N", defaultValue = "200000",
            description = "Commands of the load phase (default: ${DEFAULT-VALUE}).")
    private int commands;

    @Option(names = "--latency-commands", paramLabel = "N", defaultValue = "20000",
            description = "Commands of the latency phase (default: ${DEFAULT-VALUE}).")
    private int latencyCommands;

    @Option(names = "--latency-rate", paramLabel = "PER_SECOND", defaultValue = "0",
            description = "Steady rate of the latency phase, commands/s; 0 (the default): --latency-share of the"
                    + " capacity just measured for the same application.")
    private int latencyRate;

    @Option(names = "--latency-share", paramLabel = "SHARE", defaultValue = "0.5",
            description = "Share of each application's measured capacity the latency phase offers (default:"
                    + " ${DEFAULT-VALUE}).")
    private double latencyShare;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1", description = "Seed of the command generator (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "4", description = "Partitions of every topic (default: ${DEFAULT-VALUE}).")
    private int partitions;

    @Option(names = "--commit-interval-ms", paramLabel = "MS", defaultValue = "100",
            description = "commit.interval.ms of both applications (default: ${DEFAULT-VALUE}).")
    private long commitIntervalMs;

    @Option(names = "--worker-heap", paramLabel = "SIZE", defaultValue = "1g",
            description = "-Xmx of each application's JVM (default: ${DEFAULT-VALUE}).")
    private String workerHeap;

    @Option(names = "--worker-java-option", paramLabel = "OPTION",
            description = "An extra JVM option for the applications' JVMs, e.g. -Dlog4j2.configurationFile=FILE (repeatable).")
    private List<String> workerJavaOptions = new ArrayList<>();

    @Option(names = "--worker-config", paramLabel = "KEY=VALUE",
            description = "A Streams or convo setting for both applications, over the benchmark's own, e.g."
                    + " statestore.cache.max.bytes=0 (repeatable).")
    private Map<String, String> workerConfig = new LinkedHashMap<>();

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "var/bench",
            description = "Where state directories, worker configs and logs go (default: ${DEFAULT-VALUE}).")
    private Path workDir;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "throughput",
            description = "throughput (default): the generated mix against the pass-through; big-conversation: one"
                    + " conversation at the seed's limits (issue 12), see --participants and --messages; rest: the"
                    + " Twilio-compatible REST API against the same commands sent to Kafka (issue 14), see --rest-messages"
                    + " and --rest-rate; many-conversations: memory with --conversations conversations (issue 16);"
                    + " simulate: only simulate's throughput on the generated mix of --commands commands.")
    private String scenario;

    @Option(names = "--participants", paramLabel = "N", defaultValue = "1000",
            description = "big-conversation: chat participants of the big conversation (default: ${DEFAULT-VALUE}).")
    private int participants;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "90",
            description = "big-conversation: 32 KB messages offered at 30/s to each size (default: ${DEFAULT-VALUE}).")
    private int messages;

    @Option(names = "--rest-messages", paramLabel = "N", defaultValue = "3000",
            description = "rest: messages created through each path (default: ${DEFAULT-VALUE}).")
    private int restMessages;

    @Option(names = "--rest-rate", paramLabel = "PER_SECOND", defaultValue = "100",
            description = "rest: steady rate of the message creates of each path (default: ${DEFAULT-VALUE}).")
    private int restRate;

    @Option(names = "--conversations", paramLabel = "N", defaultValue = "1000000",
            description = "many-conversations: conversations created (default: ${DEFAULT-VALUE}).")
    private int conversations;

    @Option(names = "--rocksdb-memory", paramLabel = "BYTES", defaultValue = "134217728",
            description = "many-conversations: convo.rocksdb.memory.bytes of the worker (default: ${DEFAULT-VALUE}).")
    private long rocksDbMemory;

    @Option(names = "--no-simulate", description = "Skip simulate's throughput.")
    private boolean noSimulate;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
    private Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (scenario.equals("big-conversation")) {
            return bigConversation(stdout, err);
        }
        if (scenario.equals("rest")) {
            return rest(stdout, err);
        }
        if (scenario.equals("many-conversations")) {
            return manyConversations(stdout, err);
        }
        if (scenario.equals("simulate")) {
            return simulate(stdout, err);
        }
        if (!scenario.equals("throughput")) {
            err.println("bench: unknown scenario '" + scenario + "'; expected throughput, big-conversation, rest,"
                    + " many-conversations or simulate");
            return 2;
        }
        Benchmark.Options options = new Benchmark.Options(commands, latencyCommands, latencyRate, latencyShare, seed,
                partitions,
                commitIntervalMs, workerHeap, workerJavaOptions, workerConfig, workDir, !noSimulate);
        Benchmark.Result result = new Benchmark(options, progress(err)::accept).run();
        print(result, stdout);
        writeJson(stdout, result);
        boolean right = result.convo().unexpectedOutcomes() == 0 && result.passThrough().unexpectedOutcomes() == 0
                && result.simulateUnexpectedOutcomes() == 0 && result.replay().equal();
        if (!right) {
            err.println("bench: some outcomes were not the ones the generator expects (simulate's); first ones:");
            for (Benchmark.AppRun a : new Benchmark.AppRun[] {result.passThrough(), result.convo()}) {
                a.unexpectedExamples().forEach(e -> err.println("  " + a.application() + ": " + e));
            }
        }
        return right ? 0 : 1;
    }

    private int simulate(PrintWriter stdout, PrintWriter err) throws Exception {
        Benchmark.SimulateRun r = Benchmark.simulateOnly(commands, seed, progress(err)::accept);
        stdout.printf("simulate: %d commands of the generated mix (seed %d) in %.2f s: %.0f commands/s, %d outcomes"
                + " not the generator's%n", r.commands(), seed, r.seconds(), r.commandsPerSecond(), r.unexpected());
        writeJson(stdout, r);
        return r.unexpected() == 0 ? 0 : 1;
    }

    private int bigConversation(PrintWriter stdout, PrintWriter err) throws Exception {
        BigConversation.Result r = new BigConversation(participants, messages, progress(err)).run();
        stdout.printf("big conversation: %d chat participants (4 KB attributes, 256-code-point identities) added in"
                + " %.1f s (%.1f per second)%n", r.participants(), r.addSeconds(), r.addsPerSecond());
        stdout.printf("%-13s %9s %12s %16s %10s %10s %14s%n", "participants", "messages", "messages/s",
                "bytes/message", "p50 ms", "p99 ms", "delivery-chat");
        for (BigConversation.MessagePhase p : r.phases()) {
            stdout.printf("%-13d %9d %12.1f %16.0f %10.0f %10.0f %14d%n", p.participants(), p.messages(),
                    p.messagesPerSecond(), p.bytesPerMessage(), p.p50Ms(), p.p99Ms(), p.chatDeliveryRecords());
        }
        stdout.println("bytes/message: what convo's producers sent per message (events, deliveries, changelogs,"
                + " checks; producer outgoing-byte-total); 32 KB messages offered at 30/s; delivery-chat: its records");
        writeJson(stdout, r);
        if (!r.unexpected().isEmpty()) {
            err.println("bench: unexpected rejections: " + r.unexpected().subList(0, Math.min(5, r.unexpected().size())));
            return 1;
        }
        return 0;
    }

    private static Consumer<String> progress(PrintWriter err) {
        return message -> {
            err.println("bench: " + message);
            err.flush();
        };
    }

    /** Writes {@code result} as JSON to {@code --out}, when given. */
    private void writeJson(PrintWriter stdout, Object result) throws IOException {
        if (out != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), result);
            stdout.println("written to " + out.toAbsolutePath());
        }
        stdout.flush();
    }

    private int manyConversations(PrintWriter stdout, PrintWriter err) throws Exception {
        ManyConversations.Result r = new ManyConversations(conversations, workerHeap, workerJavaOptions, rocksDbMemory,
                workDir, progress(err)).run();
        stdout.println(ManyConversations.describe(r));
        writeJson(stdout, r);
        return r.unexpected() == 0 ? 0 : 1;
    }

    private int rest(PrintWriter stdout, PrintWriter err) throws Exception {
        RestBench.Result r = new RestBench(restMessages, restRate, progress(err)).run();
        stdout.printf("%-14s %9s %12s %12s %10s %10s %10s%n", "path", "messages", "offered/s", "achieved/s", "p50 ms",
                "p99 ms", "max ms");
        for (RestBench.WritePhase p : List.of(r.rest(), r.kafka())) {
            stdout.printf("%-14s %9d %12.0f %12.1f %10.1f %10.1f %10.1f%n", p.path(), p.messages(), p.offeredPerSecond(),
                    p.achievedPerSecond(), p.p50Ms(), p.p99Ms(), p.maxMs());
        }
        stdout.printf("REST / Kafka direct: p50 %.2f, p99 %.2f%n", r.rest().p50Ms() / r.kafka().p50Ms(),
                r.rest().p99Ms() / r.kafka().p99Ms());
        stdout.printf("paged list (GET …/Messages?PageSize=50 over %d messages, pages followed): %d clients, %.0f reads/s,"
                + " p50 %.1f ms, p99 %.1f ms%n", r.listMessages(), r.readers(), r.readsPerSecond(), r.readP50Ms(),
                r.readP99Ms());
        stdout.println("REST latency: request to answer (the answer waits for the committed outcome and the read model);"
                + " Kafka latency: send to the committed MessageAdded read by a read_committed consumer");
        writeJson(stdout, r);
        if (!r.errors().isEmpty()) {
            err.println("bench: errors: " + r.errors().subList(0, Math.min(5, r.errors().size())));
            return 1;
        }
        return 0;
    }

    private static void print(Benchmark.Result r, PrintWriter out) {
        out.printf("machine: %s cores, %d GiB, %s, %s; load average %s at the start, %s at the end%n",
                r.machine().get("cores"), ((Number) r.machine().get("memoryBytes")).longValue() >> 30,
                r.machine().get("jdk"), r.machine().get("cpu"), r.machine().get("loadAverageAtStart"),
                r.machine().get("loadAverageAtEnd"));
        out.printf("workload: %d commands (+%d paced at %s), %.1f%% rejected, %s open conversations after the load;"
                        + " %d partitions, exactly_once_v2, commit.interval.ms=%d%n",
                r.options().commands(), r.options().latencyCommands(), r.options().latencyRate() > 0
                        ? r.options().latencyRate() + "/s" : Math.round(100 * r.options().latencyShare()) + "% of each one's capacity",
                100 * ((Number) r.workload().get("rejectedShare")).doubleValue(), r.workload().get("openConversationsAfterLoad"),
                r.options().partitions(), r.options().commitIntervalMs());
        out.printf("%-14s %14s %12s %10s %10s %10s %10s %12s %10s %10s %12s %10s%n", "", "commands/s", "load cmd/s",
                "paced/s", "p50 ms", "p99 ms", "max ms", "RSS MiB", "CPU ms/cmd", "records", "bytes/cmd", "unexpected");
        for (Benchmark.AppRun a : new Benchmark.AppRun[] {r.passThrough(), r.convo()}) {
            out.printf("%-14s %14.0f %12.0f %10.0f %10.0f %10.0f %10.0f %12d %10.3f %10.2f %12.0f %10d%n", a.application(),
                    a.commandsPerSecond(), a.loadCommandsPerSecond(), a.latency().ratePerSecond(), a.latency().p50Ms(),
                    a.latency().p99Ms(), a.latency().maxMs(), a.rssBytes() >> 20, a.cpuMillisPerCommand(),
                    a.recordsPerCommand(), a.bytesPerCommand(), a.unexpectedOutcomes());
        }
        out.println("records, bytes/cmd: written per command of the load during the timed run, every topic the"
                + " application writes, changelogs included (records by offsets, transaction markers included; bytes"
                + " by log size on disk). By topic:");
        for (Benchmark.AppRun a : new Benchmark.AppRun[] {r.passThrough(), r.convo()}) {
            for (Benchmark.Written w : a.written()) {
                out.printf("  %-12s %-58s %8.3f records %10.0f bytes%n", a.application(), w.topic(),
                        w.recordsPerCommand(), w.bytesPerCommand());
            }
        }
        if (r.options().simulate()) {
            out.printf("%-14s %14.0f %12s %10s %10s %10s %10s %12s %10s %10s %12s %10d%n", "simulate",
                    r.simulateCommandsPerSecond(), "-", "-", "-", "-", "-", "-", "-", "-", "-", r.simulateUnexpectedOutcomes());
        }
        out.printf("convo / pass-through: throughput %.2f, p50 latency %.2f, p99 latency %.2f%n", r.throughputRatio(),
                r.p50Ratio(), r.p99Ratio());
        out.printf("replay: %d events in %.1f s (%.0f events/s), verified against %d changelog records in %.1f s: %s%n",
                r.replay().events(), r.replay().replaySeconds(), r.replay().eventsPerSecond(), r.replay().changelogRecords(),
                r.replay().verifySeconds(), r.replay().equal() ? "equal" : r.replay().differences() + " differences");
    }
}
