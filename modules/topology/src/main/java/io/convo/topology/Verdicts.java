package io.convo.topology;

import io.convo.model.CommandRejected;
import io.convo.rules.Command;
import io.convo.rules.Rejection;

/**
 * Where a command's outcome goes, for both engines: into the idempotency memory (so that a duplicate is answered
 * with it), into the metrics, and for a rejection onto {@code command-rejections}.
 */
final class Verdicts {

    private final CommandOutcomes memory;
    private final ConvoMetrics metrics;
    private final Forwarder out;
    private final Sink<CommandRejected> rejections;

    Verdicts(CommandOutcomes memory, ConvoMetrics metrics, Forwarder out, Sink<CommandRejected> rejections) {
        this.memory = memory;
        this.metrics = metrics;
        this.out = out;
        this.rejections = rejections;
    }

    /** Accepted with {@code event}, its first event's type. */
    void accepted(Command command, String event) {
        memory.record(command.commandId(), command.timestamp(), event);
        metrics.decided(command.type(), null);
    }

    /**
     * Rejected; {@code remember}: it is the command's outcome, kept for its duplicates (not so for a clock
     * rejection or a duplicate).
     */
    void rejected(String key, Command command, Rejection rejection, boolean remember) {
        if (remember) {
            memory.record(command.commandId(), command.timestamp(), rejection.code().name());
        }
        metrics.decided(command.type(), rejection.code().name());
        out.forward(rejections, key, rejection.toRecord(command, key), command.timestamp());
    }
}
