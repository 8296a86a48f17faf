package io.convo.model.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The bytes are a well-formed record, but of another type than the topic carries (a {@code ConversationEvent} with
 * its own schema on {@code conversation-commands}): a bad record like any unreadable one, told apart so that the
 * dead-letter queue can say which kind of bad it is.
 */
public final class WrongTypeException extends SerializationException {

    private static final long serialVersionUID = 1L;

    public WrongTypeException(String message) {
        super(message);
    }
}
