package io.convo.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Apicurio Registry server (3.0.x, in-memory storage) run as a child JVM bound to 127.0.0.1, for
 * integration tests and {@code convo run --with-registry}. Its schemas live only as long as the process.
 * The server comes from the {@code io.apicurio:apicurio-registry-app:<version>:zip:all} distribution, which
 * the testkit build unpacks into {@code modules/testkit/target/apicurio-registry}.
 */
public final class EmbeddedApicurioRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedApicurioRegistry.class);

    /** System property naming the unpacked server folder (set by the build for integration tests). */
    public static final String HOME_PROPERTY = "convo.registry.home";
    /** Environment variable naming the unpacked server folder, used when the system property is absent. */
    public static final String HOME_ENV = "CONVO_REGISTRY_HOME";

    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final String RUNNER_JAR_SUFFIX = "-runner.jar";
    private static final int RUNNER_JAR_SEARCH_DEPTH = 3;
    private static final int LOG_TAIL_LINES = 40;

    private final Process process;
    private final int port;
    private final Path workDir;
    private final Thread shutdownHook;
    private boolean closed;

    private EmbeddedApicurioRegistry(Process process, int port, Path workDir) {
        this.process = process;
        this.port = port;
        this.workDir = workDir;
        // A test JVM that exits without close() must not leave a 512 MB server behind.
        this.shutdownHook = new Thread(this::destroyProcess, "apicurio-registry-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts the server found under the folder named by system property {@value #HOME_PROPERTY} or else
     * environment variable {@value #HOME_ENV}.
     */
    public static EmbeddedApicurioRegistry start() {
        return start(home(System.getProperty(HOME_PROPERTY), System.getenv(HOME_ENV)));
    }

    /** Starts the server whose runner jar is in {@code home} (or a folder below it) and waits until it answers. */
    public static EmbeddedApicurioRegistry start(Path home) {
        long started = System.nanoTime();
        Path runnerJar = findRunnerJar(home);
        int port = EmbeddedKafkaBroker.freePort();
        Path workDir;
        try {
            // Quarkus may write files to its working directory: give it its own, next to its log.
            workDir = Files.createTempDirectory("convo-registry-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a work dir for Apicurio Registry", e);
        }
        Process process;
        try {
            process = new ProcessBuilder(javaExecutable(), "-Xmx512m",
                    "-Dquarkus.http.host=" + EmbeddedKafkaBroker.HOST,
                    "-Dquarkus.http.port=" + port,
                    "-Dquarkus.management.enabled=false",
                    "-jar", runnerJar.toString())
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("registry.log").toFile())
                    .start();
        } catch (IOException e) {
            deleteQuietly(workDir);
            throw new UncheckedIOException("Cannot start Apicurio Registry from " + runnerJar, e);
        }
        EmbeddedApicurioRegistry registry = new EmbeddedApicurioRegistry(process, port, workDir);
        try {
            registry.awaitReady(STARTUP_TIMEOUT);
        } catch (RuntimeException e) {
            registry.close(); // the exception carries the tail of the server's output
            throw e;
        }
        LOG.info("Apicurio Registry ready at {} in {} ms (pid {})",
                registry.url(), (System.nanoTime() - started) / 1_000_000, process.pid());
        return registry;
    }

    /** The core REST API, {@code http://127.0.0.1:<port>/apis/registry/v3}, as the Apicurio serdes expect it. */
    public String url() {
        return baseUrl() + "/apis/registry/v3";
    }

    /** The Confluent-compatible API, {@code http://127.0.0.1:<port>/apis/ccompat/v7}. */
    public String ccompatUrl() {
        return baseUrl() + "/apis/ccompat/v7";
    }

    /** The server root, {@code http://127.0.0.1:<port>}. */
    public String baseUrl() {
        return "http://" + EmbeddedKafkaBroker.HOST + ":" + port;
    }

    /** The process id of the server, e.g. to measure its memory. */
    public long pid() {
        return process.pid();
    }

    /** Stops the server and deletes its work dir. Safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        destroyProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run; nothing left to undo
        }
        deleteQuietly(workDir);
        LOG.info("Apicurio Registry at {} stopped", baseUrl());
    }

    private static void deleteQuietly(Path workDir) {
        try {
            Utils.delete(workDir.toFile());
        } catch (IOException e) {
            LOG.warn("Cannot delete the registry work dir {}", workDir, e);
        }
    }

    /** The server folder named by the system property, else the environment variable; fails saying how to get one. */
    static Path home(String property, String env) {
        String home = property != null && !property.isBlank() ? property : env;
        if (home == null || home.isBlank()) {
            throw new IllegalStateException("Apicurio Registry location unknown: set system property " + HOME_PROPERTY
                    + " or environment variable " + HOME_ENV + " to the folder holding apicurio-registry-app-*"
                    + RUNNER_JAR_SUFFIX + ". Build the testkit module (mvn -pl modules/testkit -am install) to unpack "
                    + "io.apicurio:apicurio-registry-app:3.0.9:zip:all into modules/testkit/target/apicurio-registry.");
        }
        return Path.of(home.trim());
    }

    /** The runner jar in {@code home} or a folder up to a few levels below it (in case a zip has a top folder). */
    static Path findRunnerJar(Path home) {
        if (!Files.isDirectory(home)) {
            throw new IllegalStateException("Apicurio Registry home " + home.toAbsolutePath() + " is not a directory."
                    + " Build the testkit module to unpack the server there, or point " + HOME_PROPERTY + "/" + HOME_ENV
                    + " at an unpacked io.apicurio:apicurio-registry-app zip.");
        }
        try (Stream<Path> files = Files.walk(home, RUNNER_JAR_SEARCH_DEPTH)) {
            Optional<Path> jar = files
                    .filter(f -> f.getFileName().toString().startsWith("apicurio-registry-app-"))
                    .filter(f -> f.getFileName().toString().endsWith(RUNNER_JAR_SUFFIX))
                    .filter(Files::isRegularFile)
                    .min((a, b) -> Integer.compare(a.getNameCount(), b.getNameCount()));
            return jar.orElseThrow(() -> new IllegalStateException("No apicurio-registry-app-*" + RUNNER_JAR_SUFFIX
                    + " in " + home.toAbsolutePath() + " (searched " + RUNNER_JAR_SEARCH_DEPTH + " levels deep)."
                    + " Unpack io.apicurio:apicurio-registry-app:3.0.9:zip:all there."));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot search " + home + " for the Apicurio Registry runner jar", e);
        }
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest info = HttpRequest.newBuilder(URI.create(url() + "/system/info"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastAnswer = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited with code " + process.exitValue()
                        + " before it was ready. " + logTail());
            }
            try {
                HttpResponse<String> response = http.send(info, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                lastAnswer = "HTTP " + response.statusCode();
            } catch (ConnectException notListeningYet) {
                lastAnswer = "connection refused";
            } catch (IOException e) {
                lastAnswer = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", e);
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", e);
            }
        }
        throw new IllegalStateException("Apicurio Registry not ready at " + info.uri() + " within " + timeout.toSeconds()
                + " s (last: " + lastAnswer + "). " + logTail());
    }

    private String logTail() {
        Path log = workDir.resolve("registry.log");
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
            return "Its last " + tail.size() + " lines of output:\n" + String.join("\n", tail);
        } catch (IOException | UncheckedIOException e) {
            return "Its output cannot be read: " + e;
        }
    }

    private void destroyProcess() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("Apicurio Registry (pid {}) did not stop within {} s; killing it", process.pid(),
                        STOP_TIMEOUT.toSeconds());
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
