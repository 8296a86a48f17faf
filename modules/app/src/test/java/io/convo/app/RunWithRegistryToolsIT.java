package io.convo.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tools find the registry that {@code convo run --with-registry} started on a random port, as a new user runs
 * them: {@code bin/convo produce} and {@code bin/convo tail} in the same working directory, with no
 * {@code CONVO_SERDE} or {@code CONVO_REGISTRY_URL}, read the run file and write and decode the Confluent wire format.
 * Needs the shaded jar, which the package phase builds before the integration tests.
 */
class RunWithRegistryToolsIT {

    private static final Path SCRIPT = Path.of("../../bin/convo").toAbsolutePath().normalize();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path workDir;

    private ProcessBuilder convo(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        // What a new user has: none of convo's variables, so the tools must find the run by themselves.
        builder.environment().keySet().removeIf(name -> name.startsWith("CONVO_"));
        return builder;
    }

    @Test
    void produceAndTailFindTheEmbeddedRegistryOfConvoRunWithoutConfiguration() throws Exception {
        ProcessBuilder run = convo("run", "--with-registry").redirectErrorStream(true);
        run.environment().put("CONVO_BROKER_PORT", String.valueOf(freePort()));
        run.environment().put("CONVO_TOPICS_PARTITIONS", "1");
        Process process = run.start();
        List<String> output = new CopyOnWriteArrayList<>();
        CountDownLatch running = new CountDownLatch(1);
        Thread reader = new Thread(() -> readLines(process, output, running), "convo-run-output");
        reader.setDaemon(true);
        reader.start();
        try {
            assertThat(running.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("'convo is running'; output:%n%s", String.join("\n", output)).isTrue();
            Path runFile = workDir.resolve("var/convo-run.properties");
            assertThat(runFile).exists();
            Properties written = new Properties();
            try (var in = Files.newBufferedReader(runFile)) {
                written.load(in);
            }
            assertThat(written.getProperty("convo.serde")).isEqualTo("registry");
            assertThat(written.getProperty("convo.registry.url")).startsWith("http://127.0.0.1:").endsWith("/apis/registry/v3");
            assertThat(output).anyMatch(line -> line.contains("export CONVO_BOOTSTRAP_SERVERS=")
                    && line.contains("CONVO_REGISTRY_URL=" + written.getProperty("convo.registry.url")));

            long now = System.currentTimeMillis();
            String line = "{\"type\":\"CreateConversation\",\"commandId\":\"tools-1\",\"serviceSid\":\"IS1\","
                    + "\"timestamp\":" + now + ",\"conversationSid\":\"CH-tools\",\"friendlyName\":\"found it\"}\n";
            Result produced = runTool(line, "produce");
            assertThat(produced.exitCode()).as("produce: %s", produced.output()).isZero();
            assertThat(produced.output()).contains("sent 1, failed 0");

            Result tailed = runTool(null, "tail", "conversation-events", "--from-beginning", "--max", "1");
            assertThat(tailed.exitCode()).as("tail: %s", tailed.output()).isZero();
            assertThat(tailed.output()).contains("\"ConversationCreated\"", "\"CH-tools\"", "found it")
                    .doesNotContain("cannot decode");

            process.toHandle().destroy(); // SIGTERM
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(runFile).as("the run deletes its file when it stops").doesNotExist();
        } finally {
            process.destroyForcibly();
        }
    }

    private record Result(int exitCode, String output) {
    }

    private Result runTool(String input, String... args) throws Exception {
        Process tool = convo(args).redirectErrorStream(true).start();
        try (OutputStream in = tool.getOutputStream()) {
            if (input != null) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> readLines(tool, output, new CountDownLatch(1)), "convo-tool-output");
        reader.setDaemon(true);
        reader.start();
        try {
            boolean exited = tool.waitFor(TOOL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            reader.join(5_000);
            assertThat(exited).as("convo %s exits; output:%n%s", args[0], String.join("\n", output)).isTrue();
            return new Result(tool.exitValue(), String.join("\n", output));
        } finally {
            tool.destroyForcibly();
        }
    }

    private static void readLines(Process process, List<String> output, CountDownLatch running) {
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.add(line);
                if (line.contains("convo is running")) {
                    running.countDown();
                }
            }
        } catch (IOException e) {
            output.add("(output unreadable: " + e + ")");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
