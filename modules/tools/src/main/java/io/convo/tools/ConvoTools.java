package io.convo.tools;

import io.convo.tools.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The tools' command line, apart from the product's: {@code convo bench} and {@code convo generate} run here
 * ({@code bin/convo} hands them over with the tools jar on the class path).
 */
@Command(name = "convo", mixinStandardHelpOptions = true, description = "convo's development tools.",
        subcommands = {BenchCommand.class, GenerateCommand.class, CommandLine.HelpCommand.class})
public final class ConvoTools {

    public static void main(String[] args) {
        // The exit code is the contract of a CLI, hence System.exit here only.
        System.exit(new CommandLine(new ConvoTools()).execute(args));
    }
}
