package io.convo.rest;

import io.convo.model.json.JsonLines;
import io.convo.operate.CommandProducer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;

/**
 * How a REST write becomes a command and an answer: the command goes to its input topic, and the request waits for
 * its committed outcome as the read model reads it ({@link Outcomes}), at most the outcome timeout.
 */
final class RestCommands implements AutoCloseable {

    /** The command was sent, but no outcome was read within the timeout: it may still be applied. */
    static final class NoOutcome extends Exception {
        private static final long serialVersionUID = 1L;

        NoOutcome(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final CommandProducer producer;
    private final Outcomes outcomes;
    private final Duration timeout;

    RestCommands(CommandProducer producer, Outcomes outcomes, Duration timeout) {
        this.producer = producer;
        this.outcomes = outcomes;
        this.timeout = timeout;
    }

    /**
     * Sends {@code command} (whose id is {@code commandId}) and waits for its outcome.
     *
     * @throws NoOutcome when the broker refused the command or no outcome came within the timeout
     */
    Outcomes.Outcome run(String commandId, SpecificRecord command) throws NoOutcome {
        CompletableFuture<Outcomes.Outcome> outcome = outcomes.expect(commandId);
        producer.send(JsonLines.commandOf(command), e -> outcomes.failed(commandId, e));
        try {
            return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new NoOutcome("command " + commandId + " was sent, but its outcome was not committed within "
                    + timeout.toMillis() + " ms; it may still be applied: retry with the same Idempotency-Key", e);
        } catch (ExecutionException e) {
            throw new NoOutcome("command " + commandId + " could not be sent: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NoOutcome("interrupted while waiting for command " + commandId, e);
        } finally {
            outcomes.forget(commandId, outcome);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
