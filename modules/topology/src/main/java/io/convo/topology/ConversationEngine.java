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
import io.convo.rules.conversation.Acceptance;
import io.convo.rules.conversation.ConversationAggregate;
import io.convo.rules.conversation.ConversationRules;
import io.convo.rules.conversation.PipelinedChecks;
import io.convo.rules.identity.IdentityAggregate;
import io.convo.rules.identity.MembershipChange;
import io.convo.topology.ConvoConfig.TopologySettings;
import io.convo.topology.WaitingCommands.Queue;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides a conversation's commands in the order they were produced (SPEC §3, §4): loads the conversation's state,
 * runs the rules' {@link CommandPipeline}, applies and forwards what it decided. A command that needs a check under
 * another key (a service's action window, an identity's membership count) sends a {@link CheckRequest} and waits
 * (see {@link WaitingCommands}); the conversation's later commands are parked until the {@link CheckReply} arrives,
 * then run in order, except those whose decision cannot depend on the answers ({@link PipelinedChecks}: chat adds of
 * other identities), which send their own checks at once, up to {@code convo.checks.max-in-flight}. Outcomes are
 * decided and emitted in command order whatever order the replies come in. Other conversations never wait.
 *
 * <p>Shared by the processor of commands and the processor of replies: both belong to the same task and stores.
 */
final class ConversationEngine {

    private static final Logger log = LoggerFactory.getLogger(ConversationEngine.class);

    private final ProcessorContext<String, Object> context;
    private final Forwarder out;
    private final Sinks sinks;
    private final ConversationAggregate.Stores stores;
    private final WaitingCommands waiting;
    private final KeyValueStore<String, ActionWindowCounts> windows;
    private final CommandOutcomes outcomes;
    private final Verdicts verdicts;
    private final ConversationRules rules;
    private final CommandPipeline<ConversationAggregate> pipeline;
    private final PipelinedChecks pipelined;
    private final Acceptance acceptance;
    private final ConvoMetrics metrics;

    ConversationEngine(ProcessorContext<String, Object> context, TopologySettings settings, Sinks sinks) {
        this.context = context;
        this.out = new Forwarder(context);
        this.sinks = sinks;
        this.stores = TaskStores.conversations(context);
        this.waiting = new WaitingCommands(context, settings.limits().commandBytes());
        this.windows = context.getStateStore(StoreNames.CONVERSATION_ACTIONS);
        this.outcomes = new CommandOutcomes(context.getStateStore(StoreNames.CONVERSATION_OUTCOMES),
                settings.idempotencyRetention());
        this.rules = new ConversationRules(settings.limits());
        this.pipeline = new CommandPipeline<>(RateLimitScope.conversation, settings.limits(), settings.maxClockSkew(), rules);
        this.acceptance = new Acceptance(settings.limits());
        this.pipelined = new PipelinedChecks(settings.limits(), settings.maxChecksInFlight());
        this.metrics = new ConvoMetrics(context.metrics());
        this.verdicts = new Verdicts(outcomes, metrics, out, sinks.conversationRejections());
    }

    /**
     * A command from {@code conversation-commands}: run at once when nothing of its conversation waits; run ahead of
     * the checks in flight when its decision cannot depend on them ({@link PipelinedChecks}); else parked.
     */
    void onCommand(String key, ConversationCommand envelope) {
        Queue queue = waiting.of(key);
        Command command = Command.of(envelope);
        if (queue.nothingInFlight() && queue.nothingParked()) {
            run(queue, command);
        } else if (!queue.nothingParked() || !runAhead(queue, command)) {
            queue.park(envelope);
            metrics.parked();
        }
        queue.save();
    }

    /**
     * A reply from {@code convo-check-replies}: kept with the command it answers; then the oldest commands in flight
     * whose answers came are decided, in command order, and the parked ones run as far as they can.
     */
    void onReply(String key, CheckReply reply) {
        Queue queue = waiting.of(key);
        if (!queue.answer(reply)) {
            // Exactly-once processing makes this impossible; log loudly rather than guess.
            log.error("conversation {}: reply for command {} matches no pending check; ignored", key, reply.getCommandId());
            return;
        }
        for (PendingCheck answered = queue.takeAnswered(); answered != null; answered = queue.takeAnswered()) {
            complete(queue, Command.of(answered.getCommand()), answered.getReply());
        }
        while (!queue.nothingParked()) {
            ConversationCommand next = queue.firstParked();
            if (queue.nothingInFlight()) {
                queue.dropFirstParked();
                run(queue, Command.of(next));
            } else if (runAhead(queue, Command.of(next))) {
                queue.dropFirstParked();
            } else {
                break;
            }
        }
        queue.save();
    }

