package io.convo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** The broker config, checked without starting a broker. */
class EmbeddedKafkaBrokerTest {

    private final Properties config = EmbeddedKafkaBroker.serverProperties(Path.of("/data/kafka-logs"), 9092, 9093);

    @Test
    void bindsEveryListenerToLoopbackOnly() {
        assertThat(config.getProperty("listeners"))
                .isEqualTo("PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
        assertThat(config.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:9092");
        assertThat(config.getProperty("controller.quorum.bootstrap.servers")).isEqualTo("127.0.0.1:9093");
    }

    @Test
    void keepsOneReplicaOfEveryInternalTopicAndCreatesNoTopicByItself() {
        assertThat(config).containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("share.coordinator.state.topic.replication.factor", "1")
                .containsEntry("share.coordinator.state.topic.min.isr", "1")
                .containsEntry("auto.create.topics.enable", "false")
                .containsEntry("group.initial.rebalance.delay.ms", "0")
                .containsEntry("log.dirs", "/data/kafka-logs");
    }

    @Test
    void findsAFreeLoopbackPort() {
        assertThat(EmbeddedKafkaBroker.freePort()).isBetween(1, 65535);
    }
}
