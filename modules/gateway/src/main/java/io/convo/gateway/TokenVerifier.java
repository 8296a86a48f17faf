package io.convo.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * Checks a chat client's access token: an HS256 JWS signed with the configured secret, carrying {@code sub},
 * {@code service}, {@code subaccount} and {@code exp}, not expired, and of the configured service when the gateway
 * serves one. Signature, algorithm and expiry are checked by jjwt; the presence of the claims, the service and the
 * JSON type of the date claims (exp, nbf, iat must be numbers, RFC 7519) are checked here. Failure is a value:
 * {@link Result#problem()} says why, for the log (clients get a bare 401).
 */
public final class TokenVerifier {

    /** The outcome of a check: exactly one of {@code token} and {@code problem} is set. */
    public record Result(AccessToken token, String problem) {

        static Result valid(AccessToken token) {
            return new Result(token, null);
        }

        static Result invalid(String problem) {
            return new Result(null, problem);
        }

        public boolean isValid() {
            return token != null;
        }
    }

    public static final String SERVICE_CLAIM = "service";
    public static final String SUBACCOUNT_CLAIM = "subaccount";
    private static final String HS256 = "HS256";
    private static final List<String> DATE_CLAIMS = List.of("exp", "nbf", "iat");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JwtParser parser;
    private final String requiredService;

    /**
     * @param secret          the HS256 secret, at least 32 bytes
     * @param clockSkew       how far {@code exp} may be in the past and still be accepted
     * @param requiredService the only service accepted, or null for any
     * @param clock           the clock {@code exp} is compared with
     */
    public TokenVerifier(byte[] secret, Duration clockSkew, String requiredService, Clock clock) {
        this.parser = Jwts.parser()
                .verifyWith(Keys.hmacShaKeyFor(secret))
                .clockSkewSeconds(clockSkew.toSeconds())
                .clock(() -> Date.from(clock.instant()))
                .build();
        this.requiredService = requiredService;
    }

    /** Checks {@code token}: null or blank is "missing". */
    public Result verify(String token) {
        if (token == null || token.isBlank()) {
            return Result.invalid("no access token");
        }
        Jws<Claims> jws;
        try {
            jws = parser.parseSignedClaims(token.trim());
        } catch (ExpiredJwtException e) {
            return Result.invalid("token expired at " + e.getClaims().getExpiration().toInstant());
        } catch (JwtException | IllegalArgumentException e) {
            return Result.invalid("bad token: " + e.getMessage());
        }
        // A key long enough for HS256 may verify HS384/512 too; SPEC §7 names HS256 only.
        if (!HS256.equals(jws.getHeader().getAlgorithm())) {
            return Result.invalid("token signed with " + jws.getHeader().getAlgorithm() + ", not HS256");
        }
        String notNumeric = nonNumericDate(token.trim());
        if (notNumeric != null) {
            return Result.invalid(notNumeric);
        }
        Claims claims = jws.getPayload();
        String identity = claims.getSubject();
        String service = text(claims, SERVICE_CLAIM);
        String subaccount = text(claims, SUBACCOUNT_CLAIM);
        Date expiration = claims.getExpiration();
        if (blank(identity) || blank(service) || blank(subaccount) || expiration == null) {
            return Result.invalid("token lacks a claim: sub, service, subaccount and exp are required");
        }
        if (requiredService != null && !requiredService.equals(service)) {
            return Result.invalid("token of service " + service + "; this gateway serves " + requiredService);
        }
        return Result.valid(new AccessToken(identity, service, subaccount, expiration.toInstant()));
    }

    /**
     * jjwt reads a date claim leniently ("9999999999", an ISO date); RFC 7519 §2 makes exp, nbf and iat NumericDates,
     * JSON numbers. The payload is read again, as signed, to see the claims' JSON types.
     *
     * @return why a date claim is not a number, or null when each present one is
     */
    private static String nonNumericDate(String token) {
        JsonNode payload;
        try {
            payload = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        } catch (IOException | IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return "bad token: the payload is not JSON";
        }
        for (String name : DATE_CLAIMS) {
            JsonNode value = payload.get(name);
            if (value != null && !value.isNull() && !value.isNumber()) {
                return "claim " + name + " is " + value + ", not a NumericDate (seconds since the epoch, a JSON number)";
            }
        }
        return null;
    }

    private static String text(Claims claims, String name) {
        Object value = claims.get(name);
        return value instanceof String s ? s : null;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
