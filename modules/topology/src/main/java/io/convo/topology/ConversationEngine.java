package io.convo.topology;

import io.convo.internal.CheckKind;
import io.convo.internal.CheckReply;
import io.convo.internal.CheckRequest;
import io.convo.internal.ConversationAggregate;
import io.convo.internal.DeliverySummary;
import io.convo.internal.MessageState;
import io.convo.internal.ParticipantState;
import io.convo.internal.PendingCheck;
import io.convo.model.AddParticipant;
import io.convo.model.Channel;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliverySummaryUpdated;
import io.convo.model.MessageAdded;
import io.convo.model.RateLimitScope;
import io.convo.model.SendMessage;
import io.convo.rules.CommandValidator;
import io.convo.rules.Commands;
import io.convo.rules.ConversationDecision;
import io.convo.rules.ConversationDecision.Accepted;
import io.convo.rules.ConversationDecision.AwaitIdentity;
import io.convo.rules.ConversationDecision.MessageChange;
import io.convo.rules.ConversationDecision.Rejected;
import io.convo.rules.ConversationRules;
import io.convo.rules.FanOut;
import io.convo.rules.Participants;
import io.convo.rules.Rejection;
import io.convo.topology.ConvoConfig.TopologySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides a conversation's commands in the order they were produced (SPEC §3, §4). A command that needs a check
 * under another key (a service's action window, an identity's membership count) sends a {@link CheckRequest} and
 * waits in {@code pending-checks}; the conversation's later commands are parked in {@code parked-commands} until the
 * {@link CheckReply} arrives, then run in order. Other conversations never wait.
 *
 * <p>Shared by the processor of commands and the processor of replies: both belong to the same task and stores.
 */
final class ConversationEngine {

    private static final Logger log = LoggerFactory.getLogger(ConversationEngine.class);
    private static final StringSerializer KEYS = new StringSerializer();

    private final ProcessorContext<String, Object> context;
    private final CommandValidator validator;
    private final ConversationRules rules;
    private final KeyValueStore<String, ConversationAggregate> conversations;
    private final KeyValueStore<String, MessageState> messages;
    private final KeyValueStore<String, PendingCheck> pending;
    private final KeyValueStore<String, ConversationCommand> parked;
    private final KeyValueStore<String, DeliverySummary> summaries;
    private final FanOut fanOut;
    private final DeliverySummaryFold summaryFold;
    private final ActionCounter actions;
    private final CommandOutcomes outcomes;
    private final ConvoMetrics metrics;
    private final int serviceActionsPerSecond;
    private final long maxClockSkewMs;

    ConversationEngine(ProcessorContext<String, Object> context, TopologySettings settings) {
        this.context = context;
        this.validator = new CommandValidator(settings.limits());
        this.rules = new ConversationRules(settings.limits());
        this.conversations = context.getStateStore(StoreNames.CONVERSATIONS);
        this.messages = context.getStateStore(StoreNames.MESSAGES);
        this.pending = context.getStateStore(StoreNames.PENDING_CHECKS);
        this.parked = context.getStateStore(StoreNames.PARKED_COMMANDS);
        this.summaries = context.getStateStore(StoreNames.DELIVERY_SUMMARIES);
        this.fanOut = new FanOut(settings.limits());
        this.summaryFold = new DeliverySummaryFold(summaries);
        this.actions = new ActionCounter(context.getStateStore(StoreNames.CONVERSATION_ACTIONS),
                RateLimitScope.conversation, settings.limits().actionsPerSecond(), ConvoTopology.ACTION_WINDOW_HORIZON);
        this.metrics = new ConvoMetrics(context.metrics());
        this.outcomes = new CommandOutcomes(context.getStateStore(StoreNames.CONVERSATION_OUTCOMES),
                settings.idempotencyRetention());
        this.serviceActionsPerSecond = settings.limits().actionsPerSecond();
        this.maxClockSkewMs = settings.maxClockSkew().toMillis();
    }

    /** A command from {@code conversation-commands}: parked if its conversation waits on a check, else run. */
    void onCommand(String key, ConversationCommand envelope) {
        PendingCheck waiting = pending.get(key);
        if (waiting != null) {
            long seq = waiting.getParkedTail();
            parked.put(StoreNames.key(key, sequence(seq)), envelope);
            waiting.setParkedTail(seq + 1);
            pending.put(key, waiting);
            metrics.parked();
            return;
        }
        run(key, envelope);
    }

