package io.convo.topology;

import io.convo.internal.ActionWindowCounts;
import io.convo.internal.CheckReply;
import io.convo.internal.CheckRequest;
import io.convo.model.RateLimitScope;
import io.convo.model.ServiceCommand;
import io.convo.model.ServiceEvent;
import io.convo.rules.ActionWindows;
import io.convo.rules.Command;
import io.convo.rules.CommandPipeline;
import io.convo.rules.CommandPipeline.Step;
import io.convo.rules.Decision;
import io.convo.rules.Rejection;
import io.convo.rules.service.ServiceAggregate;
import io.convo.rules.service.ServiceFold;
import io.convo.rules.service.ServiceRules;
import io.convo.topology.ConvoConfig.TopologySettings;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Decides user and role commands through the rules' {@link CommandPipeline}, and admits the service-scoped actions
 * conversations ask about (conversation create and delete), against one per-service action window (L10), so that
 * all of a service's actions share it.
 */
final class ServiceEngine {

    private final ProcessorContext<String, Object> context;
    private final Forwarder out;
    private final Sinks sinks;
    private final ServiceAggregate.Stores stores;
    private final KeyValueStore<String, ActionWindowCounts> windows;
    private final CommandOutcomes outcomes;
    private final Verdicts verdicts;
    private final CommandPipeline<ServiceAggregate> pipeline;

    ServiceEngine(ProcessorContext<String, Object> context, TopologySettings settings, Sinks sinks) {
        this.context = context;
        this.out = new Forwarder(context);
        this.sinks = sinks;
        this.stores = TaskStores.services(context);
        this.windows = context.getStateStore(StoreNames.SERVICE_ACTIONS);
        this.outcomes = new CommandOutcomes(context.getStateStore(StoreNames.SERVICE_OUTCOMES),
                settings.idempotencyRetention());
        this.pipeline = new CommandPipeline<>(RateLimitScope.service, settings.limits(), settings.maxClockSkew(),
                new ServiceRules(settings.limits()));
        this.verdicts = new Verdicts(outcomes, new ConvoMetrics(context.metrics()), out, sinks.serviceRejections());
    }

    void onCommand(String key, ServiceCommand envelope) {
        Command command = Command.of(envelope);
        ServiceAggregate service = new ServiceAggregate(stores, command.serviceSid());
        Step step = pipeline.run(command, key, service, context.currentSystemTimeMs(), outcomes, windows.get(key));
        if (step instanceof Step.Rejected r) {
            verdicts.rejected(key, command, r.rejection(), r.remember());
            return;
        }
        Step.Decided d = (Step.Decided) step; // the service is its own commands' rate scope: nothing to ask
        windows.put(key, d.counted());
        if (d.decision() instanceof Decision.Rejected r) {
            verdicts.rejected(key, command, r.rejection(), true);
            return;
        }
        Decision.Accepted accepted = (Decision.Accepted) d.decision();
        verdicts.accepted(command, accepted.events().get(0).getSchema().getName());
        for (SpecificRecord event : accepted.events()) {
            ServiceFold.evolve(service, event);
            out.forward(sinks.serviceEvents(), key, new ServiceEvent(event), command.timestamp());
        }
    }

    /** A conversation asks whether its create or delete fits in the service's current window. */
    void onActionCheck(String key, CheckRequest request) {
        ActionWindows.Admission admission = pipeline.windows().admit(windows.get(key), request.getTimestamp());
        if (admission.admitted()) {
            windows.put(key, admission.counted());
        }
        Rejection refused = admission.rejection();
        CheckReply reply = new CheckReply(request.getKind(), request.getCommandId(), request.getConversationSid(),
                refused == null, refused == null ? null : refused.retryAfterMs(), null,
                refused == null || refused.retryAfterMs() != null ? null : refused.reason());
        out.forward(sinks.serviceCheckReplies(), request.getConversationSid(), reply, request.getTimestamp());
    }

}
