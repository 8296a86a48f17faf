package io.convo.gateway;

/** The WebSocket close codes the gateway uses (RFC 6455 §7.4.1 and the IANA registry). */
final class CloseCodes {

    /** Shutdown: the gateway is going away. */
    static final int GOING_AWAY = 1001;
    /** The client does not read its frames fast enough. */
    static final int TRY_AGAIN_LATER = 1013;
    /** Cluster mode: the subaccount moved to another instance; reconnect (the new owner is announced). */
    static final int SERVICE_RESTART = 1012;

    private CloseCodes() {
    }
}
