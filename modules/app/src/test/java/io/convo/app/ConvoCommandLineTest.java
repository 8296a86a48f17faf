package io.convo.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.operate.ConfigOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

class ConvoCommandLineTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void simulatesAFileAndExitsWithZeroDespiteAMalformedLine() throws IOException {
        Path input = dir.resolve("commands.jsonl");
        Files.writeString(input, """
                {"type":"CreateConversation","commandId":"c1","serviceSid":"IS1","conversationSid":"CH1","timestamp":1800000000000}
                not json
                {"type":"CreateConversation","commandId":"c2","serviceSid":"IS1","conversationSid":"CH2","timestamp":1800000000001}
                """);

        int exitCode = execute("simulate", input.toString());

        assertThat(exitCode).isZero();
        assertThat(out.toString().lines()).hasSize(2).allMatch(line -> line.contains("\"ConversationCreated\""));
        assertThat(err.toString()).startsWith("line 2: ");
    }

    @Test
    void refusesAMissingInputFileWithANonZeroExitCode() {
        int exitCode = execute("simulate", dir.resolve("nope.jsonl").toString());

        assertThat(exitCode).isNotZero();
        assertThat(err.toString()).contains("no such file").contains("nope.jsonl");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void refusesAMissingConfigFileWithANonZeroExitCode() throws IOException {
        Path input = Files.writeString(dir.resolve("empty.jsonl"), "");

        int exitCode = execute("simulate", "--config", dir.resolve("nope.properties").toString(), input.toString());

        assertThat(exitCode).isNotZero();
        assertThat(err.toString()).contains("nope.properties");
    }

    @Test
    void listsItsSubcommandsInTheHelp() {
        int exitCode = execute("--help");

        assertThat(exitCode).isZero();
        assertThat(out.toString()).contains("run", "broker", "simulate");
    }

    @Test
    void theOperatingCommandsKnowEveryKeyRunKnowsSoThatTheSameVariablesSetThem() {
        CommandLine commandLine = Convo.commandLine();

        for (String name : new String[] {"produce", "tail", "replay", "reset"}) {
            ConfigOptions options = commandLine.getSubcommands().get(name).getCommandSpec().mixins().values().stream()
                    .map(CommandSpec::userObject).filter(ConfigOptions.class::isInstance).map(ConfigOptions.class::cast)
                    .findFirst().orElseThrow();
            assertThat(options.loader().knows(AppConfig.RUN_GATEWAY.name())).as(name).isTrue();
            assertThat(options.loader().knows(AppConfig.BROKER_DATA_DIR.name())).as(name).isTrue();
        }
    }

    private int execute(String... args) {
        CommandLine commandLine = Convo.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
