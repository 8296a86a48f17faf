package io.convo.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final Set<String> KEYS = Set.of("bootstrap.servers", "processing.guarantee", "convo.topics.partitions",
            "convo.broker.data.dir", "convo.limits.participants-per-conversation");

    @TempDir
    Path dir;

    @Test
    void namesTheEnvironmentVariableOfAKeyWithoutItsConvoPrefix() {
        assertThat(ConfigLoader.envName("convo.topics.partitions")).isEqualTo("CONVO_TOPICS_PARTITIONS");
        assertThat(ConfigLoader.envName("bootstrap.servers")).isEqualTo("CONVO_BOOTSTRAP_SERVERS");
        assertThat(ConfigLoader.envName("convo.limits.participants-per-conversation"))
                .isEqualTo("CONVO_LIMITS_PARTICIPANTS_PER_CONVERSATION");
        assertThat(ConfigLoader.envName("producer.acks")).isEqualTo("CONVO_PRODUCER_ACKS");
    }

    @Test
    void letsTheEnvironmentOverrideTheFile() throws IOException {
        Path file = write("convo.topics.partitions=8\nbootstrap.servers=file:9092\napplication.id=from-file\n");

        Properties config = new ConfigLoader(Map.of(
                "CONVO_TOPICS_PARTITIONS", "12",
                "CONVO_BOOTSTRAP_SERVERS", "env:9092"), KEYS).load(file);

        assertThat(config.getProperty("convo.topics.partitions")).isEqualTo("12");
        assertThat(config.getProperty("bootstrap.servers")).isEqualTo("env:9092");
        assertThat(config.getProperty("application.id")).isEqualTo("from-file");
    }

    @Test
    void setsKnownKeysFromTheEnvironmentWithoutAFile() {
        Properties config = new ConfigLoader(Map.of(
                "CONVO_LIMITS_PARTICIPANTS_PER_CONVERSATION", "5",
                "CONVO_BROKER_DATA_DIR", "/data/broker",
                "CONVO_PROCESSING_GUARANTEE", "at_least_once"), KEYS).load(null);

        assertThat(config.getProperty("convo.limits.participants-per-conversation")).isEqualTo("5");
        assertThat(config.getProperty("convo.broker.data.dir")).isEqualTo("/data/broker");
        assertThat(config.getProperty("processing.guarantee")).isEqualTo("at_least_once");
    }

    @Test
    void overridesAKeyOnlyTheFileKnowsAboutSuchAsACustomSerdeSetting() throws IOException {
        Path file = write("schema.registry.url=http://file:8081\n");

        Properties config = new ConfigLoader(Map.of("CONVO_SCHEMA_REGISTRY_URL", "http://env:8081"), KEYS).load(file);

        assertThat(config.getProperty("schema.registry.url")).isEqualTo("http://env:8081");
    }

    @Test
    void ignoresEnvironmentVariablesThatMatchNoKey() {
        Properties config = new ConfigLoader(Map.of("CONVO_NO_SUCH_KEY", "x", "PATH", "/bin"), KEYS).load(null);

        assertThat(config).isEmpty();
    }

    @Test
    void refusesANamedFileThatDoesNotExist() {
        Path missing = dir.resolve("missing.properties");

        assertThatThrownBy(() -> new ConfigLoader(Map.of(), KEYS).load(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.properties");
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("convo.properties");
        Files.writeString(file, text);
        return file;
    }
}
