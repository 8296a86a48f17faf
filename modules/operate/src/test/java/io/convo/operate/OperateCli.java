package io.convo.operate;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The operating commands without the app module, for running them from this module's build (e.g. the benchmark):
 * {@code java -cp … io.convo.operate.OperateCli bench --commands 200000}. {@code bin/convo} wires the same classes.
 */
@Command(name = "convo", subcommands = {ProduceCommand.class, TailCommand.class, ReplayCommand.class,
        ResetCommand.class, BenchCommand.class})
public final class OperateCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new OperateCli()).execute(args));
    }
}
