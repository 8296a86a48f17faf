package io.convo.operate;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code convo replay}: rebuilds state from the event log into a fresh in-memory projection, then verifies it against
 * the live application's changelogs, store by store. While they differ it reads on and compares again, up to
 * {@code --settle-timeout}, since the application may still have been at work; differences that stay are printed and
 * the exit code is 1.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replays conversation-events and service-events from offset 0 into a fresh state"
                + " (conversations with participants, read horizons and next message index; messages; identity"
                + " memberships; delivery summaries; users; roles) and verifies that it equals what the application"
                + " holds, read from its changelog topics <application.id>-<store>-changelog.",
                "Run it while the application is idle (or stopped): state that is still changing cannot be compared.",
                "Exit code 0 when equal, 1 when they differ (the differences are printed)."})
public final class ReplayCommand implements Callable<Integer> {

    private static final Duration ROUND_PAUSE = Duration.ofSeconds(1);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions options;

    @Option(names = "--application-id", paramLabel = "ID",
            description = "The live application's application.id (default: application.id of the config, else convo).")
    private String applicationId;

    @Option(names = "--no-verify", description = "Only rebuild and print the counts.")
    private boolean noVerify;

    @Option(names = "--max-differences", paramLabel = "N", defaultValue = "50",
            description = "How many differences to print (default: ${DEFAULT-VALUE}); all are counted.")
    private int maxDifferences;

    @Option(names = "--settle-timeout", paramLabel = "DURATION", defaultValue = "PT10S",
            description = "While the states differ, read on and compare again for at most this long, in case the"
                    + " application was still at work (ISO-8601, default: ${DEFAULT-VALUE}).")
    private Duration settleTimeout;

    @Override
    public Integer call() {
        Properties config = options.load();
        if (applicationId != null) {
            config.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (EventLogReplay replay = new EventLogReplay(config)) {
            long started = System.nanoTime();
            long events = replay.catchUp((read, total) -> progress(err, "replay", read, total, "events"));
            EventProjection projection = replay.projection();
            out.printf("replayed %d events in %.1f s: %d conversations, %d messages, %d identities with memberships,"
                            + " %d delivery summaries, %d users, %d roles%n", events, (System.nanoTime() - started) / 1e9,
                    projection.state().size(VerifiedStore.CONVERSATIONS), projection.state().size(VerifiedStore.MESSAGES),
                    projection.state().size(VerifiedStore.IDENTITY_MEMBERSHIPS),
                    projection.state().size(VerifiedStore.DELIVERY_SUMMARIES),
                    projection.state().size(VerifiedStore.USERS), projection.state().size(VerifiedStore.ROLES));
            if (projection.anomalyCount() > 0) {
                out.printf("%d events could not be applied (was the log truncated by retention?):%n",
                        projection.anomalyCount());
                projection.anomalies().forEach(a -> out.println("  " + a));
            }
            out.flush();
            if (noVerify) {
                return 0;
            }
            return verify(config, replay, out, err);
        }
    }

    private int verify(Properties config, EventLogReplay replay, PrintWriter out, PrintWriter err) {
        String id = OperateConfig.applicationId(config);
        long lag = ApplicationLag.of(config, Duration.ofSeconds(15));
        if (lag > 0) {
            err.printf("warning: application '%s' has %d commands left to process; its state is still changing%n", id, lag);
            err.flush();
        }
        try (ChangelogState live = new ChangelogState(config)) {
            live.catchUp((read, total) -> progress(err, "verify", read, total, "changelog records"));
            long deadline = System.nanoTime() + settleTimeout.toNanos();
            StateComparison.Result result = StateComparison.compare(live.snapshot(), replay.projection().state(),
                    maxDifferences);
            while (!result.equal() && System.nanoTime() < deadline) {
                // Work may still be in flight: a commit under way, or an identity's membership released after the
                // event that released it was already visible. Read what arrives meanwhile and compare again.
                sleep(ROUND_PAUSE);
                long more = replay.catchUp(null) + live.catchUp(null);
                err.printf("verify: %d differences; %d more records since; comparing again for up to %d s%n",
                        result.differenceCount(), more, Math.max(0, (deadline - System.nanoTime()) / 1_000_000_000L));
                err.flush();
                result = StateComparison.compare(live.snapshot(), replay.projection().state(), maxDifferences);
            }
            print(result, id, out);
            return result.equal() ? 0 : 1;
        }
    }

    private static void print(StateComparison.Result result, String applicationId, PrintWriter out) {
        out.printf("%-22s %12s %12s %12s%n", "store", "live", "replayed", "keys differ");
        for (StateComparison.StoreCounts c : result.stores()) {
            out.printf("%-22s %12d %12d %12d%n", c.store().storeName(), c.live(), c.replayed(), c.differingKeys());
        }
        if (result.equal()) {
            out.printf("state equal: the event log rebuilds what application '%s' holds%n", applicationId);
        } else {
            out.printf("differences (%d; the first %d):%n", result.differenceCount(), result.differences().size());
            result.differences().forEach(d -> out.println("  " + d.describe()));
            long keys = result.stores().stream().mapToLong(StateComparison.StoreCounts::differingKeys).sum();
            out.printf("state differs: %d differences in %d keys between the event log and application '%s'%n",
                    result.differenceCount(), keys, applicationId);
        }
        out.flush();
    }

    private static void progress(PrintWriter err, String what, long read, long total, String unit) {
        err.printf("%s: %d of ~%d %s (%d%%)%n", what, read, total, unit, total == 0 ? 100 : read * 100 / total);
        err.flush();
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
