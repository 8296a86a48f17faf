package io.convo.operate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperateConfigTest {

    @TempDir
    Path dir;

    @Test
    void environmentVariablesOverrideTheFileAsConvoRunMapsThem() throws Exception {
        Path file = dir.resolve("convo.properties");
        Files.writeString(file, "bootstrap.servers=file:9092\nconvo.topics.prefix=a.\nsecurity.protocol=PLAINTEXT\n");
        Properties config = OperateConfig.load(file, Map.of("CONVO_BOOTSTRAP_SERVERS", "env:9092",
                "CONVO_READ_PORT", "9000", "CONVO_NO_SUCH_KEY", "x"));
        assertThat(OperateConfig.bootstrapServers(config)).isEqualTo("env:9092");
        assertThat(config.getProperty(OperateConfig.READ_PORT)).isEqualTo("9000");
        assertThat(OperateConfig.topics(config).conversationEvents()).isEqualTo("a.conversation-events");
        assertThat(OperateConfig.consumerConfig(config)).containsEntry("security.protocol", "PLAINTEXT")
                .containsEntry("isolation.level", "read_committed").doesNotContainKey("convo.topics.prefix");
    }

    @Test
    void withoutAFileTheDefaultsApply() {
        Properties config = OperateConfig.load(null, Map.of());
        assertThat(OperateConfig.bootstrapServers(config)).isEqualTo("127.0.0.1:9092");
        assertThat(OperateConfig.applicationId(config)).isEqualTo("convo");
    }

    @Test
    void aNamedFileThatDoesNotExistIsAnError() {
        assertThatThrownBy(() -> OperateConfig.load(dir.resolve("nope.properties"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
    }

    @Test
    void theReadApisAddressBecomesApplicationServerUnlessOneIsSet() {
        Properties config = new Properties();
        config.setProperty(OperateConfig.READ_PORT, "9100");
        assertThat(ReadApi.withApplicationServer(config).getProperty("application.server")).isEqualTo("127.0.0.1:9100");
        assertThat(config.getProperty("application.server")).as("the given config is left alone").isNull();
        config.setProperty("application.server", "host-a:9200");
        assertThat(ReadApi.withApplicationServer(config).getProperty("application.server")).isEqualTo("host-a:9200");
    }
}
