package io.convo.gateway;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides every upgrade request on {@code /v1/connect} before the upgrade, in this order: readiness (503 until
 * the event log has been read once after start, and while shutting down), the access token
 * (401 when missing, bad, expired or of another service), the subaccount's owner in cluster mode (421 with the
 * owner's URL, or 503 while it is unknown or just moving), then the connection limits (429). Every refusal has a
 * small JSON body {@code {"code":…,"reason":…,"retryAfterMs":…}}; 429 and 503 carry {@code Retry-After} in whole
 * seconds. The token's details are logged, never sent: a client only learns "unauthorized".
 */
final class UpgradeGate implements WebSocketCreator {

    /** The response header that names the owner of the subaccount in a 421. */
    static final String OWNER_HEADER = "Convo-Gateway-Owner";

    private static final Logger LOG = LoggerFactory.getLogger(UpgradeGate.class);
    private static final String BEARER = "Bearer ";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TokenVerifier verifier;
    private final SubaccountOwnership ownership;
    private final ConnectionAdmission admission;
    private final ConnectionLimits limits;
    private final ConnectionRegistry registry;
    private final ChatConnection.Handler handler;
    private final Clock clock;
    private final BooleanSupplier ready;
    private final Map<Integer, LongAdder> refusals = new ConcurrentHashMap<>();
    private volatile boolean closing;

    UpgradeGate(TokenVerifier verifier, SubaccountOwnership ownership, ConnectionAdmission admission,
                ConnectionLimits limits, ConnectionRegistry registry, ChatConnection.Handler handler, Clock clock,
                BooleanSupplier ready) {
        this.ready = ready;
        this.verifier = verifier;
        this.ownership = ownership;
        this.admission = admission;
        this.limits = limits;
        this.registry = registry;
        this.handler = handler;
        this.clock = clock;
    }

    /** From now on every upgrade is refused with 503: the gateway is shutting down. */
    void close() {
        closing = true;
    }

    @Override
    public Object createWebSocket(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        if (closing) {
            return refuse(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "SHUTTING_DOWN",
                    "the gateway is shutting down", 1_000, null);
        }
        if (!ready.getAsBoolean()) {
            return refuse(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "STARTING",
                    "the gateway is still reading the event log", 1_000, null);
        }
        TokenVerifier.Result token = verifier.verify(token(request));
        if (!token.isValid()) {
            // Debug, not info: a flood of bad tokens must not flood the log; the status page counts them.
            LOG.debug("refused {} with 401: {}", Request.getRemoteAddr(request), token.problem());
            return refuse(response, callback, HttpStatus.UNAUTHORIZED_401, "UNAUTHORIZED", "unauthorized", 0, null);
        }
        AccessToken t = token.token();
        SubaccountOwnership.Check owner = ownership.check(t.subaccount());
        if (owner instanceof SubaccountOwnership.Elsewhere e) {
            if (e.ownerUrl() == null) {
                return refuse(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "NO_OWNER",
                        "no gateway instance owns subaccount " + t.subaccount() + " yet", 1_000, null);
            }
            return refuse(response, callback, HttpStatus.MISDIRECTED_REQUEST_421, "WRONG_INSTANCE",
                    "subaccount " + t.subaccount() + " is served by " + e.ownerUrl(), 0, e.ownerUrl());
        }
        if (owner instanceof SubaccountOwnership.NotReady n) {
            return refuse(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "NOT_READY",
                    "subaccount " + t.subaccount() + " just moved to this instance", n.retryAfterMs(), null);
        }
        ConnectionAdmission.Decision decision = admission.admit(t.subaccount());
        if (decision instanceof ConnectionAdmission.Refused r) {
            LOG.debug("refused {} with 429: {}", t.identity(), r.reason());
            return refuse(response, callback, HttpStatus.TOO_MANY_REQUESTS_429, "RATE_LIMITED", r.reason(),
                    WindowLimiter.retryAfterMillis(r.retryAfterNanos()), null);
        }
        ConnectionAdmission.Ticket ticket = ((ConnectionAdmission.Admitted) decision).ticket();
        RequestLimiter limiter = new RequestLimiter(new WindowLimiter(limits.requestsPerSecondPerConnection(), clock),
                ticket.subaccount().requests());
        ChatConnection connection = new ChatConnection(t, ticket, limiter, ((SubaccountOwnership.Owned) owner).shard(),
                handler);
        registry.admitted(connection);
        return connection;
    }

    /** {@code Authorization: Bearer <token>} first, else the {@code token} query parameter. */
    private static String token(ServerUpgradeRequest request) {
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return authorization.substring(BEARER.length()).trim();
        }
        Fields query = Request.extractQueryParameters(request);
        return query.getValue("token");
    }

    /** Refused upgrades so far, by HTTP status. */
    Map<Integer, Long> refusals() {
        Map<Integer, Long> out = new TreeMap<>();
        refusals.forEach((status, count) -> out.put(status, count.sum()));
        return out;
    }

    private Object refuse(ServerUpgradeResponse response, Callback callback, int status, String code,
                                 String reason, long retryAfterMs, String owner) {
        refusals.computeIfAbsent(status, k -> new LongAdder()).increment();
        response.setStatus(status);
        if (retryAfterMs > 0) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER,
                    Long.toString(WindowLimiter.retryAfterSeconds(retryAfterMs * 1_000_000L)));
        }
        if (owner != null) {
            response.getHeaders().put(new HttpField(OWNER_HEADER, owner));
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        ObjectNode body = JSON.createObjectNode().put("code", code).put("reason", reason);
        if (retryAfterMs > 0) {
            body.put("retryAfterMs", retryAfterMs);
        }
        response.write(true, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)), callback);
        return null;
    }
}
