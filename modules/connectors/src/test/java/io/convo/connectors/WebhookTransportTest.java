package io.convo.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.RetryPolicyConfig;
import io.convo.connectors.FakeProvider.Reply;
import io.convo.model.Channel;
import io.convo.model.Delivery;
import io.convo.model.json.JsonLines;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The webhook transport against a real local HTTP server standing in for the provider. */
class WebhookTransportTest {

    private static final Delivery DELIVERY = Fixtures.delivery(Channel.sms, "CH1", "IM1", "MB1");

    private static WebhookSettings settings(URI url, int maxAttempts, Duration timeout) {
        return new WebhookSettings(url, null, timeout, Duration.ofSeconds(5), maxAttempts, Duration.ofMillis(10),
                Duration.ofMillis(50), 0.25);
    }

    @Test
    void postsTheDeliveryAsPlainJsonWithTheIdempotencyKey() throws Exception {
        try (FakeProvider provider = FakeProvider.alwaysOk()) {
            WebhookTransport transport = new WebhookTransport(new WebhookSettings(provider.url(), "Bearer secret",
                    Duration.ofSeconds(10), Duration.ofSeconds(5), 3, Duration.ofMillis(10), Duration.ofMillis(50), 0));

            SendOutcome outcome = transport.send(DELIVERY);

            assertThat(outcome).isEqualTo(SendOutcome.sent(1));
            FakeProvider.Call call = provider.calls().get(0);
            assertThat(call.idempotencyKey()).isEqualTo("IM1/MB1/sms");
            assertThat(call.authorization()).isEqualTo("Bearer secret");
            ObjectMapper json = new ObjectMapper();
            JsonNode expected = json.readTree(JsonLines.outputLine("delivery-sms", "CH1", DELIVERY)).get("value");
            assertThat(json.readTree(call.body())).isEqualTo(expected);
            assertThat(json.readTree(call.body()).get("type").asText()).isEqualTo("Delivery");
        }
    }

    @Test
    void retriesAServerErrorWithTheSameKeyThenReportsSent() throws Exception {
        try (FakeProvider provider = new FakeProvider((key, nth) -> nth == 1 ? Reply.status(500) : Reply.ok())) {
            SendOutcome outcome = new WebhookTransport(settings(provider.url(), 4, Duration.ofSeconds(10))).send(DELIVERY);

            assertThat(outcome).isEqualTo(SendOutcome.sent(2));
            assertThat(provider.calls()).extracting(FakeProvider.Call::idempotencyKey)
                    .containsExactly("IM1/MB1/sms", "IM1/MB1/sms");
        }
    }

    @Test
    void doesNotRetryABadRequest() throws Exception {
        try (FakeProvider provider = new FakeProvider((key, nth) -> Reply.status(400))) {
            SendOutcome outcome = new WebhookTransport(settings(provider.url(), 4, Duration.ofSeconds(10))).send(DELIVERY);

            assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Failed.class, failed -> {
                assertThat(failed.code()).isEqualTo("HTTP_400");
                assertThat(failed.retriable()).isFalse();
            });
            assertThat(provider.calls()).hasSize(1);
        }
    }

    @Test
    void retriesThrottlingAndHonoursRetryAfter() throws Exception {
        Reply throttled = new Reply(429, "{}", Duration.ZERO, Map.of("Retry-After", "0"));
        try (FakeProvider provider = new FakeProvider((key, nth) -> nth < 3 ? throttled : Reply.ok())) {
            SendOutcome outcome = new WebhookTransport(settings(provider.url(), 4, Duration.ofSeconds(10))).send(DELIVERY);

            assertThat(outcome).isEqualTo(SendOutcome.sent(3));
        }
    }

    @Test
    void givesUpAfterTheLastTryWhenTheProviderNeverAnswersInTime() throws Exception {
        try (FakeProvider provider = new FakeProvider((key, nth) -> Reply.after(Duration.ofSeconds(3), Reply.ok()))) {
            SendOutcome outcome = new WebhookTransport(settings(provider.url(), 3, Duration.ofMillis(200))).send(DELIVERY);

            assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Failed.class, failed -> {
                assertThat(failed.code()).isEqualTo(FailureCodes.PROVIDER_TIMEOUT);
                assertThat(failed.retriable()).isTrue();
                assertThat(failed.attempts()).isEqualTo(3);
            });
            assertThat(provider.calls()).hasSize(3);
        }
    }

    @Test
    void givesUpAfterTheLastTryWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            port = socket.getLocalPort();
        }
        URI closed = URI.create("http://127.0.0.1:" + port + "/messages");

        SendOutcome outcome = new WebhookTransport(settings(closed, 2, Duration.ofSeconds(2))).send(DELIVERY);

        assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Failed.class, failed -> {
            assertThat(failed.code()).isEqualTo(FailureCodes.PROVIDER_UNREACHABLE);
            assertThat(failed.attempts()).isEqualTo(2);
        });
    }

    @Test
    void anInterruptStopsTheSendWithoutAnOutcome() throws Exception {
        try (FakeProvider provider = new FakeProvider((key, nth) -> Reply.after(Duration.ofSeconds(30), Reply.ok()))) {
            WebhookTransport transport = new WebhookTransport(settings(provider.url(), 3, Duration.ofSeconds(60)));
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread sender = new Thread(() -> {
                try {
                    transport.send(DELIVERY);
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            sender.start();
            assertThat(FakeProvider.await(() -> provider.calls().size() == 1, Duration.ofSeconds(30))).isTrue();

            sender.interrupt();
            sender.join(30_000);

            assertThat(sender.isAlive()).isFalse();
            assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        }
    }

    @Test
    void retryPolicyIsExponentialWithJitterAndBoundedAttempts() {
        WebhookSettings settings = new WebhookSettings(URI.create("http://127.0.0.1:1/"), null, Duration.ofSeconds(10),
                Duration.ofSeconds(5), 5, Duration.ofMillis(500), Duration.ofSeconds(30), 0.25);

        RetryPolicyConfig<ProviderAttempt> config = WebhookTransport.retryPolicy(settings).getConfig();

        assertThat(config.getMaxAttempts()).isEqualTo(5);
        assertThat(config.getDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.getMaxDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.getDelayFactor()).isEqualTo(2.0);
        assertThat(config.getJitterFactor()).isEqualTo(0.25);
    }

    @Test
    void settingsComeFromTheChannelThenAllChannels() {
        Map<String, Object> config = new HashMap<>();
        config.put("convo.connector.webhook.url", "https://provider.example/all");
        config.put("convo.connector.sms.webhook.url", "https://provider.example/sms");
        config.put("convo.connector.webhook.retry.max-attempts", "7");

        WebhookSettings sms = WebhookSettings.from(new ChannelSettings(Channel.sms, config));
        WebhookSettings mms = WebhookSettings.from(new ChannelSettings(Channel.mms, config));

        assertThat(sms.url()).hasToString("https://provider.example/sms");
        assertThat(mms.url()).hasToString("https://provider.example/all");
        assertThat(sms.maxAttempts()).isEqualTo(7);
        assertThat(sms.timeout()).isEqualTo(Duration.ofMillis(ConnectorConfig.DEFAULT_WEBHOOK_TIMEOUT_MS));
    }

    @Test
    void refusesAMissingOrNonHttpUrl() {
        assertThatThrownBy(() -> WebhookSettings.from(new ChannelSettings(Channel.sms, Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("convo.connector.sms.webhook.url");
        assertThatThrownBy(() -> WebhookSettings.from(new ChannelSettings(Channel.sms,
                Map.of("convo.connector.sms.webhook.url", "ftp://x/")))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("http");
    }
}
