package io.convo.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.connectors.ProviderResponses.Verdict;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProviderResponsesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204, 299})
    void twoHundredsAreSent(int status) {
        assertThat(ProviderResponses.classify(status)).isEqualTo(Verdict.SENT);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 599, 408, 429})
    void serverErrorsRequestTimeoutAndThrottlingAreRetried(int status) {
        assertThat(ProviderResponses.classify(status)).isEqualTo(Verdict.RETRY);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409, 410, 413, 422, 301, 302, 100})
    void otherClientErrorsAndRedirectsFailWithoutRetry(int status) {
        assertThat(ProviderResponses.classify(status)).isEqualTo(Verdict.FAIL);
    }

    @Test
    void timeoutsAndRefusedConnectionsAreRetried() {
        assertThat(ProviderResponses.classify(new ProviderAttempt.Failure(new HttpTimeoutException("request timed out"))))
                .isEqualTo(Verdict.RETRY);
        assertThat(ProviderResponses.classify(new ProviderAttempt.Failure(new ConnectException("refused"))))
                .isEqualTo(Verdict.RETRY);
    }

    @Test
    void aFourHundredIsAFinalFailureWithTheStatusInCodeAndReason() {
        SendOutcome outcome = ProviderResponses.outcome(
                new ProviderAttempt.Response(400, "{\"error\":\"invalid number\"}", Optional.empty()), 1, TIMEOUT);

        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Failed.class, failed -> {
            assertThat(failed.code()).isEqualTo("HTTP_400");
            assertThat(failed.reason()).contains("HTTP 400").contains("invalid number");
            assertThat(failed.retriable()).isFalse();
            assertThat(failed.attempts()).isEqualTo(1);
            assertThat(failed.providerStatus()).isEqualTo(400);
            assertThat(failed.providerAnswer()).isEqualTo("{\"error\":\"invalid number\"}");
        });
    }

    @Test
    void theProvidersAnswerKeptForTheDeadLetterIsCutAtItsLimitNeverInsideACharacter() {
        String answer = "x".repeat(ProviderResponses.DLQ_ANSWER_CHARS - 1) + "\uD83D\uDE00" + "tail";

        SendOutcome outcome = ProviderResponses.outcome(new ProviderAttempt.Response(422, answer, Optional.empty()), 1,
                TIMEOUT);

        assertThat(((SendOutcome.Failed) outcome).providerAnswer())
                .isEqualTo("x".repeat(ProviderResponses.DLQ_ANSWER_CHARS - 1) + "…");
    }

    @Test
    void aProviderThatNeverAnsweredLeavesNoStatusOrAnswer() {
        SendOutcome outcome = ProviderResponses.outcome(
                new ProviderAttempt.Failure(new ConnectException("refused")), 2, TIMEOUT);

        assertThat(((SendOutcome.Failed) outcome).providerStatus()).isNull();
        assertThat(((SendOutcome.Failed) outcome).providerAnswer()).isNull();
    }

    @Test
    void aServerErrorOnTheLastTryIsARetriableFailure() {
        SendOutcome outcome = ProviderResponses.outcome(new ProviderAttempt.Response(503, "", Optional.empty()), 4, TIMEOUT);

        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Failed.class, failed -> {
            assertThat(failed.code()).isEqualTo("HTTP_503");
            assertThat(failed.reason()).startsWith("gave up after 4 attempts");
            assertThat(failed.retriable()).isTrue();
        });
    }

    @Test
    void aTimeoutOnTheLastTryIsProviderTimeout() {
        SendOutcome outcome = ProviderResponses.outcome(
                new ProviderAttempt.Failure(new HttpTimeoutException("request timed out")), 3, TIMEOUT);

        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Failed.class, failed -> {
            assertThat(failed.code()).isEqualTo(FailureCodes.PROVIDER_TIMEOUT);
            assertThat(failed.reason()).contains("3 attempts").contains("10000 ms");
            assertThat(failed.retriable()).isTrue();
        });
    }

    @Test
    void aRefusedConnectionOnTheLastTryIsProviderUnreachable() {
        SendOutcome outcome = ProviderResponses.outcome(new ProviderAttempt.Failure(new ConnectException("refused")), 2,
                TIMEOUT);

        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Failed.class,
                failed -> assertThat(failed.code()).isEqualTo(FailureCodes.PROVIDER_UNREACHABLE));
    }

    @Test
    void aLongProviderBodyIsQuotedShort() {
        SendOutcome outcome = ProviderResponses.outcome(new ProviderAttempt.Response(422, "x".repeat(5000),
                Optional.empty()), 1, TIMEOUT);

        assertThat(((SendOutcome.Failed) outcome).reason()).hasSizeLessThan(300);
    }

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        Instant now = Instant.parse("2026-11-25T08:00:00Z");

        assertThat(ProviderResponses.retryAfter("3", now)).contains(Duration.ofSeconds(3));
        assertThat(ProviderResponses.retryAfter("Wed, 25 Nov 2026 08:00:07 GMT", now)).contains(Duration.ofSeconds(7));
        assertThat(ProviderResponses.retryAfter("Wed, 25 Nov 2026 07:00:00 GMT", now)).contains(Duration.ZERO);
        assertThat(ProviderResponses.retryAfter("soon", now)).isEmpty();
        assertThat(ProviderResponses.retryAfter("-1", now)).isEmpty();
        assertThat(ProviderResponses.retryAfter(null, now)).isEmpty();
    }
}
