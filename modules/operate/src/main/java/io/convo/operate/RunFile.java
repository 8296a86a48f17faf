package io.convo.operate;

import io.convo.model.config.ConfigKey;
import io.convo.model.config.TopicsConfig;
import io.convo.model.serde.ConvoSerdes;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a running {@code convo run} says how to reach it, so that the tools started in the same working directory
 * find what is only known once it runs: the embedded registry's random port above all, and the broker, the serde and
 * the topic prefix. {@code run} writes the file when it is running and deletes it when it stops; a tool fills in,
 * from a file whose process is alive, only the keys its own configuration (file, {@code CONVO_*} variables,
 * options) leaves unset, and only when it talks to the same broker.
 */
public final class RunFile {

    public static final ConfigKey<String> PATH = ConfigKey.text("convo.run.file", "var/convo-run.properties",
            "Where convo run writes how the tools reach it (broker, serde, registry URL); the tools read it from there.");

    static final String PID = "pid";
    /** The keys a run file carries besides its pid. */
    static final List<String> KEYS = List.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, ConvoSerdes.SERDE_CONFIG,
            ConvoSerdes.REGISTRY_URL_CONFIG, TopicsConfig.PREFIX.name());

    private static final Logger LOG = LoggerFactory.getLogger(RunFile.class);

    private RunFile() {
    }

    /** The run file named by {@code config} (relative to the working directory unless absolute). */
    public static Path path(Properties config) {
        return Path.of(PATH.from(config).trim());
    }

    /** Writes what the tools need from {@code config} (the configuration in force in the run), with this pid. */
    public static void write(Path file, Properties config) {
        Properties run = new Properties();
        run.setProperty(PID, String.valueOf(ProcessHandle.current().pid()));
        for (String key : KEYS) {
            String value = config.getProperty(key);
            if (value != null && !value.isBlank()) {
                run.setProperty(key, value.trim());
            }
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".convo-run", ".tmp");
            try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                run.store(writer, "Written by convo run (pid " + run.getProperty(PID) + "); deleted when it stops");
            }
            // Atomic, so that a tool never reads half a file.
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run file " + file.toAbsolutePath(), e);
        }
    }

    /** Deletes the run file if this process wrote it (a later run may have replaced it). */
    public static void delete(Path file) {
        Properties run = read(file);
        if (run != null && String.valueOf(ProcessHandle.current().pid()).equals(run.getProperty(PID))) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("cannot delete the run file {}", file.toAbsolutePath(), e);
            }
        }
    }

    /**
     * {@code config} with the keys of a live run's file where {@code config} has none; unchanged when there is no
     * file, its process is gone, or it names another broker than {@code config}.
     */
    public static Properties fillIn(Properties config) {
        Path file = path(config);
        Properties run = read(file);
        if (run == null) {
            return config;
        }
        if (!alive(run.getProperty(PID))) {
            LOG.debug("ignoring {}: its convo run (pid {}) is not running", file.toAbsolutePath(), run.getProperty(PID));
            return config;
        }
        String servers = config.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        String runServers = run.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        if (servers != null && !servers.isBlank() && !servers.trim().equals(runServers)) {
            return config;
        }
        Properties filled = new Properties();
        filled.putAll(config);
        StringBuilder taken = new StringBuilder();
        for (String key : KEYS) {
            String value = run.getProperty(key);
            String own = config.getProperty(key);
            if (value != null && (own == null || own.isBlank())) {
                filled.setProperty(key, value);
                taken.append(taken.length() == 0 ? "" : ", ").append(key).append('=').append(value);
            }
        }
        if (taken.length() > 0) {
            LOG.info("Using the convo run of pid {} ({}): {}", run.getProperty(PID), file, taken);
        }
        return filled;
    }

    private static Properties read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Properties run = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            run.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("cannot read the run file {}: {}", file.toAbsolutePath(), e.toString());
            return null;
        }
        return run;
    }

    private static boolean alive(String pid) {
        try {
            return pid != null && ProcessHandle.of(Long.parseLong(pid.trim())).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
