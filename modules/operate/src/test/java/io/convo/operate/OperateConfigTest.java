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
                "CONVO_TOPICS_PARTITIONS", "9", "CONVO_NO_SUCH_KEY", "x"));
        assertThat(OperateConfig.bootstrapServers(config)).isEqualTo("env:9092");
        assertThat(config.getProperty("convo.topics.partitions")).isEqualTo("9");
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

}
