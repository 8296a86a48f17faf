package io.convo.rest;

import io.convo.internal.Conversation;
import io.convo.model.ConversationState;
import io.convo.model.RejectionCode;
import io.convo.model.RoleType;
import io.convo.operate.CommittedReadModel;
import io.convo.operate.StoreSnapshot;
import io.convo.rest.TwilioApi.Answer;
import io.convo.rest.TwilioApi.Call;
import io.convo.rest.TwilioApi.Refused;
import java.time.Clock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;

/**
 * What every resource of {@link TwilioApi} does the same way: reading the committed read model, building a command
 * from a request and answering with its outcome, paging, and the parameter checks.
 */
final class RestCalls {

    private final CommittedReadModel model;
    private final TwilioView view;
    private final RestCommands commands;
    private final Clock clock;

    RestCalls(CommittedReadModel model, TwilioView view, RestCommands commands, Clock clock) {
        this.model = model;
        this.view = view;
        this.commands = commands;
        this.clock = clock;
    }

    /** The sid of the conversation {@code id} (its sid or its unique name) in the request's service, or null. */
    String conversationSid(StoreSnapshot s, Call call, String id) {
        String service = call.scope().serviceSid();
        Conversation c = s.conversationStores().conversations().get(id);
        if (c == null) {
            String sid = view.byUniqueName(service, id);
            c = sid == null ? null : s.conversationStores().conversations().get(sid);
        }
        return c != null && c.getServiceSid().equals(service) ? c.getConversationSid() : null;
    }

    <T> T read(Function<StoreSnapshot, T> read) {
        return model.read(read);
    }

    /**
     * Sets the three fields every command has (SPEC §8: {@code commandId}, {@code serviceSid}, {@code timestamp}) and
     * builds it. Avro generates the same three setters on every command's builder but gives them no common type, so
     * they are called by name here, once, rather than at each of the fourteen commands.
     */
    private SpecificRecord stamp(Call call, Object builder, String commandId) {
        try {
            builder.getClass().getMethod("setCommandId", String.class).invoke(builder, commandId);
            builder.getClass().getMethod("setServiceSid", String.class).invoke(builder, call.scope().serviceSid());
            builder.getClass().getMethod("setTimestamp", long.class).invoke(builder, clock.millis());
            return (SpecificRecord) builder.getClass().getMethod("build").invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("not a command builder: " + builder.getClass().getName(), e);
        }
    }

    Answer deleted(Call call, Object builder) {
        return submit(call, call.commandId(), builder, () -> Answer.of(204, null));
    }

    /**
     * Sends the command and answers: {@code onAccepted} once it is accepted (or was, for a retry of the same
     * {@code Idempotency-Key}), else the error of its rejection.
     */
    Answer submit(Call call, String commandId, Object builder, Supplier<Answer> onAccepted) {
        Outcomes.Outcome outcome;
        try {
            outcome = commands.run(commandId, stamp(call, builder, commandId));
        } catch (RestCommands.NoOutcome e) {
            return Answer.error(new TwilioError(503, TwilioError.UNAVAILABLE, e.getMessage(), null));
        }
        if (outcome instanceof Outcomes.Rejected r) {
            if (!r.rejection().getCode().equals(RejectionCode.DUPLICATE_COMMAND.name())) {
                return Answer.error(TwilioError.of(r.rejection()));
            }
            String original = r.rejection().getOriginalOutcome();
            if (original != null && isRejectionCode(original)) {
                return Answer.error(new TwilioError(409, 409, "this Idempotency-Key's request was already refused with "
                        + original, null));
            }
        }
        return onAccepted.get();
    }

    private static boolean isRejectionCode(String name) {
        for (RejectionCode c : RejectionCode.values()) {
            if (c.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    Paging.Request paging(Call call) {
        Paging.Request r = Paging.Request.of(call.query());
        if (r.problem() != null) {
            throw new Refused(TwilioError.invalid(r.problem()));
        }
        return r;
    }

    static ConversationState state(String state) {
        if (state == null) {
            return null;
        }
        try {
            return ConversationState.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw new Refused(TwilioError.invalid("State must be active, inactive or closed: " + state));
        }
    }

    static RoleType roleType(String type) {
        if (type == null) {
            throw new Refused(TwilioError.invalid("Type is required: conversation or service"));
        }
        try {
            return RoleType.valueOf(type);
        } catch (IllegalArgumentException e) {
            throw new Refused(TwilioError.invalid("Type must be conversation or service: " + type));
        }
    }

    static long integer(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new Refused(TwilioError.invalid(name + " must be an integer: " + value));
        }
    }

    static Answer notAllowed() {
        return Answer.error(new TwilioError(405, TwilioError.METHOD_NOT_ALLOWED, "Method not allowed on this resource",
                null));
    }
}
