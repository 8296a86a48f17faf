package io.convo.model.config;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * One configuration key: its name, its default, and how its text becomes a value. Every area of convo declares its
 * keys once as these, in one table (a {@code KEYS} list beside them), so that a key's name, default and parsing
 * live in one place and the README and the environment variables can be checked against the tables.
 *
 * @param defaultValue null when the key has none (the caller decides what absence means)
 */
public record ConfigKey<T>(String name, T defaultValue, Function<String, T> parser, String description) {

    public static ConfigKey<String> text(String name, String defaultValue, String description) {
        return new ConfigKey<>(name, defaultValue, s -> s, description);
    }

    public static ConfigKey<Integer> integer(String name, Integer defaultValue, String description) {
        return new ConfigKey<>(name, defaultValue, Integer::parseInt, description);
    }

    public static ConfigKey<Short> shortInteger(String name, Short defaultValue, String description) {
        return new ConfigKey<>(name, defaultValue, Short::parseShort, description);
    }

    public static ConfigKey<Boolean> flag(String name, boolean defaultValue, String description) {
        return new ConfigKey<>(name, defaultValue, ConfigKey::parseFlag, description);
    }

    /** A duration written in milliseconds. */
    public static ConfigKey<Duration> millis(String name, Duration defaultValue, String description) {
        return new ConfigKey<>(name, defaultValue, s -> Duration.ofMillis(Long.parseLong(s)), description);
    }

    /** The value in {@code config}, else the default. */
    public T from(Map<String, ?> config) {
        Object value = config.get(name);
        return value == null ? defaultValue : parse(value.toString());
    }

    /** The value in {@code config}, else the default. */
    public T from(Properties config) {
        String value = config.getProperty(name);
        return value == null ? defaultValue : parse(value);
    }

    /**
     * The value of {@code text}, trimmed.
     *
     * @throws IllegalArgumentException naming the key when the text is not a value of it
     */
    public T parse(String text) {
        try {
            return parser.apply(text.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + ": '" + text + "' is not a valid value"
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), e);
        }
    }

    private static boolean parseFlag(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("true or false");
        };
    }
}
