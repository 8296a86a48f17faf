package io.convo.topology;

import io.convo.internal.ActionWindowCounts;
import io.convo.internal.CheckKind;
import io.convo.internal.CheckReply;
import io.convo.internal.CheckRequest;
import io.convo.internal.PendingCheck;
import io.convo.model.AddParticipant;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.RateLimitScope;
import io.convo.rules.Command;
import io.convo.rules.CommandPipeline;
import io.convo.rules.CommandPipeline.Step;
import io.convo.rules.Decision;
import io.convo.rules.Rejection;
import io.convo.rules.conversation.Acceptance;
import io.convo.rules.conversation.ConversationAggregate;
import io.convo.rules.conversation.ConversationRules;
import io.convo.rules.identity.IdentityAggregate;
import io.convo.rules.identity.MembershipChange;
import io.convo.rules.state.StateKeys;
import io.convo.topology.ConvoConfig.TopologySettings;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides a conversation's commands in the order they were produced (SPEC §3, §4): loads the conversation's state,
 * runs the rules' {@link CommandPipeline}, applies and forwards what it decided. A command that needs a check under
 * another key (a service's action window, an identity's membership count) sends a {@link CheckRequest} and waits in
 * {@code pending-checks}; the conversation's later commands are parked in {@code parked-commands} until the
 * {@link CheckReply} arrives, then run in order. Other conversations never wait.
 *
 * <p>Shared by the processor of commands and the processor of replies: both belong to the same task and stores.
 */
final class ConversationEngine {

    private static final Logger log = LoggerFactory.getLogger(ConversationEngine.class);

    private final ProcessorContext<String, Object> context;
    private final Forwarder out;
    private final Sinks sinks;
    private final ConversationAggregate.Stores stores;
    private final KeyValueStore<String, PendingCheck> pending;
    private final KeyValueStore<String, ConversationCommand> parked;
    private final KeyValueStore<String, ActionWindowCounts> windows;
    private final CommandOutcomes outcomes;
    private final Verdicts verdicts;
    private final ConversationRules rules;
    private final CommandPipeline<ConversationAggregate> pipeline;
    private final Acceptance acceptance;
    private final ConvoMetrics metrics;

    ConversationEngine(ProcessorContext<String, Object> context, TopologySettings settings, Sinks sinks) {
        this.context = context;
        this.out = new Forwarder(context);
        this.sinks = sinks;
        this.stores = TaskStores.conversations(context);
        this.pending = context.getStateStore(StoreNames.PENDING_CHECKS);
        this.parked = context.getStateStore(StoreNames.PARKED_COMMANDS);
        this.windows = context.getStateStore(StoreNames.CONVERSATION_ACTIONS);
        this.outcomes = new CommandOutcomes(context.getStateStore(StoreNames.CONVERSATION_OUTCOMES),
                settings.idempotencyRetention());
        this.rules = new ConversationRules(settings.limits());
        this.pipeline = new CommandPipeline<>(RateLimitScope.conversation, settings.limits(), settings.maxClockSkew(), rules);
        this.acceptance = new Acceptance(settings.limits());
        this.metrics = new ConvoMetrics(context.metrics());
        this.verdicts = new Verdicts(outcomes, metrics, out, sinks.conversationRejections());
    }

    /** A command from {@code conversation-commands}: parked if its conversation waits on a check, else run. */
    void onCommand(String key, ConversationCommand envelope) {
        PendingCheck waiting = pending.get(key);
        if (waiting != null) {
            long seq = waiting.getParkedTail();
            parked.put(StateKeys.key(key, sequence(seq)), envelope);
            waiting.setParkedTail(seq + 1);
            pending.put(key, waiting);
            metrics.parked();
            return;
        }
        run(key, Command.of(envelope));
    }

    /** A reply from {@code convo-check-replies}: completes the waiting command, then runs the parked ones. */
    void onReply(String key, CheckReply reply) {
        PendingCheck waiting = pending.get(key);
        Command command = waiting == null ? null : Command.of(waiting.getCommand());
        if (command == null || !command.commandId().equals(reply.getCommandId())) {
            // Exactly-once processing makes this impossible; log loudly rather than guess.
            log.error("conversation {}: reply for command {} matches no pending check; ignored", key, reply.getCommandId());
            return;
        }
        long head = waiting.getParkedHead();
        long tail = waiting.getParkedTail();
        pending.delete(key);
        ConversationAggregate state = new ConversationAggregate(stores, key);
        boolean waits;
        if (reply.getKind() == CheckKind.SERVICE_ACTION) {
            waits = handle(key, command, state, pipeline.afterServiceCheck(command, state, reply.getAdmitted(),
                    reply.getRetryAfterMs(), reply.getReason()));
        } else {
            AddParticipant add = command.as(AddParticipant.class);
            waits = decided(key, command, state, reply.getAdmitted() ? rules.granted(add)
                    : rules.identityLimit(add, reply.getCount() == null ? 0 : reply.getCount()));
        }
        if (waits) {
            keepParked(key, head, tail);
        } else {
            drain(key, head, tail);
        }
    }

