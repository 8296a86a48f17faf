package io.convo.connectors;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import io.convo.model.Delivery;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs each delivery as JSON to the provider's URL with an {@code Idempotency-Key} header, retrying transient
 * failures (5xx, 408, 429, timeouts, refused connections) with exponential backoff and jitter through Failsafe,
 * honouring a provider's {@code Retry-After} up to the maximum delay. Every attempt of a delivery carries the same
 * key, as does a redelivery after a connector restart: a provider that honours it performs each delivery once.
 * One call at a time per connector; not meant for concurrent use.
 */
public final class WebhookTransport implements Transport {

    /** The header carrying {@link DeliveryId#key()}. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookTransport.class);
    private static final Duration NO_OVERRIDE = Duration.ofMillis(-1);

    private final WebhookSettings settings;
    private final HttpClient client;
    private final RetryPolicy<ProviderAttempt> retryPolicy;

    /** The transport {@code convo.connector.<channel>.transport=webhook} selects. */
    public WebhookTransport(ChannelSettings settings) {
        this(WebhookSettings.from(settings));
    }

    public WebhookTransport(WebhookSettings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                // Plain HTTP/1.1: no h2c upgrade dance with providers that do not speak HTTP/2.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.retryPolicy = retryPolicy(settings);
    }

    /** The retry policy: only results are handled, so an interrupt is never retried. */
    static RetryPolicy<ProviderAttempt> retryPolicy(WebhookSettings settings) {
        RetryPolicyBuilder<ProviderAttempt> builder = RetryPolicy.<ProviderAttempt>builder()
                .handleResultIf(attempt -> ProviderResponses.classify(attempt) == ProviderResponses.Verdict.RETRY)
                .withMaxAttempts(settings.maxAttempts())
                .withDelayFn(context -> retryAfter(context.getLastResult(), settings.maxDelay()));
        if (settings.initialDelay().equals(settings.maxDelay())) {
            builder.withDelay(settings.initialDelay());
        } else {
            builder.withBackoff(settings.initialDelay(), settings.maxDelay());
        }
        if (settings.jitter() > 0) {
            builder.withJitter(settings.jitter());
        }
        return builder.build();
    }

    /** A provider's Retry-After, capped at the maximum delay; negative means "use the backoff". */
    private static Duration retryAfter(ProviderAttempt last, Duration maxDelay) {
        if (last instanceof ProviderAttempt.Response response && response.retryAfter().isPresent()) {
            Duration asked = response.retryAfter().get();
            return asked.compareTo(maxDelay) > 0 ? maxDelay : asked;
        }
        return NO_OVERRIDE;
    }

    @Override
    public SendOutcome send(Delivery delivery) throws InterruptedException {
        DeliveryId id = DeliveryId.of(delivery);
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.url())
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header(IDEMPOTENCY_KEY, id.key())
                .POST(HttpRequest.BodyPublishers.ofString(DeliveryJson.of(delivery), StandardCharsets.UTF_8));
        if (settings.authorization() != null) {
            request.header("Authorization", settings.authorization());
        }
        HttpRequest built = request.build();
        AtomicInteger attempts = new AtomicInteger();
        ProviderAttempt last;
        try {
            last = Failsafe.with(retryPolicy).get(() -> attempt(built, id, attempts.incrementAndGet()));
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException interrupted) {
                Thread.interrupted(); // Failsafe re-sets the flag; the exception now carries it
                throw interrupted;
            }
            throw e;
        }
        return ProviderResponses.outcome(last, attempts.get(), settings.timeout());
    }

    private ProviderAttempt attempt(HttpRequest request, DeliveryId id, int number) throws InterruptedException {
        ProviderAttempt attempt;
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            attempt = new ProviderAttempt.Response(response.statusCode(), response.body(),
                    ProviderResponses.retryAfter(response.headers().firstValue("Retry-After").orElse(null), Instant.now()));
        } catch (IOException e) {
            attempt = new ProviderAttempt.Failure(e);
        }
        if (ProviderResponses.classify(attempt) == ProviderResponses.Verdict.RETRY) {
            LOG.info("delivery {}: attempt {} of {} failed ({})", id, number, settings.maxAttempts(), brief(attempt));
        }
        return attempt;
    }

    private static String brief(ProviderAttempt attempt) {
        return attempt instanceof ProviderAttempt.Response response ? "HTTP " + response.status()
                : ((ProviderAttempt.Failure) attempt).error().getClass().getSimpleName();
    }

    @Override
    public String describe() {
        return "webhook(" + settings.url() + ")";
    }
}