    /** A reply from {@code convo-check-replies}: completes the waiting command, then runs the parked ones. */
    void onReply(String key, CheckReply reply) {
        PendingCheck waiting = pending.get(key);
        if (waiting == null || !Commands.commandId(waiting.getCommand().getCommand()).equals(reply.getCommandId())) {
            // Exactly-once processing makes this impossible; log loudly rather than guess.
            log.error("conversation {}: reply for command {} matches no pending check; ignored", key, reply.getCommandId());
            return;
        }
        Object command = waiting.getCommand().getCommand();
        long head = waiting.getParkedHead();
        long tail = waiting.getParkedTail();
        pending.delete(key);
        if (reply.getKind() == CheckKind.SERVICE_ACTION) {
            if (reply.getAdmitted()) {
                if (decide(key, command)) {
                    savePending(key, head, tail);
                    return;
                }
            } else if (reply.getRetryAfterMs() != null) {
                reject(key, command, Rejection.rateLimited(RateLimitScope.service, serviceActionsPerSecond,
                        reply.getRetryAfterMs()));
            } else {
                reject(key, command, Rejection.invalid(reply.getReason()));
            }
        } else {
            AddParticipant add = (AddParticipant) command;
            if (reply.getAdmitted()) {
                apply(key, command, rules.acceptParticipant(add, conversations.get(key)));
            } else {
                reject(key, command, rules.identityLimit(add, reply.getCount() == null ? 0 : reply.getCount()));
            }
        }
        drain(key, head, tail);
    }

    /** Runs parked commands oldest first until one waits on a check again or none is left. */
    private void drain(String key, long head, long tail) {
        while (head < tail) {
            String parkedKey = StoreNames.key(key, sequence(head));
            ConversationCommand next = parked.delete(parkedKey);
            head++;
            if (next != null && run(key, next)) {
                savePending(key, head, tail);
                return;
            }
        }
    }

    /** Keeps the parked range behind a check that {@link #run} or {@link #decide} just started. */
    private void savePending(String key, long head, long tail) {
        PendingCheck p = pending.get(key);
        p.setParkedHead(head);
        p.setParkedTail(tail);
        pending.put(key, p);
    }

    /**
     * The clock check and the idempotency check, then SPEC §3: validation, the rate limit (or, for a service-scoped
     * action, a check sent to the service), and the decision. Returns true when the command now waits on a check.
     */
    private boolean run(String key, ConversationCommand envelope) {
        Object command = envelope.getCommand();
        String commandId = Commands.commandId(command);
        long timestamp = Commands.timestamp(command);
        Optional<Rejection> skewed = CommandValidator.validateTimestamp(timestamp, context.currentSystemTimeMs(), maxClockSkewMs);
        if (skewed.isPresent()) {
            // not remembered: its timestamp must not reach the window stores, whose retention follows stream time
            forwardRejection(key, command, skewed.get());
            return false;
        }
        String first = outcomes.firstOutcome(commandId, timestamp);
        if (first != null) {
            forwardRejection(key, command, Rejection.duplicate(commandId, first));
            return false;
        }
        ConversationAggregate state = conversations.get(key);
        Optional<Rejection> invalid = validator.validate(command, key, authorChannel(command, state));
        if (invalid.isPresent()) {
            reject(key, command, invalid.get());
            return false;
        }
        if (Commands.actionScope(command) == RateLimitScope.service) {
            ask(key, envelope, CheckKind.SERVICE_ACTION, Commands.serviceSid(command), null);
            return true;
        }
        Rejection limited = actions.admit(key, timestamp);
        if (limited != null) {
            reject(key, command, limited);
            return false;
        }
        return decide(key, command, state);
    }

    private boolean decide(String key, Object command) {
        return decide(key, command, conversations.get(key));
    }

    /** Step 3 of SPEC §3. Returns true when the command now waits on the identity's membership check. */
    private boolean decide(String key, Object command, ConversationAggregate state) {
        ConversationDecision decision = rules.decide(command, state, sid -> messages.get(StoreNames.key(key, sid)));
        if (decision instanceof Rejected r) {
            reject(key, command, r.rejection());
            return false;
        }
        if (decision instanceof AwaitIdentity a) {
            ask(key, new ConversationCommand(command), CheckKind.IDENTITY_RESERVE,
                    StoreNames.key(Commands.serviceSid(command), a.identity()), a.identity());
            return true;
        }
        apply(key, command, (Accepted) decision);
        return false;
    }

