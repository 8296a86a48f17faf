package io.convo.topology;

import io.convo.internal.CheckKind;
import io.convo.internal.CheckQueue;
import io.convo.internal.CheckReply;
import io.convo.internal.ParkedCommands;
import io.convo.internal.PendingCheck;
import io.convo.model.ConversationCommand;
import io.convo.model.serde.ConvoSerdes;
import io.convo.rules.Command;
import io.convo.rules.state.StateKeys;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * How a conversation's waiting commands are kept: the commands whose checks are in flight, oldest first
 * ({@code pending-checks}, one entry each, with its reply once it came), then the commands parked behind them
 * ({@code parked-commands}, in batches), all under the conversation's key numbered by sequences that
 * {@code check-queues} bounds. The {@link ConversationEngine} decides; this class only stores.
 *
 * <p>Why batches (issue 16): a parked command is written when it parks and deleted when it runs, and a check's round
 * trip spans at least two commits, so one entry per command cost two changelog records per parked command, the
 * most of any store. Commands that park close together now share an entry, which the record cache writes once per
 * commit, and a batch is deleted once, after its last command ran. A batch takes at most {@link #BATCH_COMMANDS}
 * commands and one command's worth of bytes, so no value grows with the number waiting past the bound of one
 * command, and only for {@link #BATCH_OPEN_MS} after it was opened: a batch that kept taking commands across many
 * commits would be written again at each (the first measurement of batches: 0.55 records but 160 bytes per command).
 */
final class WaitingCommands {

    /** Commands a batch takes at most: each one parked re-writes the batch's bytes, so it is kept short. */
    static final int BATCH_COMMANDS = 16;

    /** How long a batch takes commands after it was opened: the commit interval of exactly_once_v2 (100 ms). */
    static final long BATCH_OPEN_MS = 100;

    private final KeyValueStore<String, CheckQueue> queues;
    private final KeyValueStore<String, PendingCheck> inFlight;
    private final KeyValueStore<String, ParkedCommands> parked;
    private final int batchBytes;
    private final ProcessorContext<?, ?> context;
    /**
     * The batches opened since {@link #openSince}, by conversation: only these take more commands. In memory only,
     * forgotten every {@link #BATCH_OPEN_MS} (so it holds no more than the conversations that parked since) and on a
     * restart, after which later commands simply open new batches. Each is kept with the value last put, which only
     * this processor changes (the replies' processor deletes a batch once it ran all of it, and then nothing is
     * parked), so joining it needs no read and no decoding of the store's copy.
     */
    private Map<String, OpenBatch> openBatches = new HashMap<>();
    private long openSince;
    private final Serde<ConversationCommand> commands = ConvoSerdes.internalSerde(ConversationCommand.class);

    /** A batch that still takes commands: its key's sequence and its value as last put. */
    private record OpenBatch(long first, ParkedCommands batch) {
    }

    /** @param batchBytes the bytes of parked commands a batch holds at most ({@code convo.limits.command-bytes}) */
    WaitingCommands(ProcessorContext<?, ?> context, int batchBytes) {
        this.queues = context.getStateStore(StoreNames.CHECK_QUEUES);
        this.inFlight = context.getStateStore(StoreNames.PENDING_CHECKS);
        this.parked = context.getStateStore(StoreNames.PARKED_COMMANDS);
        this.batchBytes = batchBytes;
        this.context = context;
    }

    /** {@code conversationSid}'s batch that still takes commands, or null. */
    private OpenBatch openBatch(String conversationSid) {
        long now = context.currentSystemTimeMs();
        if (openBatches.isEmpty()) {
            openSince = now;
        } else if (now - openSince >= BATCH_OPEN_MS || now < openSince) {
            // A new map rather than clear(): clearing keeps, and walks, the table of the busiest window ever seen.
            openBatches = new HashMap<>();
            openSince = now;
        }
        return openBatches.get(conversationSid);
    }

    /** The waiting commands of one conversation; {@link Queue#save} keeps what changed. */
    Queue of(String conversationSid) {
        CheckQueue stored = queues.get(conversationSid);
        return new Queue(conversationSid, stored == null ? new CheckQueue(0L, 0L, 0L, 0L, 0L, 0L) : stored,
                stored != null);
    }

    final class Queue {
        private final String key;
        private final CheckQueue range;
        /** Whether the store holds the ranges: an idle conversation writes nothing, not even a tombstone. */
        private boolean stored;
        /** The batch holding the oldest parked command, once read: a drain reads it once, not once per command. */
        private ParkedCommands headBatch;

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

        /** {@code command} waits behind the checks in flight: it joins the newest batch if that is open and has room. */
        void park(ConversationCommand command) {
            ByteBuffer encoded = ByteBuffer.wrap(commands.serializer().serialize(null, command));
            long seq = range.getParkedTail();
            OpenBatch open = openBatch(key);
            ParkedCommands tail = null;
            if (!nothingParked() && open != null && open.first() == range.getParkedTailBatch()) {
                tail = open.batch();
                if (open.first() == range.getParkedHeadBatch()) {
                    headBatch = tail;
                }
            }
            if (tail != null && hasRoom(tail, encoded.remaining())) {
                tail.getCommands().add(encoded);
                parked.put(entry(range.getParkedTailBatch()), tail);
            } else {
                List<ByteBuffer> commands = new ArrayList<>();
                commands.add(encoded);
                ParkedCommands batch = new ParkedCommands(commands);
                parked.put(entry(seq), batch);
                if (nothingParked()) {
                    range.setParkedHeadBatch(seq);
                    headBatch = batch;
                }
                range.setParkedTailBatch(seq);
                openBatches.put(key, new OpenBatch(seq, batch));
            }
            range.setParkedTail(seq + 1);
        }

        private boolean hasRoom(ParkedCommands batch, int bytes) {
            if (batch.getCommands().size() >= BATCH_COMMANDS) {
                return false;
            }
            long held = bytes;
            for (ByteBuffer command : batch.getCommands()) {
                held += command.remaining();
            }
            return held <= batchBytes;
        }

        /** The oldest parked command, or null when none is. */
        ConversationCommand firstParked() {
            if (nothingParked()) {
                return null;
            }
            return commands.deserializer().deserialize(null, Utils.toArray(headBatch().getCommands().get(headIndex())));
        }

        void dropFirstParked() {
            long head = range.getParkedHead();
            if (headIndex() == headBatch().getCommands().size() - 1) {
                parked.delete(entry(range.getParkedHeadBatch()));
                range.setParkedHeadBatch(head + 1);
                headBatch = null;
            }
            range.setParkedHead(head + 1);
        }

        private int headIndex() {
            return (int) (range.getParkedHead() - range.getParkedHeadBatch());
        }

        private ParkedCommands headBatch() {
            if (headBatch == null) {
                headBatch = batch(range.getParkedHeadBatch());
            }
            return headBatch;
        }

        private ParkedCommands batch(long first) {
            ParkedCommands batch = parked.get(entry(first));
            if (batch == null) {
                // Only a queue written before batches existed (CheckQueue v1) can point at none: drain before upgrading.
                throw new IllegalStateException("conversation " + key + ": no parked-commands batch at sequence " + first
                        + " (parked " + range.getParkedHead() + ".." + range.getParkedTail() + ")");
            }
            return batch;
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
