package io.convo.gateway;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.time.Instant;
import java.util.Date;
import javax.crypto.SecretKey;

/**
 * Signs access tokens the way {@link TokenVerifier} expects them (HS256; {@code sub}, {@code service},
 * {@code subaccount}, {@code exp}). The gateway never issues tokens itself: this is for the load tool, tests and a
 * service's backend that shares the secret.
 */
public final class TokenIssuer {

    private final SecretKey key;

    public TokenIssuer(byte[] secret) {
        this.key = Keys.hmacShaKeyFor(secret);
    }

    public String issue(String identity, String serviceSid, String subaccount, Instant expiresAt) {
        return Jwts.builder()
                .subject(identity)
                .claim(TokenVerifier.SERVICE_CLAIM, serviceSid)
                .claim(TokenVerifier.SUBACCOUNT_CLAIM, subaccount)
                .expiration(Date.from(expiresAt))
                .signWith(key, Jwts.SIG.HS256)
                .compact();
    }
}
