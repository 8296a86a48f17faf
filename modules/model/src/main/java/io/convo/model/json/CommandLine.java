package io.convo.model.json;

import org.apache.avro.specific.SpecificRecord;

import java.util.Objects;

/**
 * A parsed command line: the record to produce and where.
 *
 * @param topic     which input topic the command goes to
 * @param key       the record key: conversationSid for conversation commands, serviceSid for service commands
 * @param timestamp the command's timestamp (epoch ms), also the record timestamp
 * @param envelope  the value to produce: a {@code ConversationCommand} or a {@code ServiceCommand}
 */
public record CommandLine(CommandTopic topic, String key, long timestamp, SpecificRecord envelope) {

    public CommandLine {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(envelope, "envelope");
    }

    /** The command inside the envelope, e.g. an {@code AddParticipant}. */
    public SpecificRecord command() {
        return (SpecificRecord) envelope.get(0);
    }

    /** The command's type: its record name, e.g. {@code AddParticipant}. */
    public String type() {
        return command().getSchema().getName();
    }
}
