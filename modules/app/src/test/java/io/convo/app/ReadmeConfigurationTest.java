package io.convo.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The README's configuration tables name every key convo reads, so a new key cannot go undocumented. */
class ReadmeConfigurationTest {

    private static final Path README = Path.of("../../README.md");

    @Test
    void documentsEveryConvoKeyWithItsEnvironmentVariable() throws IOException {
        String readme = Files.readString(README);

        for (String key : AppConfig.convoKeys()) {
            assertThat(readme).as("README documents %s", key).contains("`" + key + "`");
            if (!key.startsWith("convo.limits.")) {
                assertThat(readme).as("README names the variable of %s", key).contains("`" + ConfigLoader.envName(key) + "`");
            }
        }
    }

    @Test
    void documentsTheDefaultsConvoRunApplies() throws IOException {
        String readme = Files.readString(README);

        for (String key : AppConfig.withRunDefaults(new Properties()).stringPropertyNames()) {
            if (!key.startsWith("topic.")) { // topic-level settings are described in prose
                assertThat(readme).as("README documents %s", key).contains("`" + key + "`");
            }
        }
    }
}
