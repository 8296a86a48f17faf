package io.convo.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.config.ConfigLoader;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppConfigTest {

    @Test
    void mapsEveryKnownKeyToItsOwnEnvironmentVariable() {
        Map<String, String> keyByEnv = new HashMap<>();
        for (String key : AppConfig.knownKeys()) {
            String previous = keyByEnv.put(ConfigLoader.envName(key), key);
            assertThat(previous).as("%s and %s share an environment variable", previous, key).isNull();
        }
        assertThat(keyByEnv).containsEntry("CONVO_RUN_GATEWAY", AppConfig.RUN_GATEWAY.name())
                .containsEntry("CONVO_BOOTSTRAP_SERVERS", "bootstrap.servers");
    }

    @Test
    void setsEveryGatewayKeyIncludingTheConnectionLimitsFromItsEnvironmentVariable() {
        Map<String, String> environment = new HashMap<>();
        Map<String, String> expected = new HashMap<>();
        int n = 0;
        for (String key : io.convo.gateway.GatewayConfig.keys()) {
            String value = "value-" + (++n);
            environment.put(ConfigLoader.envName(key), value);
            expected.put(key, value);
        }
        assertThat(expected).containsKey("convo.gateway.limits.concurrent-per-subaccount");
        java.util.Properties loaded = new ConfigLoader(environment, AppConfig.knownKeys()).load(null);
        expected.forEach((key, value) -> assertThat(loaded.getProperty(key)).as(ConfigLoader.envName(key) + " → " + key)
                .isEqualTo(value));

        java.util.Properties limit = new ConfigLoader(Map.of("CONVO_GATEWAY_LIMITS_CONCURRENT_PER_SUBACCOUNT", "20"),
                AppConfig.knownKeys()).load(null);
        assertThat(io.convo.gateway.ConnectionLimits.from(Map.of("convo.gateway.limits.concurrent-per-subaccount",
                limit.getProperty("convo.gateway.limits.concurrent-per-subaccount"))).concurrentPerSubaccount())
                .isEqualTo(20);
    }

    @Test
    void runJoinsAsAStaticMemberWhoseIdIsStableAcrossRestartsAndDiffersPerStateDirectory() {
        String memberId = "main.consumer.group.instance.id";
        java.util.Properties a = new java.util.Properties();
        a.setProperty("state.dir", "var/instance-a");
        java.util.Properties b = new java.util.Properties();
        b.setProperty("state.dir", "var/instance-b");
        String first = AppConfig.withRunDefaults(a).getProperty(memberId);
        assertThat(first).startsWith("convo-").isEqualTo(AppConfig.withRunDefaults(a).getProperty(memberId));
        assertThat(AppConfig.withRunDefaults(b).getProperty(memberId)).isNotEqualTo(first);

        a.setProperty(AppConfig.INSTANCE_ID.name(), "convo-eu-1");
        assertThat(AppConfig.withRunDefaults(a).getProperty(memberId)).isEqualTo("convo-eu-1");
        a.setProperty(AppConfig.STATIC_MEMBERSHIP.name(), "false");
        assertThat(AppConfig.withRunDefaults(a).getProperty(memberId)).as("a dynamic member").isNull();
    }

    @Test
    void runShipsFastFailover() {
        java.util.Properties run = AppConfig.withRunDefaults(new java.util.Properties());
        assertThat(run.getProperty("consumer.session.timeout.ms")).isEqualTo("10000");
        assertThat(run.getProperty("consumer.heartbeat.interval.ms")).isEqualTo("1000");
        assertThat(run.getProperty("num.standby.replicas")).isEqualTo("1");
    }
}
