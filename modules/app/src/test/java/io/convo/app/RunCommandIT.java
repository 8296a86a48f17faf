package io.convo.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command as a user runs it: {@code bin/convo run} on a fresh machine (no config, embedded
 * broker, data under {@code var/} of the working directory) logs that it is running and stops within 10 s of
 * SIGTERM. Needs the shaded jar, which the package phase builds before the integration tests.
 */
class RunCommandIT {

    private static final Path SCRIPT = Path.of("../../bin/convo").toAbsolutePath().normalize();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(10);

    @TempDir
    Path workDir;

    @Test
    void startsOnTheEmbeddedBrokerAndStopsWithinTenSecondsOfSigterm() throws Exception {
        assertThat(SCRIPT).exists();
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString(), "run")
                .directory(workDir.toFile())
                .redirectErrorStream(true);
        builder.environment().put("CONVO_BROKER_PORT", String.valueOf(freePort()));
        builder.environment().put("CONVO_TOPICS_PARTITIONS", "2");
        long started = System.nanoTime();
        Process process = builder.start();
        List<String> output = new CopyOnWriteArrayList<>();
        CountDownLatch running = new CountDownLatch(1);
        Thread reader = new Thread(() -> readLines(process, output, running), "convo-output");
        reader.setDaemon(true);
        reader.start();
        try {
            boolean isRunning = running.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long toRunning = (System.nanoTime() - started) / 1_000_000;
            assertThat(isRunning).as("'convo is running' within %s; output:%n%s", START_TIMEOUT,
                    String.join("\n", output)).isTrue();
            System.err.printf("bin/convo run: running after %d ms, RSS %s%n", toRunning, rss(process.pid()));
            assertThat(workDir.resolve("var/broker")).isDirectory();
            assertThat(workDir.resolve("var/state")).isDirectory();

            long stopping = System.nanoTime();
            // SIGTERM, through the handle: Process.destroy() would also close our end of the output pipe.
            process.toHandle().destroy();
            boolean exited = process.waitFor(STOP_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            long toExit = (System.nanoTime() - stopping) / 1_000_000;
            reader.join(STOP_LIMIT.toMillis());
            System.err.printf("bin/convo run: exited %d ms after SIGTERM%n", toExit);

            assertThat(exited).as("exited within %s of SIGTERM; output:%n%s", STOP_LIMIT, String.join("\n", output))
                    .isTrue();
            assertThat(output).anyMatch(line -> line.contains("convo stopped"));
        } finally {
            process.destroyForcibly();
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

    /** The resident set size of a process, from Linux's /proc; "unknown" elsewhere. */
    private static String rss(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .map(line -> line.substring("VmRSS:".length()).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
