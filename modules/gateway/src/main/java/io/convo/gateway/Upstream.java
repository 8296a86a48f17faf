package io.convo.gateway;

import io.convo.model.ConversationCommand;
import io.convo.model.json.CommandLine;
import io.convo.model.json.CommandTopic;
import io.convo.model.json.JsonLineException;
import io.convo.model.json.JsonLines;
import io.convo.model.RejectionCode;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a client's frame: it counts as a request (SPEC §7's per-connection and per-subaccount windows;
 * over them it is answered {@code RATE_LIMITED}), then it becomes a command on {@code conversation-commands}, with
 * {@code serviceSid}, {@code author} and {@code actingIdentity} taken from the token and {@code timestamp} from the
 * gateway's clock, but only in a conversation the identity participates in ({@code PARTICIPANT_NOT_FOUND} otherwise,
 * nothing produced). The topology then checks the command against the participant's role ({@code NOT_AUTHORIZED}
 * when it lacks the permission, SPEC §9). The outcome is routed back by {@link Downstream}.
 *
 * <p>Decisions about chat clients: only conversation commands are accepted (service commands manage users and
 * roles, a backend's job: {@code INVALID_COMMAND}); {@code CreateConversation} is, like any command, accepted only
 * from a participant of that conversation, which cannot exist before it is created, so conversations are created and
 * first joined by the service's backend, as with Twilio's server-side API. A frame whose membership is unknown waits
 * once for the membership index to catch up with the event log, so that a client added a moment ago is not refused.
 */
final class Upstream {

    private static final Logger LOG = LoggerFactory.getLogger(Upstream.class);

    private final String commandsTopic;
    private final Producer<String, ConversationCommand> producer;
    private final PendingOutcomes pending;
    private final MembershipIndex index;
    private final Downstream downstream;
    private final Frames frames;
    private final Clock clock;

    Upstream(String commandsTopic, Producer<String, ConversationCommand> producer, PendingOutcomes pending,
             MembershipIndex index, Downstream downstream, Frames frames, Clock clock) {
        this.commandsTopic = commandsTopic;
        this.producer = producer;
        this.pending = pending;
        this.index = index;
        this.downstream = downstream;
        this.frames = frames;
        this.clock = clock;
    }

    /** A text frame from {@code connection}, on its Jetty thread. */
    void onText(ChatConnection connection, String text) {
        UpstreamFrame frame = UpstreamFrame.parse(text);
        RequestLimiter.Refusal refusal = connection.limiter().tryRequest();
        if (refusal != null) {
            long retryAfterMs = WindowLimiter.retryAfterMillis(refusal.retryAfterNanos());
            reject(connection, frame, RejectionCode.RATE_LIMITED, "more than " + refusal.limit()
                    + " requests in one second on this " + refusal.scope() + "; retry after " + retryAfterMs + " ms",
                    (long) refusal.limit(), retryAfterMs);
            return;
        }
        if (connection.queueIfBlocked(frame)) {
            return;
        }
        handle(connection, frame, false);
    }

    /**
     * Handles one frame in order; true when it must wait (the connection is then blocked, and the frames behind it
     * are handled by {@link #resume} once it is done).
     */
    private boolean handle(ChatConnection connection, UpstreamFrame frame, boolean waited) {
        if (frame.problem() != null) {
            reject(connection, frame, RejectionCode.INVALID_COMMAND, frame.problem(), null, null);
            return false;
        }
        if (frame.isCatchUp()) {
            connection.block();
            downstream.catchUp(connection, frame, () -> resume(connection));
            return true;
        }
        AccessToken token = connection.token();
        CommandLine command;
        try {
            command = JsonLines.parseCommand(frame.commandLine(clock.millis()), 1,
                    Map.of("serviceSid", token.serviceSid(), "author", token.identity(),
                            "actingIdentity", token.identity()));
        } catch (JsonLineException e) {
            reject(connection, frame, RejectionCode.INVALID_COMMAND,
                    (e.field() == null ? "" : "field " + e.field() + ": ") + e.problem(), null, null);
            return false;
        }
        if (command.topic() != CommandTopic.CONVERSATION) {
            reject(connection, frame, RejectionCode.INVALID_COMMAND, command.type()
                    + " is a service command; chat clients send conversation commands only", null, null);
            return false;
        }
        if (frame.commandId() == null || frame.commandId().isBlank()) {
            reject(connection, frame, RejectionCode.INVALID_COMMAND, "field commandId: must not be blank", null, null);
            return false;
        }
        if (index.isParticipant(command.key(), token.serviceSid(), token.identity())) {
            produce(connection, command, frame.commandId());
            return false;
        }
        if (!waited) {
            connection.block();
            downstream.whenCaughtUp(() -> {
                if (!handle(connection, frame, true)) {
                    resume(connection);
                }
            });
            return true;
        }
        reject(connection, frame, RejectionCode.PARTICIPANT_NOT_FOUND, token.identity()
                + " is not a participant of conversation " + command.key()
                + "; chat clients act only in conversations they participate in", null, null);
        return false;
    }

    /** Handles the frames that queued behind a finished one, until one has to wait again or none is left. */
    private void resume(ChatConnection connection) {
        for (UpstreamFrame next; (next = connection.nextWaiting()) != null; ) {
            if (handle(connection, next, false)) {
                return;
            }
        }
    }

    private void produce(ChatConnection connection, CommandLine command, String commandId) {
        String key = command.key();
        long timestamp = command.timestamp();
        pending.register(key, commandId, timestamp, connection);
        ProducerRecord<String, ConversationCommand> record = new ProducerRecord<>(commandsTopic, null, timestamp, key,
                (ConversationCommand) command.envelope());
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                pending.forget(key, commandId, timestamp);
                LOG.warn("command {} of {} on {} not sent: {}", commandId, connection, key, error.toString());
                connection.send(frames.commandNotSent(commandId, key, error.toString()));
            }
        });
        LOG.debug("command {} {} of {} on {}", command.type(), commandId, connection, key);
    }

    private void reject(ChatConnection connection, UpstreamFrame frame, RejectionCode code, String reason, Long limit,
                        Long retryAfterMs) {
        LOG.debug("{} of {}: {} {}", frame.commandId(), connection, code, reason);
        connection.send(frames.rejection(frame, connection.token().serviceSid(), code, reason, limit, retryAfterMs,
                clock.millis()));
    }
}