    /** Runs parked commands oldest first until one waits on a check again or none is left. */
    private void drain(String key, long head, long tail) {
        while (head < tail) {
            ConversationCommand next = parked.delete(StateKeys.key(key, sequence(head)));
            head++;
            if (next != null && run(key, Command.of(next))) {
                keepParked(key, head, tail);
                return;
            }
        }
    }

    /** Keeps the parked range behind a check that {@link #run} just started. */
    private void keepParked(String key, long head, long tail) {
        PendingCheck p = pending.get(key);
        p.setParkedHead(head);
        p.setParkedTail(tail);
        pending.put(key, p);
    }

    /** SPEC §3 for one command; true when it now waits on a check. */
    private boolean run(String key, Command command) {
        ConversationAggregate state = new ConversationAggregate(stores, key);
        return handle(key, command, state,
                pipeline.run(command, key, state, context.currentSystemTimeMs(), outcomes, windows.get(key)));
    }

    /** Applies where the pipeline stopped; true when the command now waits on a check. */
    private boolean handle(String key, Command command, ConversationAggregate state, Step step) {
        if (step instanceof Step.Rejected r) {
            keepCounted(key, r.counted());
            verdicts.rejected(key, command, r.rejection(), r.remember());
            return false;
        }
        if (step instanceof Step.AskService) {
            ask(key, command, CheckKind.SERVICE_ACTION, command.serviceSid(), null);
            return true;
        }
        Step.Decided d = (Step.Decided) step;
        keepCounted(key, d.counted());
        return decided(key, command, state, d.decision());
    }

    private boolean decided(String key, Command command, ConversationAggregate state, Decision decision) {
        if (decision instanceof Decision.Rejected r) {
            verdicts.rejected(key, command, r.rejection(), true);
            return false;
        }
        if (decision instanceof Decision.AwaitIdentity a) {
            ask(key, command, CheckKind.IDENTITY_RESERVE, IdentityAggregate.key(command.serviceSid(), a.identity()),
                    a.identity());
            return true;
        }
        accepted(key, command, state, (Decision.Accepted) decision);
        return false;
    }

    private void accepted(String key, Command command, ConversationAggregate state, Decision.Accepted decision) {
        Acceptance.Outcome outcome = acceptance.accept(decision, state);
        long timestamp = command.timestamp();
        for (MembershipChange release : outcome.releases()) {
            CheckRequest request = new CheckRequest(CheckKind.IDENTITY_RELEASE, command.commandId(),
                    release.serviceSid(), key, release.identity(), timestamp);
            out.forward(sinks.identityCheckRequests(), IdentityAggregate.key(release.serviceSid(), release.identity()),
                    request, timestamp);
        }
        verdicts.accepted(command, decision.events().get(0).getSchema().getName());
        for (SpecificRecord event : outcome.events()) {
            out.forward(sinks.conversationEvents(), key, new ConversationEvent(event), timestamp);
        }
        for (Delivery d : outcome.deliveries()) {
            out.forward(sinks.delivery(d.getChannel()), key, d, timestamp);
        }
        for (DeliveryReceipt failed : outcome.failures()) {
            out.forward(sinks.failedDeliveries(), key, failed, timestamp);
        }
    }

    private void keepCounted(String key, ActionWindowCounts counted) {
        if (counted != null) {
            windows.put(key, counted);
        }
    }

    private void ask(String key, Command command, CheckKind kind, String checkKey, String identity) {
        pending.put(key, new PendingCheck(command.conversationEnvelope(), kind, 0L, 0L));
        metrics.asked(kind.name());
        CheckRequest request = new CheckRequest(kind, command.commandId(), command.serviceSid(), key, identity,
                command.timestamp());
        out.forward(kind == CheckKind.SERVICE_ACTION ? sinks.serviceCheckRequests() : sinks.identityCheckRequests(),
                checkKey, request, command.timestamp());
    }


    /** Zero-padded so that parked keys sort in arrival order within a conversation's prefix. */
    private static String sequence(long seq) {
        return String.format("%019d", seq);
    }
}
