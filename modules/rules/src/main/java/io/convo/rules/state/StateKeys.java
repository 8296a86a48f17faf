package io.convo.rules.state;

/**
 * How composite store keys are built: ids joined by {@link #SEPARATOR} (U+0000), which no id, identity or address
 * may contain (validation rejects it), so that all entries under one id sort together and a prefix scan finds them.
 */
public final class StateKeys {

    public static final char SEPARATOR = '\u0000';

    private StateKeys() {
    }

    /** {@code first}, {@code second}, … joined by the separator. */
    public static String key(String first, String... rest) {
        StringBuilder key = new StringBuilder(first);
        for (String part : rest) {
            key.append(SEPARATOR).append(part);
        }
        return key.toString();
    }

    /** The prefix under which every key starting with these parts sorts: the parts and a trailing separator. */
    public static String prefix(String first, String... rest) {
        return key(first, rest) + SEPARATOR;
    }

    /** The smallest string above every string starting with {@code prefix}. */
    static String prefixEnd(String prefix) {
        char last = prefix.charAt(prefix.length() - 1);
        return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
    }
}
