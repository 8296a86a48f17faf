package io.convo.model.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Configuration read into a record of whole numbers (limits): the record's components are the keys' only list,
 * each key being its component's name in kebab case under a prefix ({@code participantsPerConversation} ←
 * {@code <prefix>participants-per-conversation}). A key under the prefix that names no component is an error, so
 * that a typo never leaves a default silently in force.
 */
public final class RecordConfig<R extends Record> {

    private final Class<R> type;
    private final String prefix;
    private final RecordComponent[] components;
    private final List<String> names;

    public RecordConfig(Class<R> type, String prefix) {
        this.type = type;
        this.prefix = prefix;
        this.components = type.getRecordComponents();
        this.names = Arrays.stream(components).map(c -> kebab(c.getName())).toList();
    }

    /** The key names without the prefix, in the order of the record's components. */
    public List<String> names() {
        return names;
    }

    /** The full keys. */
    public List<String> keys() {
        return names.stream().map(n -> prefix + n).toList();
    }

    /**
     * {@code defaults} overridden by the keys of {@code config} under the prefix.
     *
     * @throws IllegalArgumentException for an unknown key, a value that is not a whole number of the component's
     *                                  range or is negative, or one the record's constructor refuses
     */
    public R from(Map<String, String> config, R defaults) {
        for (String key : config.keySet()) {
            if (key.startsWith(prefix) && !names.contains(key.substring(prefix.length()))) {
                throw new IllegalArgumentException("unknown limit '" + key + "'; known under " + prefix + ": " + names);
            }
        }
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            String key = prefix + names.get(i);
            String text = config.get(key);
            values[i] = text == null || text.isBlank() ? valueOf(components[i], defaults)
                    : parse(key, text.trim(), components[i].getType());
        }
        try {
            Constructor<R> canonical = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException refused) {
                throw refused;
            }
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    private static Object parse(String key, String text, Class<?> type) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + text + "'", e);
        }
        if (value < 0) {
            throw new IllegalArgumentException(key + " is " + value + "; it must not be negative");
        }
        if (type == int.class) {
            if (value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(key + " must be a whole number up to " + Integer.MAX_VALUE
                        + ", not " + value);
            }
            return Integer.valueOf((int) value);
        }
        return Long.valueOf(value);
    }

    private static Object valueOf(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
