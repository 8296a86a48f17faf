package io.convo.operate;

import io.convo.model.json.CommandLine;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code convo produce}: command JSON lines to their input topic. Blank lines and {@code #} comments are skipped; a
 * malformed line is reported with its number and skipped, so one typo does not lose a file of commands.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Sends command JSON lines (SPEC §8) to conversation-commands (keyed by conversationSid) or"
                + " service-commands (keyed by serviceSid), with the command's timestamp as the record timestamp.",
                "Progress goes to standard error every few seconds; the summary goes to standard output.",
                "Exit code 0 when every command was sent, 1 when a line was malformed or a send failed."})
public final class ProduceCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions options;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "Command JSON lines (default or '-': standard input).")
    private String file;

    @Option(names = "--progress-interval", paramLabel = "DURATION", defaultValue = "PT5S",
            description = "How often to print progress on standard error, as an ISO-8601 duration (default: ${DEFAULT-VALUE}).")
    private Duration progressInterval;

    @Override
    public Integer call() throws IOException {
        Path path = file == null || file.equals("-") ? null : Path.of(file);
        if (path != null && !Files.isRegularFile(path)) {
            throw new ParameterException(spec.commandLine(), "no such file: " + path.toAbsolutePath());
        }
        Properties config = options.load();
        CommandProducer.requireInputTopics(config, Duration.ofSeconds(15));
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();
        long nextProgress = started + progressInterval.toNanos();
        try (CommandProducer producer = new CommandProducer(config);
             Reader in = path == null
                     ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                     : Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            CommandLineReader lines = new CommandLineReader(in, err);
            for (CommandLine command = lines.next(); command != null; command = lines.next()) {
                producer.send(command, null);
                long now = System.nanoTime();
                if (now >= nextProgress) {
                    progress(err, lines.lineNumber(), producer, lines.malformed(), now - started);
                    nextProgress = now + progressInterval.toNanos();
                }
            }
            producer.flush();
            long elapsed = System.nanoTime() - started;
            if (producer.firstFailure() != null) {
                err.println("first failed send: " + producer.firstFailure());
            }
            out.printf("sent %d, failed %d, malformed lines %d (%d lines in %.1f s)%n", producer.acknowledged(),
                    producer.failed(), lines.malformed(), lines.lineNumber(), elapsed / 1e9);
            out.flush();
            err.flush();
            return producer.failed() == 0 && lines.malformed() == 0 ? 0 : 1;
        }
    }

    private static void progress(PrintWriter err, long lines, CommandProducer producer, long malformed, long nanos) {
        err.printf("produce: %d lines, %d sent, %d failed, %d malformed (%.0f commands/s)%n", lines,
                producer.acknowledged(), producer.failed(), malformed, producer.sent() / (nanos / 1e9));
        err.flush();
    }
}
