package io.convo.app;

import io.convo.gateway.GatewayCommand;
import io.convo.gateway.GatewayLoadCommand;
import io.convo.operate.ConfigOptions;
import io.convo.operate.ProduceCommand;
import io.convo.operate.ReplayCommand;
import io.convo.operate.ResetCommand;
import io.convo.operate.TailCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code convo} command line: {@code run}, {@code broker}, {@code simulate}, {@code connector} and the rest. Each subcommand is its own
 * class; this one only wires them and turns failures into a one-line message and an exit code. The benchmark is
 * the tools' ({@code convo bench}, run by {@code bin/convo} from the tools jar).
 */
@Command(name = "convo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "An event-sourced conversation backend on Kafka Streams.",
        subcommands = {RunCommand.class, BrokerCommand.class, SimulateCommand.class, ProduceCommand.class,
            TailCommand.class, ReplayCommand.class, ResetCommand.class, ConnectorCommand.class,
            GatewayLoadCommand.class, RestCommand.class, CommandLine.HelpCommand.class})
public final class Convo {

    private static final Logger LOG = LoggerFactory.getLogger(Convo.class);

    public static void main(String[] args) {
        // The exit code is the contract of a CLI (simulate's callers check it), hence System.exit here only.
        System.exit(commandLine().execute(args));
    }

    /** The configured picocli command line, also used by tests to run subcommands in-process. */
    public static CommandLine commandLine() {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        // The operating commands' shared options read the configuration as run does, knowing every key.
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == ConfigOptions.class ? type.cast(new ConfigOptions(AppConfig.loader())) : defaults.create(type);
            }
        };
        CommandLine commandLine = new CommandLine(new Convo(), factory);
        // The gateway reads its configuration as every other command does: a file plus CONVO_* variables.
        commandLine.addSubcommand("gateway", new GatewayCommand(path -> AppConfig.loader().load(path)));
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            // Start-up and argument problems are explained, not dumped: the stack trace goes to the log only.
            LOG.debug("{} failed", cmd.getCommandName(), e);
            cmd.getErr().println("convo " + cmd.getCommandName() + ": " + message(e));
            cmd.getErr().flush();
            return 1;
        });
        return commandLine;
    }

    private static String message(Throwable e) {
        StringBuilder text = new StringBuilder(e.getMessage() == null ? e.toString() : e.getMessage());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(" (").append(cause.getMessage()).append(')');
            }
        }
        return text.toString();
    }
}
