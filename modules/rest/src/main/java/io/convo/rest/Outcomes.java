package io.convo.rest;

import io.convo.model.CommandRejected;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The commands the REST front waits for, by commandId, and what became of them. The read model tells of every
 * committed event and rejection ({@link #decided}) while it applies them; a waiting request learns its outcome only
 * once the read model has applied everything it read with it ({@link #release}), so that the resource it then reads is
 * the committed one.
 */
final class Outcomes {

    /** What became of a command. */
    sealed interface Outcome permits Accepted, Rejected {
    }

    /** The command was accepted: its first event's type. */
    record Accepted(String eventType) implements Outcome {
    }

    record Rejected(CommandRejected rejection) implements Outcome {
    }

    private final Map<String, CompletableFuture<Outcome>> waiting = new ConcurrentHashMap<>();
    /** Decided, not yet released; only the reading thread touches it. */
    private final List<Map.Entry<String, Outcome>> decided = new ArrayList<>();

    /** The outcome of {@code commandId}, once known; the same future for every request retrying the same command. */
    CompletableFuture<Outcome> expect(String commandId) {
        return waiting.computeIfAbsent(commandId, id -> new CompletableFuture<>());
    }

    /** A request stopped waiting (answered, or timed out). */
    void forget(String commandId, CompletableFuture<Outcome> outcome) {
        waiting.remove(commandId, outcome);
    }

    /** The send of {@code commandId} failed: it has no outcome to wait for. */
    void failed(String commandId, Exception e) {
        CompletableFuture<Outcome> f = waiting.remove(commandId);
        if (f != null) {
            f.completeExceptionally(e);
        }
    }

    /** On the reading thread: an outcome read from the log (only the first outcome of a command counts). */
    void decided(String commandId, Outcome outcome) {
        if (commandId != null && waiting.containsKey(commandId)) {
            decided.add(Map.entry(commandId, outcome));
        }
    }

    /** On the reading thread, once what was read is applied: tells the waiting requests. */
    void release() {
        for (Map.Entry<String, Outcome> d : decided) {
            CompletableFuture<Outcome> f = waiting.remove(d.getKey());
            if (f != null) {
                f.complete(d.getValue());
            }
        }
        decided.clear();
    }
}
