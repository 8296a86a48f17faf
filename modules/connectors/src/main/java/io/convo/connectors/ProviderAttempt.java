package io.convo.connectors;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/** What one webhook call produced: an HTTP response, or an I/O failure (timeout, refused connection). */
sealed interface ProviderAttempt {

    /** The provider answered; {@code retryAfter} is its {@code Retry-After}, if it sent a readable one. */
    record Response(int status, String body, Optional<Duration> retryAfter) implements ProviderAttempt {
    }

    /** No answer: the call timed out or could not connect. */
    record Failure(IOException error) implements ProviderAttempt {
    }
}
