package io.convo.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    private static Map<String, Object> config(Object... keyValues) {
        Map<String, Object> config = new HashMap<>();
        config.put(GatewayConfig.TOKEN_SECRET, SECRET);
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put((String) keyValues[i], keyValues[i + 1]);
        }
        return config;
    }

    @Test
    void defaultsAreTheSpecsLimitsOnLoopback() {
        GatewayConfig.Settings s = GatewayConfig.settings(config());
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.limits()).isEqualTo(ConnectionLimits.defaults());
        assertThat(s.limits().concurrentPerSubaccount()).isEqualTo(7_000);
        assertThat(s.limits().concurrentOverall()).isEqualTo(100_000);
        assertThat(s.limits().connectsPerSecondPerSubaccount()).isEqualTo(110);
        assertThat(s.limits().connectsPerSecondOverall()).isEqualTo(1_000);
        assertThat(s.limits().requestsPerSecondPerConnection()).isEqualTo(500);
        assertThat(s.limits().requestsPerSecondPerSubaccount()).isEqualTo(20_000);
        assertThat(s.serviceSid()).isNull();
        assertThat(s.cluster().enabled()).isFalse();
        assertThat(s.topics().conversationCommands()).isEqualTo("conversation-commands");
    }

    @Test
    void everyLimitIsConfigurableAndAnUnknownLimitIsAnError() {
        GatewayConfig.Settings s = GatewayConfig.settings(config(
                "convo.gateway.limits.concurrent-per-subaccount", "3",
                "convo.gateway.limits.requests-per-second-per-connection", "5"));
        assertThat(s.limits().concurrentPerSubaccount()).isEqualTo(3);
        assertThat(s.limits().requestsPerSecondPerConnection()).isEqualTo(5);
        assertThatThrownBy(() -> GatewayConfig.settings(config("convo.gateway.limits.concurent-per-subaccount", "3")))
                .hasMessageContaining("unknown limit").hasMessageContaining("concurent-per-subaccount");
        assertThatThrownBy(() -> GatewayConfig.settings(config("convo.gateway.limits.concurrent-overall", "0")))
                .hasMessageContaining("between 1");
    }

    @Test
    void theSecretIsRequiredAndMustHave32Bytes() {
        Map<String, Object> none = config();
        none.remove(GatewayConfig.TOKEN_SECRET);
        assertThatThrownBy(() -> GatewayConfig.settings(none)).hasMessageContaining("required");
        assertThatThrownBy(() -> GatewayConfig.settings(config(GatewayConfig.TOKEN_SECRET, "short")))
                .hasMessageContaining("at least 32");
        byte[] bytes = new byte[32];
        GatewayConfig.Settings s = GatewayConfig.settings(config(GatewayConfig.TOKEN_SECRET,
                "base64:" + Base64.getEncoder().encodeToString(bytes)));
        assertThat(s.tokenSecret()).hasSize(32);
    }

    @Test
    void theHeartbeatTimeoutMustExceedTheInterval() {
        assertThatThrownBy(() -> GatewayConfig.settings(config(GatewayConfig.HEARTBEAT_INTERVAL_MS, "1000",
                GatewayConfig.HEARTBEAT_TIMEOUT_MS, "1000"))).hasMessageContaining("longer");
        GatewayConfig.Settings s = GatewayConfig.settings(config(GatewayConfig.HEARTBEAT_INTERVAL_MS, "1000",
                GatewayConfig.HEARTBEAT_TIMEOUT_MS, "3000"));
        assertThat(s.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void passesKafkaClientKeysOnlyToTheClients() {
        GatewayConfig.Settings s = GatewayConfig.settings(config("bootstrap.servers", "127.0.0.1:9092",
                "security.protocol", "PLAINTEXT", "application.id", "convo", "group.id", "not-mine",
                "convo.topics.prefix", "t-"));
        assertThat(s.kafka()).containsOnlyKeys("bootstrap.servers", "security.protocol");
        assertThat(s.topics().conversationEvents()).isEqualTo("t-conversation-events");
        assertThat(s.topics().gatewayShards()).isEqualTo("t-convo-gateway-shards");
    }

    @Test
    void theAdvertisedUrlDefaultsToTheBoundAddress() {
        assertThat(GatewayConfig.settings(config()).advertisedUrl(8123)).isEqualTo("ws://127.0.0.1:8123/v1/connect");
        assertThat(GatewayConfig.settings(config(GatewayConfig.ADVERTISED_URL, "wss://chat.example/v1/connect"))
                .advertisedUrl(8123)).isEqualTo("wss://chat.example/v1/connect");
    }
}