    private void apply(String key, Object command, Accepted accepted) {
        if (accepted.next() == null) {
            conversations.delete(key);
        } else {
            conversations.put(key, accepted.next());
        }
        MessageChange change = accepted.message();
        if (change instanceof MessageChange.Put put) {
            messages.put(StoreNames.key(key, put.message().getMessageSid()), put.message());
        } else if (change instanceof MessageChange.Remove remove) {
            messages.delete(StoreNames.key(key, remove.messageSid()));
        } else if (change instanceof MessageChange.RemoveAll) {
            removeAll(messages, key);
            removeAll(summaries, key);
        }
        String serviceSid = Commands.serviceSid(command);
        long timestamp = Commands.timestamp(command);
        for (String identity : accepted.releasedIdentities()) {
            CheckRequest release = new CheckRequest(CheckKind.IDENTITY_RELEASE, Commands.commandId(command),
                    serviceSid, key, identity, timestamp);
            context.forward(new Record<>(StoreNames.key(serviceSid, identity), release, timestamp),
                    Nodes.IDENTITY_CHECK_REQUESTS);
        }
        String outcome = accepted.event().getSchema().getName();
        outcomes.record(Commands.commandId(command), timestamp, outcome);
        metrics.decided(Commands.type(command), null);
        context.forward(new Record<>(key, new ConversationEvent(accepted.event()), timestamp), Nodes.CONVERSATION_EVENTS);
        if (accepted.event() instanceof MessageAdded added && change instanceof MessageChange.Put put) {
            fanOut(key, added, put.message(), accepted.next());
        }
    }

    /**
     * SPEC §6: the deliveries of an accepted message, then its failed deliveries as receipts. The failures are
     * folded into the message's summary here, right after its event, rather than when their receipts come back
     * round: a conversation's events then follow from its commands alone, the same on a broker as in simulate.
     */
    private void fanOut(String key, MessageAdded message, MessageState stored, ConversationAggregate conversation) {
        FanOut.Plan plan = fanOut.plan(message, conversation);
        for (Delivery d : plan.deliveries()) {
            context.forward(new Record<>(key, d, message.getTimestamp()), deliverySink(d.getChannel()));
        }
        for (DeliveryReceipt failed : plan.failures()) {
            context.forward(new Record<>(key, failed, message.getTimestamp()), Nodes.FAILED_DELIVERIES);
            DeliverySummaryUpdated summary = summaryFold.apply(key, stored, failed);
            if (summary != null) {
                context.forward(new Record<>(key, new ConversationEvent(summary), message.getTimestamp()),
                        Nodes.CONVERSATION_EVENTS);
            }
        }
    }

    private static String deliverySink(Channel channel) {
        return switch (channel) {
            case chat -> Nodes.DELIVERY_CHAT;
            case sms -> Nodes.DELIVERY_SMS;
            case mms -> Nodes.DELIVERY_MMS;
            case whatsapp -> Nodes.DELIVERY_WHATSAPP;
        };
    }

    /** Deletes a deleted conversation's entries from a store keyed by conversation and another id. */
    private static <V> void removeAll(KeyValueStore<String, V> store, String key) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, V> it = store.prefixScan(StoreNames.prefix(key), KEYS)) {
            while (it.hasNext()) {
                KeyValue<String, V> kv = it.next();
                keys.add(kv.key);
            }
        }
        keys.forEach(store::delete);
    }

    private void ask(String key, ConversationCommand envelope, CheckKind kind, String checkKey, String identity) {
        Object command = envelope.getCommand();
        long timestamp = Commands.timestamp(command);
        pending.put(key, new PendingCheck(envelope, kind, 0L, 0L));
        metrics.asked(kind.name());
        CheckRequest request = new CheckRequest(kind, Commands.commandId(command), Commands.serviceSid(command), key,
                identity, timestamp);
        String sink = kind == CheckKind.SERVICE_ACTION ? Nodes.SERVICE_CHECK_REQUESTS : Nodes.IDENTITY_CHECK_REQUESTS;
        context.forward(new Record<>(checkKey, request, timestamp), sink);
    }

    /** A rejection that is the command's outcome, remembered for duplicates. */
    private void reject(String key, Object command, Rejection rejection) {
        outcomes.record(Commands.commandId(command), Commands.timestamp(command), rejection.code().name());
        forwardRejection(key, command, rejection);
    }

    private void forwardRejection(String key, Object command, Rejection rejection) {
        metrics.decided(Commands.type(command), rejection.code().name());
        context.forward(new Record<>(key, Rejections.of(command, key, rejection), Commands.timestamp(command)),
                Nodes.CONVERSATION_REJECTIONS);
    }

    /** The channel of the participant a SendMessage names as author; null when it names none. */
    private static Channel authorChannel(Object command, ConversationAggregate state) {
        if (!(command instanceof SendMessage m) || state == null || m.getAuthor() == null) {
            return null;
        }
        ParticipantState author = Participants.byAuthor(state, m.getAuthor());
        return author == null ? null : author.getChannel();
    }

    /** Zero-padded so that parked keys sort in arrival order within a conversation's prefix. */
    private static String sequence(long seq) {
        return String.format("%019d", seq);
    }
}
