package io.convo.connectors;

/**
 * What a {@link Transport} decided for one delivery: sent, or failed with a code. A failure is a value, not an
 * exception, so the connector turns it into a {@code failed} receipt like any other outcome.
 */
public sealed interface SendOutcome {

    /** How many provider calls the decision took (1 when sent at the first try). */
    int attempts();

    /** The provider accepted the delivery. */
    record Sent(int attempts) implements SendOutcome {
    }

    /**
     * The delivery cannot be sent, and never will be by this connector: it gets a {@code failed} receipt and goes to
     * {@code delivery-dlq}, whether the provider refused it for good or the retries ran out.
     *
     * @param code           the receipt's code, e.g. {@code HTTP_400} or {@code PROVIDER_TIMEOUT}; see {@link FailureCodes}
     * @param reason         human-readable detail for the receipt
     * @param retriable      true when the failure was transient (a later try might succeed) and the transport gave up
     *                       after its last try; false when the provider refused the request itself (a 4xx other than
     *                       408 and 429), which no retry can change
     * @param providerStatus the provider's HTTP status on the last attempt, or null when it did not answer (or the
     *                       transport has no provider)
     * @param providerAnswer the start of the provider's answer on the last attempt, or null
     */
    record Failed(String code, String reason, boolean retriable, int attempts, Integer providerStatus,
            String providerAnswer) implements SendOutcome {

        /** A failure without a provider's answer (no answer, or no provider). */
        public Failed(String code, String reason, boolean retriable, int attempts) {
            this(code, reason, retriable, attempts, null, null);
        }
    }

    static SendOutcome sent(int attempts) {
        return new Sent(attempts);
    }

    static SendOutcome failed(String code, String reason, boolean retriable, int attempts) {
        return new Failed(code, reason, retriable, attempts);
    }

    /** A failure the provider answered: its status and (the start of) its answer go to the DLQ record's headers. */
    static SendOutcome refused(String code, String reason, boolean retriable, int attempts, int providerStatus,
            String providerAnswer) {
        return new Failed(code, reason, retriable, attempts, providerStatus, providerAnswer);
    }
}
