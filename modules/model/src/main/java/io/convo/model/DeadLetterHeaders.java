package io.convo.model;

/**
 * The headers every dead letter of convo carries (on {@code commands-dlq} and the connectors' {@code delivery-dlq}),
 * named once: why the record could not be processed, and where it came from.
 */
public final class DeadLetterHeaders {

    /** Prefix of every dead-letter header. */
    public static final String PREFIX = "convo.dlq.";
    /** Why, in words. */
    public static final String REASON = PREFIX + "reason";
    /** The exception's class, when one was thrown. */
    public static final String EXCEPTION = PREFIX + "exception";
    /** The topic, partition and offset the record was read from. */
    public static final String TOPIC = PREFIX + "topic";
    public static final String PARTITION = PREFIX + "partition";
    public static final String OFFSET = PREFIX + "offset";
    /**
     * Present when the dead letter is not the whole record, because the whole record would not fit in one produce
     * request: what was cut ({@code value}, {@code headers}, {@code key}, comma-separated).
     */
    public static final String TRUNCATED = PREFIX + "truncated";
    /** With {@link #TRUNCATED}: the original value's size in bytes and its SHA-256 (hex). */
    public static final String ORIGINAL_SIZE = PREFIX + "original-size";
    public static final String ORIGINAL_SHA256 = PREFIX + "original-sha256";
    /** How many times processing the record failed before it was dead-lettered (the safety net's dead letters). */
    public static final String ATTEMPTS = PREFIX + "attempts";

    private DeadLetterHeaders() {
    }
}
