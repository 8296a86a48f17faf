package io.convo.tools.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One convo instance as a separate process ({@code java -jar convo.jar run}), which the harness can kill with
 * SIGKILL and start again on the same state directory. Its log goes to a file; the harness watches it for the
 * Streams state transitions it counts (rebalances, back to RUNNING).
 */
public final class ConvoInstance implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConvoInstance.class);

    /** A state transition the instance logged, with when the harness saw it. */
    public record Transition(long nanos, String from, String to) {
    }

    private final String name;
    private final Path jar;
    private final Path dir;
    private final Properties config;
    private final List<Transition> transitions = new CopyOnWriteArrayList<>();
    private Process process;
    private int starts;

    public ConvoInstance(String name, Path jar, Path dir, Properties config) {
        this.name = name;
        this.jar = jar;
        this.dir = dir;
        this.config = config;
    }

    public synchronized void start() {
        try {
            Files.createDirectories(dir);
            Path configFile = dir.resolve("convo.properties");
            try (OutputStream out = Files.newOutputStream(configFile)) {
                config.store(out, "chaos instance " + name);
            }
            List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx384m", "-XX:+UseSerialGC",
                    "-jar", jar.toString(), "run", "--config", configFile.toString()));
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            starts++;
            Path logFile = dir.resolve("instance.log");
            Process watched = process;
            Thread reader = new Thread(() -> watch(watched, logFile), name + "-log");
            reader.setDaemon(true);
            reader.start();
            log.info("{} started (pid {}, start #{})", name, process.pid(), starts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no commit, no leaving the group. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            await(process);
            log.info("{} killed", name);
            process = null;
        }
    }

    /** SIGTERM: the instance commits, leaves the group and exits. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            if (!await(process)) {
                process.destroyForcibly();
                await(process);
            }
            process = null;
        }
    }

    /**
     * The first move to RUNNING logged after the first {@code after} transitions, waited for up to {@code timeout};
     * empty if none came in time or the process is gone.
     */
    public Optional<Transition> awaitRunning(int after, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && isAlive()) {
            for (int i = after; i < transitions.size(); i++) {
                if (transitions.get(i).to().equals("RUNNING")) {
                    return Optional.of(transitions.get(i));
                }
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public String name() {
        return name;
    }

    public List<Transition> transitions() {
        return transitions;
    }

    @Override
    public void close() {
        stop();
    }

    private void watch(Process p, Path logFile) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             var out = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                     StandardOpenOption.APPEND)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.write(line);
                out.newLine();
                out.flush();
                if (line.contains("convo is running")) {
                    transitions.add(new Transition(System.nanoTime(), "REBALANCING", "RUNNING"));
                }
                int at = line.indexOf("Kafka Streams: ");
                if (at >= 0) {
                    String[] states = line.substring(at + "Kafka Streams: ".length()).split(" -> ");
                    if (states.length == 2) {
                        transitions.add(new Transition(System.nanoTime(), states[0].trim(), states[1].trim()));
                    }
                }
            }
        } catch (IOException e) {
            // the process is gone; its log ends here
        }
    }

    private static boolean await(Process p) {
        try {
            return p.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
