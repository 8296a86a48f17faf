package io.convo.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convo.model.CommandRejected;
import io.convo.model.RejectionCode;

/**
 * An error as Twilio answers it: HTTP status and {@code {code, message, more_info, status}}. A rejected command's
 * error carries the Twilio code of SPEC §2 where there is one; the others use Twilio's general codes (20404 for what
 * does not exist), or, where Twilio names none convo knows of, the HTTP status's own: convo's choice, listed in the
 * README.
 *
 * @param retryAfterSeconds for a 429, the {@code Retry-After} header; else null
 */
record TwilioError(int status, int code, String message, Integer retryAfterSeconds) {

    static final int NOT_FOUND = 20404;
    static final int INVALID_PARAMETER = 20001;
    static final int AUTHENTICATION = 20003;
    static final int METHOD_NOT_ALLOWED = 20004;
    static final int UNAVAILABLE = 20503;
    static final int INTERNAL = 20500;

    static TwilioError notFound(String what) {
        return new TwilioError(404, NOT_FOUND, "The requested resource " + what + " was not found", null);
    }

    static TwilioError invalid(String message) {
        return new TwilioError(400, INVALID_PARAMETER, message, null);
    }

    static TwilioError unauthorized() {
        return new TwilioError(401, AUTHENTICATION, "Authenticate: the account sid (or API key sid) and auth token"
                + " (or secret) were not accepted", null);
    }

    /** The error of a rejected command. */
    static TwilioError of(CommandRejected r) {
        RejectionCode code = code(r.getCode());
        String message = r.getReason() + " (" + r.getCode() + ")";
        Integer twilio = r.getTwilioCode();
        return switch (code) {
            case RATE_LIMITED -> new TwilioError(429, twilio, message,
                    r.getRetryAfterMs() == null ? 1 : (int) Math.max(1, (r.getRetryAfterMs() + 999) / 1000));
            case NOT_AUTHORIZED -> new TwilioError(403, twilio, message, null);
            case CONVERSATION_NOT_FOUND, PARTICIPANT_NOT_FOUND, USER_NOT_FOUND, ROLE_NOT_FOUND, MESSAGE_NOT_FOUND ->
                    new TwilioError(404, NOT_FOUND, message, null);
            case CONVERSATION_EXISTS -> new TwilioError(409, 50353, message, null);
            case PARTICIPANT_EXISTS -> new TwilioError(409, twilio != null ? twilio : 50433, message, null);
            case USER_EXISTS -> new TwilioError(409, 50201, message, null);
            case ROLE_EXISTS -> new TwilioError(409, 409, message, null);
            default -> new TwilioError(400, twilio != null ? twilio : INVALID_PARAMETER, message, null);
        };
    }

    /** The rejection code named {@code name}; a name this version does not know is reported as invalid input. */
    static RejectionCode code(String name) {
        try {
            return RejectionCode.valueOf(name);
        } catch (IllegalArgumentException e) {
            return RejectionCode.INVALID_COMMAND;
        }
    }

    ObjectNode body() {
        ObjectNode n = Resources.JSON.createObjectNode();
        n.put("code", code);
        n.put("message", message);
        n.put("more_info", "https://www.twilio.com/docs/errors/" + code);
        n.put("status", status);
        return n;
    }
}
