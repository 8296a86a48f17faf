package io.convo.tools;

import io.convo.model.json.JsonLines;
import io.convo.rules.Limits;
import io.convo.tools.bench.CommandGenerator;
import io.convo.tools.chaos.ChaosWorkload;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code convo generate}: the command JSON lines of the benchmark's generator or of the chaos workload, for
 * {@code simulate}, {@code produce} or a comparison of two builds (see {@code modules/tools/simulate-equivalence}).
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Prints generated command JSON lines: the benchmark's mix (--workload bench) or the chaos run's"
                + " workload (--workload chaos, which reaches every limit with the small limits it prints with"
                + " --print-limits)."})
final class GenerateCommand implements Callable<Integer> {

    /** Both workloads start at this business time, so that the same seed gives the same lines on any day. */
    static final long START_MS = 1_800_000_000_000L;

    enum Workload { bench, chaos }

    @Spec
    private CommandSpec spec;

    @Option(names = "--workload", defaultValue = "bench", description = "bench or chaos (default: ${DEFAULT-VALUE}).")
    private Workload workload;

    @Option(names = "--commands", paramLabel = "N", defaultValue = "200000",
            description = "How many commands (the chaos workload ends its last phase; default: ${DEFAULT-VALUE}).")
    private int commands;

    @Option(names = "--seed", defaultValue = "1", description = "The generator's seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--print-limits", description = "Print the limits the workload is meant for, as properties, and stop.")
    private boolean printLimits;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> limits = workload == Workload.chaos ? ChaosWorkload.smallLimits() : Map.of();
        if (printLimits) {
            new java.util.TreeMap<>(limits).forEach((k, v) -> out.println(k + "=" + v));
            out.flush();
            return 0;
        }
        Writer w = new BufferedWriter(out, 1 << 16);
        if (workload == Workload.bench) {
            CommandGenerator generator = new CommandGenerator(CommandGenerator.Settings.defaults(seed));
            for (int i = 0; i < commands; i++) {
                line(w, generator.next().command().command());
            }
        } else {
            ChaosWorkload chaos = new ChaosWorkload(seed, commands, START_MS, Limits.from(limits));
            for (ChaosWorkload.Phase phase = chaos.next(); phase != null; phase = chaos.next()) {
                for (SpecificRecord command : phase.commands()) {
                    line(w, command);
                }
            }
        }
        w.flush();
        return 0;
    }

    private static void line(Writer w, SpecificRecord command) throws java.io.IOException {
        w.write(JsonLines.commandLine(command));
        w.write('\n');
    }
}
