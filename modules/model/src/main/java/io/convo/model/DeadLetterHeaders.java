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

    private DeadLetterHeaders() {
    }
}
