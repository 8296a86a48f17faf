package io.convo.app;

import io.convo.operate.Simulator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code convo simulate}: wires a {@link Simulator} to a file or standard input and to standard output. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Runs command JSON lines through convo's topology without a broker and prints every outcome"
                + " as a JSON line {\"topic\",\"key\",\"value\"}.",
                "Malformed lines are reported on standard error with their line number and skipped."})
final class SimulateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "Command JSON lines (default: standard input).")
    private Path file;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file, e.g. limit overrides (default: config/convo.properties if it exists);"
                    + " CONVO_* environment variables override it.")
    private Path config;

    @Override
    public Integer call() throws IOException {
        // Standard output is the simulation's; logs go to standard error, and only warnings are worth it here.
        Configurator.setLevel("io.convo", Level.WARN);
        if (file != null && !Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), "no such file: " + file.toAbsolutePath());
        }
        Properties properties = AppConfig.loader().load(config);
        Writer out = new BufferedWriter(spec.commandLine().getOut(), 1 << 16);
        Writer err = spec.commandLine().getErr();
        try (Simulator simulator = new Simulator(properties);
             Reader in = file == null
                     ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                     : Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            simulator.run(in, out, err);
        } finally {
            out.flush();
            err.flush();
        }
        return 0;
    }
}
