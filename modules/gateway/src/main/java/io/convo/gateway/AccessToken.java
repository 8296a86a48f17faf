package io.convo.gateway;

import java.time.Instant;
import java.util.Objects;

/**
 * The verified claims of a chat client's access token (SPEC §7).
 *
 * @param identity   {@code sub}: the chat identity the connection acts as
 * @param serviceSid {@code service}: the conversation service
 * @param subaccount {@code subaccount}: whose connection limits apply
 * @param expiresAt  {@code exp}
 */
public record AccessToken(String identity, String serviceSid, String subaccount, Instant expiresAt) {

    public AccessToken {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(serviceSid, "serviceSid");
        Objects.requireNonNull(subaccount, "subaccount");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
