package io.convo.model.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads convo's configuration: a Properties file, then environment variables on top. The variable of a key is
 * {@code CONVO_} + the key without its {@code convo.} prefix, upper-cased, with {@code .} and {@code -} turned
 * into {@code _} ({@code convo.topics.partitions} ← {@code CONVO_TOPICS_PARTITIONS}, {@code bootstrap.servers}
 * ← {@code CONVO_BOOTSTRAP_SERVERS}). Defaults are not applied here: the caller knows which ones it needs.
 *
 * <p>One loader for every command, so that {@code convo run} and the operating tools read a setting alike; each
 * caller names the keys it knows ({@code convo}'s command line names them all).
 */
public final class ConfigLoader {

    /** Read when no file is named and it exists, relative to the working directory. */
    public static final Path DEFAULT_FILE = Path.of("config", "convo.properties");
    static final String ENV_PREFIX = "CONVO_";
    private static final String KEY_PREFIX = "convo.";

    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    private final Map<String, String> environment;
    private final Set<String> knownKeys;

    /**
     * @param environment where overrides come from (normally {@link System#getenv()})
     * @param knownKeys   the keys a variable may set without the file naming them; a {@code CONVO_} variable that
     *                    matches none of them, nor a key of the file, is reported and ignored
     */
    public ConfigLoader(Map<String, String> environment, Set<String> knownKeys) {
        this.environment = Map.copyOf(environment);
        this.knownKeys = Set.copyOf(knownKeys);
    }

    /**
     * The configuration from {@code file} (or {@link #DEFAULT_FILE} if {@code file} is null and the default
     * exists) with environment overrides applied.
     *
     * @throws IllegalArgumentException if {@code file} is given but is not a readable file
     */
    public Properties load(Path file) {
        Properties config = new Properties();
        Path source = file != null ? file : (Files.isRegularFile(DEFAULT_FILE) ? DEFAULT_FILE : null);
        if (source != null) {
            if (!Files.isRegularFile(source)) {
                throw new IllegalArgumentException("config file " + source.toAbsolutePath() + " does not exist");
            }
            try (Reader reader = Files.newBufferedReader(source, StandardCharsets.UTF_8)) {
                config.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read config file " + source.toAbsolutePath(), e);
            }
            LOG.info("Configuration read from {}", source.toAbsolutePath());
        }
        applyEnvironment(config);
        return config;
    }

    /** Whether a variable can set {@code key} even when the file does not name it. */
    public boolean knows(String key) {
        return knownKeys.contains(key);
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(String key) {
        String stem = key.startsWith(KEY_PREFIX) ? key.substring(KEY_PREFIX.length()) : key;
        return ENV_PREFIX + stem.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private void applyEnvironment(Properties config) {
        // The mapping loses '.' versus '-', so it is run forwards over the keys that can exist; a key of the
        // file counts too, so that a custom serde's own setting can be overridden like any other.
        Map<String, String> keyByEnv = new HashMap<>();
        Set<String> candidates = new TreeSet<>(knownKeys);
        candidates.addAll(config.stringPropertyNames());
        for (String key : candidates) {
            // convo's own keys win a clash (none today: a Kafka key never starts like a convo key's stem).
            keyByEnv.merge(envName(key), key, (a, b) -> a.startsWith(KEY_PREFIX) ? a : b);
        }
        for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
            String name = variable.getKey();
            if (!name.startsWith(ENV_PREFIX)) {
                continue;
            }
            String key = keyByEnv.get(name);
            if (key == null) {
                // A typo must not silently leave a default in force.
                LOG.warn("Environment variable {} matches no configuration key; ignored", name);
                continue;
            }
            config.setProperty(key, variable.getValue());
            LOG.info("{} set from environment variable {}", key, name);
        }
    }
}
