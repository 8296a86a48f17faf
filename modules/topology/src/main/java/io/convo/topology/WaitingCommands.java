package io.convo.topology;

import io.convo.internal.CheckKind;
import io.convo.internal.CheckQueue;
import io.convo.internal.CheckReply;
import io.convo.internal.PendingCheck;
import io.convo.model.ConversationCommand;
import io.convo.rules.Command;
import io.convo.rules.state.StateKeys;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * How a conversation's waiting commands are kept: the commands whose checks are in flight, oldest first
 * ({@code pending-checks}, each with its reply once it came), then the commands parked behind them
 * ({@code parked-commands}), both as entries under the conversation's key numbered by a sequence that
 * {@code check-queues} bounds. Each entry is one command, so no value grows with the number waiting. The
 * {@link ConversationEngine} decides; this class only stores.
 */
final class WaitingCommands {

    private final KeyValueStore<String, CheckQueue> queues;
    private final KeyValueStore<String, PendingCheck> inFlight;
    private final KeyValueStore<String, ConversationCommand> parked;

    WaitingCommands(ProcessorContext<?, ?> context) {
        this.queues = context.getStateStore(StoreNames.CHECK_QUEUES);
        this.inFlight = context.getStateStore(StoreNames.PENDING_CHECKS);
        this.parked = context.getStateStore(StoreNames.PARKED_COMMANDS);
    }

    /** The waiting commands of one conversation; {@link Queue#save} keeps what changed. */
    Queue of(String conversationSid) {
        CheckQueue stored = queues.get(conversationSid);
        return new Queue(conversationSid, stored == null ? new CheckQueue(0L, 0L, 0L, 0L) : stored, stored != null);
    }

    final class Queue {
        private final String key;
        private final CheckQueue range;
        /** Whether the store holds the ranges: an idle conversation writes nothing, not even a tombstone. */
        private boolean stored;

        private Queue(String key, CheckQueue range, boolean stored) {
            this.key = key;
            this.range = range;
            this.stored = stored;
        }

        String key() {
            return key;
        }

        boolean nothingInFlight() {
            return range.getInFlightHead() == range.getInFlightTail();
        }

        boolean nothingParked() {
            return range.getParkedHead() == range.getParkedTail();
        }

        /** The commands whose checks are out, oldest first. */
        List<Command> inFlight() {
            List<Command> commands = new ArrayList<>();
            for (long seq = range.getInFlightHead(); seq < range.getInFlightTail(); seq++) {
                commands.add(Command.of(inFlight.get(entry(seq)).getCommand()));
            }
            return commands;
        }

        /** {@code command} now waits for the answer of a {@code kind} check. */
        void sent(ConversationCommand command, CheckKind kind) {
            long seq = range.getInFlightTail();
            inFlight.put(entry(seq), new PendingCheck(command, kind, null));
            range.setInFlightTail(seq + 1);
        }

        /**
         * Keeps {@code reply} with the command it answers; false when it answers none in flight (or one already
         * answered), which exactly-once processing makes impossible.
         */
        boolean answer(CheckReply reply) {
            for (long seq = range.getInFlightHead(); seq < range.getInFlightTail(); seq++) {
                PendingCheck check = inFlight.get(entry(seq));
                if (check.getReply() == null
                        && Command.of(check.getCommand()).commandId().equals(reply.getCommandId())) {
                    check.setReply(reply);
                    inFlight.put(entry(seq), check);
                    return true;
                }
            }
            return false;
        }

        /** Takes the oldest command in flight if its answer came; null while it has none (or nothing is out). */
        PendingCheck takeAnswered() {
            if (nothingInFlight()) {
                return null;
            }
            long head = range.getInFlightHead();
            PendingCheck oldest = inFlight.get(entry(head));
            if (oldest.getReply() == null) {
                return null;
            }
            inFlight.delete(entry(head));
            range.setInFlightHead(head + 1);
            return oldest;
        }

        void park(ConversationCommand command) {
            long seq = range.getParkedTail();
            parked.put(entry(seq), command);
            range.setParkedTail(seq + 1);
        }

        /** The oldest parked command, or null when none is. */
        ConversationCommand firstParked() {
            return nothingParked() ? null : parked.get(entry(range.getParkedHead()));
        }

        void dropFirstParked() {
            long head = range.getParkedHead();
            parked.delete(entry(head));
            range.setParkedHead(head + 1);
        }

        /** Keeps the ranges, or forgets the conversation's queue once nothing waits. */
        void save() {
            if (!nothingInFlight() || !nothingParked()) {
                queues.put(key, range);
                stored = true;
            } else if (stored) {
                queues.delete(key);
                stored = false;
            }
        }

        private String entry(long seq) {
            return StateKeys.key(key, sequence(seq));
        }
    }

    /**
     * Zero-padded to 19 digits so that a conversation's entries sort in arrival order within its prefix (what
     * {@code String.format("%019d")} writes, which cost the stream thread a twentieth of its time).
     */
    static String sequence(long seq) {
        String digits = Long.toString(seq);
        return "0".repeat(19 - digits.length()) + digits;
    }
}
