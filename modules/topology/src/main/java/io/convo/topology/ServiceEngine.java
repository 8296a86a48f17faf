package io.convo.topology;

import io.convo.internal.CheckReply;
import io.convo.internal.CheckRequest;
import io.convo.internal.RoleState;
import io.convo.internal.UserState;
import io.convo.model.RateLimitScope;
import io.convo.model.ServiceCommand;
import io.convo.model.ServiceEvent;
import io.convo.rules.CommandValidator;
import io.convo.rules.Commands;
import io.convo.rules.Rejection;
import io.convo.rules.ServiceDecision;
import io.convo.rules.ServiceRules;
import io.convo.topology.ConvoConfig.TopologySettings;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Decides user and role commands, and admits the service-scoped actions conversations ask about (conversation
 * create and delete), against one per-service action window (L10), so that all of a service's actions share it.
 */
final class ServiceEngine {

    private final ProcessorContext<String, Object> context;
    private final CommandValidator validator;
    private final KeyValueStore<String, UserState> users;
    private final KeyValueStore<String, RoleState> roles;
    private final ActionCounter actions;
    private final CommandOutcomes outcomes;
    private final ConvoMetrics metrics;
    private final long maxClockSkewMs;

    ServiceEngine(ProcessorContext<String, Object> context, TopologySettings settings) {
        this.context = context;
        this.validator = new CommandValidator(settings.limits());
        this.users = context.getStateStore(StoreNames.USERS);
        this.roles = context.getStateStore(StoreNames.ROLES);
        this.actions = new ActionCounter(context.getStateStore(StoreNames.SERVICE_ACTIONS), RateLimitScope.service,
                settings.limits().actionsPerSecond(), ConvoTopology.ACTION_WINDOW_HORIZON);
        this.metrics = new ConvoMetrics(context.metrics());
        this.outcomes = new CommandOutcomes(context.getStateStore(StoreNames.SERVICE_OUTCOMES),
                settings.idempotencyRetention());
        this.maxClockSkewMs = settings.maxClockSkew().toMillis();
    }

    void onCommand(String key, ServiceCommand envelope) {
        Object command = envelope.getCommand();
        String commandId = Commands.commandId(command);
        long timestamp = Commands.timestamp(command);
        Optional<Rejection> skewed = CommandValidator.validateTimestamp(timestamp, context.currentSystemTimeMs(), maxClockSkewMs);
        if (skewed.isPresent()) {
            // not remembered: its timestamp must not reach the window stores, whose retention follows stream time
            forwardRejection(key, command, skewed.get());
            return;
        }
        String first = outcomes.firstOutcome(commandId, timestamp);
        if (first != null) {
            forwardRejection(key, command, Rejection.duplicate(commandId, first));
            return;
        }
        Optional<Rejection> invalid = validator.validate(command, key, null);
        if (invalid.isPresent()) {
            reject(key, command, invalid.get());
            return;
        }
        Rejection limited = actions.admit(key, timestamp);
        if (limited != null) {
            reject(key, command, limited);
            return;
        }
        String serviceSid = Commands.serviceSid(command);
        ServiceDecision decision = ServiceRules.decide(command,
                identity -> users.get(StoreNames.key(serviceSid, identity)),
                roleSid -> roles.get(StoreNames.key(serviceSid, roleSid)));
        if (decision instanceof ServiceDecision.Rejected r) {
            reject(key, command, r.rejection());
            return;
        }
        SpecificRecord event;
        if (decision instanceof ServiceDecision.UserAccepted u) {
            put(users, StoreNames.key(serviceSid, u.identity()), u.next());
            event = u.event();
        } else {
            ServiceDecision.RoleAccepted r = (ServiceDecision.RoleAccepted) decision;
            put(roles, StoreNames.key(serviceSid, r.roleSid()), r.next());
            event = r.event();
        }
        outcomes.record(commandId, timestamp, event.getSchema().getName());
        metrics.decided(Commands.type(command), null);
        context.forward(new Record<>(key, new ServiceEvent(event), timestamp), Nodes.SERVICE_EVENTS);
    }

    private static <V> void put(KeyValueStore<String, V> store, String key, V value) {
        if (value == null) {
            store.delete(key);
        } else {
            store.put(key, value);
        }
    }

    /** A conversation asks whether its create or delete fits in the service's current window. */
    void onActionCheck(String key, CheckRequest request) {
        Rejection limited = actions.admit(key, request.getTimestamp());
        CheckReply reply = new CheckReply(request.getKind(), request.getCommandId(), request.getConversationSid(),
                limited == null, limited == null ? null : limited.retryAfterMs(), null,
                limited == null || limited.retryAfterMs() != null ? null : limited.reason());
        context.forward(new Record<>(request.getConversationSid(), reply, request.getTimestamp()),
                Nodes.SERVICE_CHECK_REPLIES);
    }

    private void reject(String key, Object command, Rejection rejection) {
        outcomes.record(Commands.commandId(command), Commands.timestamp(command), rejection.code().name());
        forwardRejection(key, command, rejection);
    }

    private void forwardRejection(String key, Object command, Rejection rejection) {
        metrics.decided(Commands.type(command), rejection.code().name());
        context.forward(new Record<>(key, Rejections.of(command, key, rejection), Commands.timestamp(command)),
                Nodes.SERVICE_REJECTIONS);
    }
}
