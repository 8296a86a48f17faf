package io.convo.operate;

import io.convo.topology.ConvoConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code convo reset}: wires {@link ApplicationReset} to the command line, behind a confirmation flag. */
@Command(name = "reset", mixinStandardHelpOptions = true,
        description = {"Resets a STOPPED application for a clean restart, like Kafka's application reset tool:"
                + " its consumer group's offsets on conversation-commands, service-commands and delivery-receipts go"
                + " to the earliest (or latest) offset, the check loop's to the latest; its changelog and repartition"
                + " topics are deleted, and so is this machine's state directory <state.dir>/<application.id>.",
                "Stop every instance first (reset refuses while the consumer group has members), and delete the state"
                + " directory on the other instances' machines too.",
                "Output topics are kept unless --delete-output-topics: reprocessing from the earliest offset appends"
                + " every event again, so replay would count them twice.",
                "Does nothing without --yes; --dry-run shows what it would do."})
public final class ResetCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions options;

    @Option(names = "--yes", description = "Confirm: really reset.")
    private boolean yes;

    @Option(names = "--dry-run", description = "Only print what would be done.")
    private boolean dryRun;

    @Option(names = "--application-id", paramLabel = "ID",
            description = "The application to reset (default: application.id of the config, else convo).")
    private String applicationId;

    @Option(names = "--input-offsets", paramLabel = "earliest|latest", defaultValue = "earliest",
            description = "Where the input offsets go: earliest reprocesses every command, latest starts empty with"
                    + " only new commands (default: ${DEFAULT-VALUE}).")
    private String inputOffsets;

    @Option(names = "--delete-output-topics",
            description = "Also delete the event logs, rejections, deliveries, dead letters and the check loop (not"
                    + " delivery-receipts); convo run creates them again.")
    private boolean deleteOutputs;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "The state directory (default: state.dir of the config, else " + ConvoConfig.DEFAULT_STATE_DIR + ").")
    private Path stateDir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!yes && !dryRun) {
            err.println("convo reset deletes the application's state: stop every instance, then run it again with --yes"
                    + " (or --dry-run to see what it would do)");
            err.flush();
            return 2;
        }
        ApplicationReset.InputOffsets target = switch (inputOffsets.toLowerCase(Locale.ROOT)) {
            case "earliest" -> ApplicationReset.InputOffsets.EARLIEST;
            case "latest" -> ApplicationReset.InputOffsets.LATEST;
            default -> throw new ParameterException(spec.commandLine(),
                    "--input-offsets must be earliest or latest, not " + inputOffsets);
        };
        Properties config = options.load();
        if (applicationId != null) {
            config.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        }
        ApplicationReset reset = new ApplicationReset(config);
        ApplicationReset.Plan plan = reset.plan(target, deleteOutputs, stateDir);
        out.printf("%s application '%s':%n", dryRun ? "would reset" : "resetting", plan.applicationId());
        Map<String, Long> offsets = new TreeMap<>();
        plan.offsets().forEach((partition, offset) -> offsets.put(partition.toString(), offset));
        offsets.forEach((partition, offset) -> out.printf("  offset %s -> %d%n", partition, offset));
        plan.forgottenOffsets().forEach(p -> out.printf("  forget offset of %s%n", p));
        plan.internalTopics().forEach(t -> out.printf("  delete internal topic %s%n", t));
        plan.outputTopics().forEach(t -> out.printf("  delete output topic %s%n", t));
        out.printf("  delete local state %s%n", plan.stateDir().toAbsolutePath());
        out.flush();
        if (!dryRun) {
            reset.execute(plan);
            out.println("done: start the application to rebuild its state");
            out.flush();
        }
        return 0;
    }
}
