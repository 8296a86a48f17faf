package io.convo.connectors;

/** The codes connectors put on {@code failed} receipts and in {@code delivery-dlq} headers. */
public final class FailureCodes {

    /** Prefix of a provider's HTTP status, e.g. {@code HTTP_400}, {@code HTTP_503}. */
    public static final String HTTP_PREFIX = "HTTP_";
    /** The provider did not answer within the webhook timeout, on every try. */
    public static final String PROVIDER_TIMEOUT = "PROVIDER_TIMEOUT";
    /** The provider could not be reached (connection refused or reset, DNS), on every try. */
    public static final String PROVIDER_UNREACHABLE = "PROVIDER_UNREACHABLE";
    /** The log transport could not append to its file. */
    public static final String LOG_WRITE_FAILED = "LOG_WRITE_FAILED";
    /** A transport threw instead of returning an outcome: a bug, reported rather than stopping the channel. */
    public static final String TRANSPORT_ERROR = "TRANSPORT_ERROR";
    /** A record on a delivery topic that is not a readable Delivery (DLQ only: there is nobody to send a receipt for). */
    public static final String UNREADABLE_DELIVERY = "UNREADABLE_DELIVERY";

    private FailureCodes() {
    }

    public static String http(int status) {
        return HTTP_PREFIX + status;
    }
}
