package io.convo.rules;

import io.convo.model.CommandRejected;
import io.convo.model.RateLimitScope;
import io.convo.model.RejectionCode;

/**
 * Why a command was not applied: a code, a reason stating the offending size and the limit, and for limits the
 * limit itself. Rate-limit rejections also carry their scope and the time until a window admits the command.
 */
public record Rejection(
        RejectionCode code,
        Integer twilioCode,
        String reason,
        Long limit,
        RateLimitScope scope,
        Long retryAfterMs,
        String originalOutcome) {

    public static Rejection of(RejectionCode code, String reason) {
        return new Rejection(code, code.twilioCode(), reason, null, null, null, null);
    }

    public static Rejection limit(RejectionCode code, long limit, String reason) {
        return new Rejection(code, code.twilioCode(), reason, limit, null, null, null);
    }

    public static Rejection rateLimited(RateLimitScope scope, long limit, long retryAfterMs) {
        return new Rejection(RejectionCode.RATE_LIMITED, RejectionCode.RATE_LIMITED.twilioCode(),
                "more than " + limit + " actions in one second in this " + scope + "; retry after " + retryAfterMs + " ms",
                limit, scope, retryAfterMs, null);
    }

    public static Rejection duplicate(String commandId, String originalOutcome) {
        return new Rejection(RejectionCode.DUPLICATE_COMMAND, null,
                "command " + commandId + " was already processed with outcome " + originalOutcome,
                null, null, null, originalOutcome);
    }

    public static Rejection invalid(String reason) {
        return of(RejectionCode.INVALID_COMMAND, reason);
    }

    public Rejection withTwilioCode(Integer code) {
        return new Rejection(this.code, code, reason, limit, scope, retryAfterMs, originalOutcome);
    }

    /** The {@link CommandRejected} record of SPEC §2 for {@code command}, under its record key. */
    public CommandRejected toRecord(Command command, String key) {
        return CommandRejected.newBuilder()
                .setCommandId(command.commandId())
                .setCommandType(command.type())
                .setKey(key)
                .setServiceSid(command.serviceSid())
                .setConversationSid(command.conversationSid())
                .setCode(code.name())
                .setTwilioCode(twilioCode)
                .setReason(reason)
                .setScope(scope)
                .setLimit(limit)
                .setRetryAfterMs(retryAfterMs)
                .setOriginalOutcome(originalOutcome)
                .setTimestamp(command.timestamp())
                .build();
    }
}
