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
     * The delivery cannot be sent.
     *
     * @param code      the receipt's code, e.g. {@code HTTP_400} or {@code PROVIDER_TIMEOUT}; see {@link FailureCodes}
     * @param reason    human-readable detail for the receipt
     * @param retriable true when the failure was transient (a later try might succeed) and the transport gave up
     *                  after its last try: the connector also puts the delivery on {@code delivery-dlq}
     */
    record Failed(String code, String reason, boolean retriable, int attempts) implements SendOutcome {
    }

    static SendOutcome sent(int attempts) {
        return new Sent(attempts);
    }

    static SendOutcome failed(String code, String reason, boolean retriable, int attempts) {
        return new Failed(code, reason, retriable, attempts);
    }
}
