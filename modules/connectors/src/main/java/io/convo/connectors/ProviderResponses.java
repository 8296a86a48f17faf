package io.convo.connectors;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Decides what a provider's answer means for a delivery: sent, retry, or a final failure. 5xx, timeouts and
 * refused connections are transient and retried; 408 and 429 are too (the request was not handled, and carriers
 * throttle), while any other 4xx says the request itself is wrong, so retrying it cannot help.
 */
final class ProviderResponses {

    /** How much of a provider's response body a receipt's reason quotes. */
    static final int QUOTED_BODY_CHARS = 200;
    /** How much of a provider's response body a {@code delivery-dlq} header keeps: enough for an error document. */
    static final int DLQ_ANSWER_CHARS = 2048;

    enum Verdict { SENT, RETRY, FAIL }

    private ProviderResponses() {
    }

    static Verdict classify(int status) {
        if (status >= 200 && status < 300) {
            return Verdict.SENT;
        }
        if (status >= 500 || status == 408 || status == 429) {
            return Verdict.RETRY;
        }
        return Verdict.FAIL;
    }

    static Verdict classify(ProviderAttempt attempt) {
        if (attempt instanceof ProviderAttempt.Response response) {
            return classify(response.status());
        }
        return Verdict.RETRY; // every I/O failure: the provider may be back at the next try
    }

    /**
     * The outcome of a delivery whose last attempt was {@code last}, after {@code attempts} attempts. A last
     * attempt that still asks for a retry means the retries are used up: the failure is {@code retriable}.
     */
    static SendOutcome outcome(ProviderAttempt last, int attempts, Duration timeout) {
        Verdict verdict = classify(last);
        if (verdict == Verdict.SENT) {
            return SendOutcome.sent(attempts);
        }
        boolean exhausted = verdict == Verdict.RETRY;
        String tries = attempts == 1 ? "1 attempt" : attempts + " attempts";
        if (last instanceof ProviderAttempt.Response response) {
            String answer = "provider answered HTTP " + response.status() + quote(response.body());
            return SendOutcome.refused(FailureCodes.http(response.status()),
                    exhausted ? "gave up after " + tries + "; last: " + answer : answer, exhausted, attempts,
                    response.status(), truncate(response.body(), DLQ_ANSWER_CHARS));
        }
        IOException error = ((ProviderAttempt.Failure) last).error();
        if (error instanceof HttpTimeoutException) {
            return SendOutcome.failed(FailureCodes.PROVIDER_TIMEOUT, "gave up after " + tries + ": no answer within "
                    + timeout.toMillis() + " ms (" + error.getClass().getSimpleName() + ")", true, attempts);
        }
        return SendOutcome.failed(FailureCodes.PROVIDER_UNREACHABLE, "gave up after " + tries + ": "
                + error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage()),
                true, attempts);
    }

    /**
     * A {@code Retry-After} header's delay: delta-seconds or an HTTP date (RFC 9110 §10.2.3); empty when absent
     * or unreadable, so the regular backoff applies.
     */
    static Optional<Duration> retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration delay = Duration.between(now, at);
                return Optional.of(delay.isNegative() ? Duration.ZERO : delay);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    private static String quote(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        return ": " + truncate(body, QUOTED_BODY_CHARS);
    }

    /** The body stripped and cut at {@code chars} characters (marked with an ellipsis); null for no body. */
    static String truncate(String body, int chars) {
        if (body == null) {
            return null;
        }
        String trimmed = body.strip();
        if (trimmed.length() <= chars) {
            return trimmed;
        }
        int end = Character.isHighSurrogate(trimmed.charAt(chars - 1)) ? chars - 1 : chars; // never half a character
        return trimmed.substring(0, end) + "…";
    }
}
