package io.convo.connectors;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import org.apache.kafka.common.config.ConfigException;

/**
 * The webhook transport's settings, with the defaults of {@link ConnectorConfig}. Worst case, one delivery
 * takes {@code maxAttempts × timeout} plus the delays between attempts (each at most {@code maxDelay}).
 *
 * @param authorization the {@code Authorization} header's value, or null for none
 */
public record WebhookSettings(URI url, String authorization, Duration timeout, Duration connectTimeout, int maxAttempts,
        Duration initialDelay, Duration maxDelay, double jitter) {

    public WebhookSettings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (initialDelay.isZero() || initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 < initialDelay <= maxDelay");
        }
    }

    public static WebhookSettings from(ChannelSettings settings) {
        String url = settings.required(ConnectorConfig.WEBHOOK_URL);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ConfigException(settings.sourceKey(ConnectorConfig.WEBHOOK_URL), url, "not a URL: " + e.getMessage());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new ConfigException(settings.sourceKey(ConnectorConfig.WEBHOOK_URL), url, "expected an http or https URL");
        }
        Duration initial = settings.getMillis(ConnectorConfig.WEBHOOK_INITIAL_DELAY_MS,
                ConnectorConfig.DEFAULT_WEBHOOK_INITIAL_DELAY_MS);
        Duration max = settings.getMillis(ConnectorConfig.WEBHOOK_MAX_DELAY_MS, ConnectorConfig.DEFAULT_WEBHOOK_MAX_DELAY_MS);
        if (initial.isZero()) {
            throw new ConfigException(settings.sourceKey(ConnectorConfig.WEBHOOK_INITIAL_DELAY_MS), "0", "expected at least 1");
        }
        if (max.compareTo(initial) < 0) {
            throw new ConfigException(settings.sourceKey(ConnectorConfig.WEBHOOK_MAX_DELAY_MS), max.toMillis(),
                    "must not be less than " + settings.sourceKey(ConnectorConfig.WEBHOOK_INITIAL_DELAY_MS));
        }
        return new WebhookSettings(uri,
                settings.get(ConnectorConfig.WEBHOOK_AUTHORIZATION),
                positive(settings, ConnectorConfig.WEBHOOK_TIMEOUT_MS, ConnectorConfig.DEFAULT_WEBHOOK_TIMEOUT_MS),
                positive(settings, ConnectorConfig.WEBHOOK_CONNECT_TIMEOUT_MS,
                        ConnectorConfig.DEFAULT_WEBHOOK_CONNECT_TIMEOUT_MS),
                (int) settings.getLong(ConnectorConfig.WEBHOOK_MAX_ATTEMPTS, ConnectorConfig.DEFAULT_WEBHOOK_MAX_ATTEMPTS, 1),
                initial, max,
                // Failsafe takes a jitter factor up to 1; below 1 a delay never drops to zero.
                settings.getDouble(ConnectorConfig.WEBHOOK_JITTER, ConnectorConfig.DEFAULT_WEBHOOK_JITTER, 0, 0.99));
    }

    private static Duration positive(ChannelSettings settings, String name, long defaultMillis) {
        return Duration.ofMillis(settings.getLong(name, defaultMillis, 1));
    }
}
