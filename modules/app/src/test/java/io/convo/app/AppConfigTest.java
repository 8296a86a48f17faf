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
}
