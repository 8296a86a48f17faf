package io.convo.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private final MutableClock clock = MutableClock.atSecondPlus(0);
    private final TokenIssuer issuer = new TokenIssuer(SECRET);
    private final TokenVerifier verifier = new TokenVerifier(SECRET, Duration.ZERO, null, clock);

    private Instant later() {
        return clock.instant().plus(Duration.ofMinutes(10));
    }

    @Test
    void acceptsAValidTokenAndReadsItsClaims() {
        TokenVerifier.Result result = verifier.verify(issuer.issue("alice", "IS1", "AC1", later()));
        assertThat(result.isValid()).isTrue();
        assertThat(result.token().identity()).isEqualTo("alice");
        assertThat(result.token().serviceSid()).isEqualTo("IS1");
        assertThat(result.token().subaccount()).isEqualTo("AC1");
    }

    @Test
    void refusesAMissingToken() {
        assertThat(verifier.verify(null).problem()).contains("no access token");
        assertThat(verifier.verify(" ").isValid()).isFalse();
    }

    @Test
    void refusesATokenSignedWithAnotherSecret() {
        String forged = new TokenIssuer("another-secret-another-secret-32".getBytes(StandardCharsets.UTF_8))
                .issue("alice", "IS1", "AC1", later());
        assertThat(verifier.verify(forged).isValid()).isFalse();
    }

    @Test
    void refusesATokenPastItsExpiry() {
        String token = issuer.issue("alice", "IS1", "AC1", clock.instant().plusSeconds(5));
        clock.advance(Duration.ofMillis(4_999));
        assertThat(verifier.verify(token).isValid()).isTrue();
        clock.advance(Duration.ofMillis(2));
        assertThat(verifier.verify(token).problem()).contains("expired");
    }

    @Test
    void acceptsAnExpiredTokenWithinTheConfiguredClockSkew() {
        TokenVerifier lenient = new TokenVerifier(SECRET, Duration.ofSeconds(30), null, clock);
        String token = issuer.issue("alice", "IS1", "AC1", clock.instant().minusSeconds(10));
        assertThat(lenient.verify(token).isValid()).isTrue();
    }

    @Test
    void refusesATokenOfAnotherServiceWhenConfiguredForOne() {
        TokenVerifier forIs1 = new TokenVerifier(SECRET, Duration.ZERO, "IS1", clock);
        assertThat(forIs1.verify(issuer.issue("alice", "IS1", "AC1", later())).isValid()).isTrue();
        assertThat(forIs1.verify(issuer.issue("alice", "IS2", "AC1", later())).problem()).contains("IS2");
    }

    @Test
    void refusesATokenWithoutARequiredClaim() {
        String noSubaccount = Jwts.builder().subject("alice").claim("service", "IS1")
                .expiration(Date.from(later())).signWith(Keys.hmacShaKeyFor(SECRET), Jwts.SIG.HS256).compact();
        String noExpiry = Jwts.builder().subject("alice").claim("service", "IS1").claim("subaccount", "AC1")
                .signWith(Keys.hmacShaKeyFor(SECRET), Jwts.SIG.HS256).compact();
        assertThat(verifier.verify(noSubaccount).problem()).contains("claim");
        assertThat(verifier.verify(noExpiry).problem()).contains("claim");
    }

    @Test
    void refusesATokenSignedWithAnotherHmacAlgorithm() {
        byte[] longSecret = new byte[64];
        System.arraycopy(SECRET, 0, longSecret, 0, SECRET.length);
        TokenVerifier verifier512 = new TokenVerifier(longSecret, Duration.ZERO, null, clock);
        String hs512 = Jwts.builder().subject("alice").claim("service", "IS1").claim("subaccount", "AC1")
                .expiration(Date.from(later())).signWith(Keys.hmacShaKeyFor(longSecret), Jwts.SIG.HS512).compact();
        assertThat(verifier512.verify(hs512).problem()).contains("HS256");
    }

    @Test
    void refusesAnUnsignedToken() {
        String unsigned = Jwts.builder().subject("alice").claim("service", "IS1").claim("subaccount", "AC1")
                .expiration(Date.from(later())).compact();
        assertThat(verifier.verify(unsigned).isValid()).isFalse();
    }

    /** A token signed with the secret whose payload is exactly {@code payload}, whatever its claims' types. */
    private static String signed(String payload) throws Exception {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        String unsigned = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
        return unsigned + "." + b64.encodeToString(mac.doFinal(unsigned.getBytes(StandardCharsets.UTF_8)));
    }

    private String claims(String exp, String extra) {
        return "{\"sub\":\"alice\",\"service\":\"IS1\",\"subaccount\":\"AC1\",\"exp\":" + exp + extra + "}";
    }

    @Test
    void acceptsNumericDates() throws Exception {
        long exp = later().getEpochSecond();
        assertThat(verifier.verify(signed(claims(String.valueOf(exp), ",\"nbf\":" + (exp - 1200)
                + ",\"iat\":" + (exp - 1200)))).isValid()).isTrue();
    }

    @Test
    void refusesAnExpGivenAsAStringOfDigitsOrAnIsoDate() throws Exception {
        assertThat(verifier.verify(signed(claims("\"9999999999\"", ""))).problem())
                .contains("claim exp is \"9999999999\", not a NumericDate");
        assertThat(verifier.verify(signed(claims("\"2099-01-01T00:00:00Z\"", ""))).problem())
                .contains("claim exp").contains("not a NumericDate");
    }

    @Test
    void refusesAnNbfOrIatThatIsNotANumber() throws Exception {
        String exp = String.valueOf(later().getEpochSecond());
        assertThat(verifier.verify(signed(claims(exp, ",\"nbf\":\"0\""))).problem()).contains("claim nbf");
        assertThat(verifier.verify(signed(claims(exp, ",\"iat\":\"1700000000\""))).problem()).contains("claim iat");
    }
}
