package io.convo.rules;

import io.convo.internal.ActionWindowCounts;
import io.convo.model.RateLimitScope;
import java.time.Duration;
import java.util.Optional;

/**
 * The order of SPEC §3 for one command, written once for every key space: the clock check, the record key check,
 * the idempotency check,
 * field validation (step 1), the rate limit (step 2; a command rejected in step 1 is not an action, one admitted here
 * counts even if step 3 rejects it), then the aggregate's decision (step 3). When the command's rate scope is not
 * the key space it runs in (a conversation's create or delete counts against its service), the pipeline stops at
 * step 2 and the engine asks the scope's key; {@link #afterServiceCheck} resumes it with the answer.
 *
 * <p>Pure: state comes in as values and lookups, and what to keep goes out in the {@link Step}.
 *
 * @param <S> the aggregate's state
 */
public final class CommandPipeline<S> {

    /** The parts of the pipeline that belong to one aggregate. */
    public interface Rules<S> {

        /** Step 1 against the state (the author's channel of a message); the key was checked before. */
        Optional<Rejection> validate(Command command, S state);

        /** Step 3. */
        Decision decide(Command command, S state);
    }

    /** The idempotency memory of the key space. */
    public interface Memory {

        /** The first outcome of {@code commandId} (an event or a rejection code), or null when it was not seen. */
        String firstOutcome(String commandId, long timestamp);
    }

    /** Where the pipeline stopped with a command. */
    public sealed interface Step {

        /**
         * Rejected before step 3.
         *
         * @param remember whether this is the command's outcome, for later duplicates of it: not for a clock
         *                 rejection (its timestamp must not reach the window stores) nor for a duplicate
         * @param counted  the rate windows to keep, when step 2 counted the command; else null
         */
        record Rejected(Rejection rejection, boolean remember, ActionWindowCounts counted) implements Step {
        }

        /** Step 2 belongs to the command's service: ask it, then resume with {@link #afterServiceCheck}. */
        record AskService() implements Step {
        }

        /** Step 3 decided; {@code counted} are the rate windows to keep (null when the service counted it). */
        record Decided(Decision decision, ActionWindowCounts counted) implements Step {
        }
    }

    private final RateLimitScope ownScope;
    private final ActionWindows windows;
    private final int actionsPerSecond;
    private final long maxClockSkewMs;
    private final Rules<S> rules;

    /**
     * @param ownScope     the rate scope of the key space the pipeline runs in
     * @param limits       the actions per second (L10)
     * @param maxClockSkew how far from the wall clock a timestamp may be; zero turns the check off
     */
    public CommandPipeline(RateLimitScope ownScope, Limits limits, Duration maxClockSkew, Rules<S> rules) {
        this.ownScope = ownScope;
        this.actionsPerSecond = limits.actionsPerSecond();
        this.windows = new ActionWindows(ownScope, actionsPerSecond, ActionWindows.HORIZON);
        this.maxClockSkewMs = maxClockSkew.toMillis();
        this.rules = rules;
    }

    /**
     * Runs {@code command} from its start.
     *
     * @param nowMs   the wall clock
     * @param counted the rate windows of the record key in this key space, null when it has none
     */
    public Step run(Command command, String key, S state, long nowMs, Memory memory, ActionWindowCounts counted) {
        Optional<Rejection> skewed = CommandValidator.validateTimestamp(command.timestamp(), nowMs, maxClockSkewMs);
        if (skewed.isPresent()) {
            return new Step.Rejected(skewed.get(), false, null);
        }
        // Not remembered: the memory of this partition belongs to other keys (see validateKey).
        Optional<Rejection> misplaced = CommandValidator.validateKey(command, key);
        if (misplaced.isPresent()) {
            return new Step.Rejected(misplaced.get(), false, null);
        }
        String first = memory.firstOutcome(command.commandId(), command.timestamp());
        if (first != null) {
            return new Step.Rejected(Rejection.duplicate(command.commandId(), first), false, null);
        }
        Optional<Rejection> invalid = rules.validate(command, state);
        if (invalid.isPresent()) {
            return new Step.Rejected(invalid.get(), true, null);
        }
        if (command.scope() != ownScope) {
            return new Step.AskService();
        }
        ActionWindows.Admission admission = windows.admit(counted, command.timestamp());
        if (!admission.admitted()) {
            return new Step.Rejected(admission.rejection(), true, null);
        }
        return new Step.Decided(rules.decide(command, state), admission.counted());
    }

    /**
     * Resumes a command after its service answered step 2.
     *
     * @param retryAfterMs when refused for the rate, the time until a window admits it
     * @param reason       when refused for another reason (a timestamp past the service's horizon), why
     */
    public Step afterServiceCheck(Command command, S state, boolean admitted, Long retryAfterMs, String reason) {
        if (admitted) {
            return new Step.Decided(rules.decide(command, state), null);
        }
        Rejection refused = retryAfterMs != null
                ? Rejection.rateLimited(RateLimitScope.service, actionsPerSecond, retryAfterMs)
                : Rejection.invalid(reason);
        return new Step.Rejected(refused, true, null);
    }

    /** The rate limit of this key space, for checks other key spaces ask it (a service's window). */
    public ActionWindows windows() {
        return windows;
    }
}