    /** Decides a command whose check answered. */
    private void complete(Queue queue, Command command, CheckReply reply) {
        ConversationAggregate state = new ConversationAggregate(stores, queue.key());
        if (reply.getKind() == CheckKind.SERVICE_ACTION) {
            handle(queue, command, state, pipeline.afterServiceCheck(command, state, reply.getAdmitted(),
                    reply.getRetryAfterMs(), reply.getReason()));
        } else {
            AddParticipant add = command.as(AddParticipant.class);
            decided(queue, command, state, reply.getAdmitted() ? rules.granted(add)
                    : rules.identityLimit(add, reply.getCount() == null ? 0 : reply.getCount()));
        }
    }

    /** SPEC §3 for one command when nothing older of its conversation waits. */
    private void run(Queue queue, Command command) {
        String key = queue.key();
        ConversationAggregate state = new ConversationAggregate(stores, key);
        handle(queue, command, state,
                pipeline.run(command, key, state, context.currentSystemTimeMs(), outcomes, windows.get(key)));
    }

    /**
     * Starts {@code command}'s identity check ahead of the checks in flight, when its decision cannot depend on their
     * answers and the pipeline asks for one; true when it did. The pipeline is pure, so a command that does not qualify
     * leaves nothing behind and runs again, from its start, once its turn comes.
     */
    private boolean runAhead(Queue queue, Command command) {
        String key = queue.key();
        ConversationAggregate state = new ConversationAggregate(stores, key);
        if (!pipelined.mayRunAhead(command, queue.inFlight(), state)) {
            return false;
        }
        Step step = pipeline.run(command, key, state, context.currentSystemTimeMs(), outcomes, windows.get(key));
        if (!(step instanceof Step.Decided d) || !(d.decision() instanceof Decision.AwaitIdentity a)) {
            return false;
        }
        keepCounted(key, d.counted());
        ask(queue, command, CheckKind.IDENTITY_RESERVE, IdentityAggregate.key(command.serviceSid(), a.identity()),
                a.identity());
        metrics.ranAhead();
        return true;
    }

    /** Applies where the pipeline stopped: a verdict, a check sent, or the decision. */
    private void handle(Queue queue, Command command, ConversationAggregate state, Step step) {
        String key = queue.key();
        if (step instanceof Step.Rejected r) {
            keepCounted(key, r.counted());
            verdicts.rejected(key, command, r.rejection(), r.remember());
            return;
        }
        if (step instanceof Step.AskService) {
            ask(queue, command, CheckKind.SERVICE_ACTION, command.serviceSid(), null);
            return;
        }
        Step.Decided d = (Step.Decided) step;
        keepCounted(key, d.counted());
        decided(queue, command, state, d.decision());
    }

    private void decided(Queue queue, Command command, ConversationAggregate state, Decision decision) {
        if (decision instanceof Decision.Rejected r) {
            verdicts.rejected(queue.key(), command, r.rejection(), true);
        } else if (decision instanceof Decision.AwaitIdentity a) {
            ask(queue, command, CheckKind.IDENTITY_RESERVE, IdentityAggregate.key(command.serviceSid(), a.identity()),
                    a.identity());
        } else {
            accepted(queue.key(), command, state, (Decision.Accepted) decision);
        }
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

    private void ask(Queue queue, Command command, CheckKind kind, String checkKey, String identity) {
        queue.sent(command.conversationEnvelope(), kind);
        metrics.asked(kind.name());
        CheckRequest request = new CheckRequest(kind, command.commandId(), command.serviceSid(), queue.key(), identity,
                command.timestamp());
        out.forward(kind == CheckKind.SERVICE_ACTION ? sinks.serviceCheckRequests() : sinks.identityCheckRequests(),
                checkKey, request, command.timestamp());
    }

}
