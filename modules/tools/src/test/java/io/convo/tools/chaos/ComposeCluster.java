package io.convo.tools.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One docker-compose project: brought up from its files under its own project name, its containers killed with
 * {@code docker kill} and started again with {@code docker start}, and taken down with its volumes on close, after
 * the containers' logs are written to the work folder. Runs {@code docker compose} where the Docker CLI has it, else
 * {@code docker-compose} (v1); every command has a deadline and its output goes to the work folder's log.
 */
final class ComposeCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ComposeCluster.class);

    /** The result of one command: its exit code and what it printed (standard output and error together). */
    record Result(int exitCode, String output) {
    }

    private final String project;
    private final List<Path> files;
    private final Map<String, String> environment;
    private final Path workDir;
    private final List<String> compose;
    private boolean started;

    /**
     * @param project     the compose project name: container, network and volume names start with it
     * @param files       the compose files, later ones overriding earlier ones
     * @param environment variables the files substitute (e.g. host ports)
     * @param workDir     where the commands' output and the containers' logs go
     */
    ComposeCluster(String project, List<Path> files, Map<String, String> environment, Path workDir) {
        this.project = project;
        this.files = List.copyOf(files);
        this.environment = Map.copyOf(environment);
        this.workDir = workDir;
        this.compose = composeCommand();
    }

    /** Builds the images the files build, then starts every service and waits for the health its files ask for. */
    void up(Duration timeout) {
        started = true;
        compose(timeout, "build");
        compose(timeout, "up", "-d");
    }

    /** SIGKILL to the service's container: no shutdown of any kind. */
    void kill(String service) {
        docker(Duration.ofMinutes(1), "kill", containerId(service));
        log.info("{} killed", service);
    }

    /** Starts the service's stopped container again, on its volumes and configuration. */
    void start(String service) {
        docker(Duration.ofMinutes(1), "start", containerId(service));
        log.info("{} started again", service);
    }

    boolean running(String service) {
        return docker(Duration.ofMinutes(1), "inspect", "--format", "{{.State.Running}}", containerId(service))
                .output().trim().equals("true");
    }

    String containerId(String service) {
        String id = compose(Duration.ofMinutes(1), "ps", "-q", service).output().trim();
        if (id.isEmpty() || id.contains("\n")) {
            throw new IllegalStateException("not one container for service " + service + ": '" + id + "'");
        }
        return id;
    }

    /** Whether an image is in the local engine. */
    static boolean imageExists(String image) {
        return run(null, Duration.ofMinutes(1), Map.of(), List.of("docker", "image", "inspect", image)).exitCode() == 0;
    }

    /** Writes every container's log to the work folder, then removes the containers, network and volumes. */
    @Override
    public void close() {
        if (!started) {
            return;
        }
        try {
            // Not into the commands' log (a null work folder): the containers' log is a file of its own.
            Result logs = run(null, Duration.ofMinutes(2), environment, command("logs", "--no-color", "--timestamps"));
            Files.writeString(workDir.resolve("containers.log"), logs.output(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            log.warn("could not write the containers' logs", e);
        }
        Result down = run(workDir, Duration.ofMinutes(3), environment,
                command("down", "--volumes", "--remove-orphans", "--timeout", "20"));
        if (down.exitCode() != 0) {
            log.warn("compose down exited with {}: {}", down.exitCode(), down.output());
        }
    }

    private Result compose(Duration timeout, String... args) {
        return check(run(workDir, timeout, environment, command(args)));
    }

    private Result docker(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return check(run(workDir, timeout, environment, command));
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(compose);
        command.addAll(List.of("-p", project));
        for (Path file : files) {
            command.addAll(List.of("-f", file.toString()));
        }
        command.addAll(List.of(args));
        return command;
    }

    private static Result check(Result result) {
        if (result.exitCode() != 0) {
            throw new IllegalStateException("exit code " + result.exitCode() + ":\n" + result.output());
        }
        return result;
    }

    /** {@code docker compose} (the CLI plugin) where it answers, else {@code docker-compose}. */
    private static List<String> composeCommand() {
        if (run(null, Duration.ofMinutes(1), Map.of(), List.of("docker", "compose", "version")).exitCode() == 0) {
            return List.of("docker", "compose");
        }
        return List.of("docker-compose");
    }

    /** Runs a command to its end or its deadline (then kills it); appends what it printed to the work log. */
    private static Result run(Path workDir, Duration timeout, Map<String, String> environment, List<String> command) {
        Path output = null;
        try {
            output = Files.createTempFile("compose-command", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                return new Result(127, command.get(0) + ": " + e.getMessage());
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", command) + " did not end within " + timeout);
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            if (workDir != null) {
                Files.writeString(workDir.resolve("commands.log"), "$ " + String.join(" ", command) + "\n" + printed,
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            return new Result(process.exitValue(), printed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    log.debug("could not delete {}", output, e);
                }
            }
        }
    }
}
