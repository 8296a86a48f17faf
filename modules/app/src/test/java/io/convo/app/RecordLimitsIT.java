package io.convo.app;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convo.testkit.KafkaBrokerExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, point 1: {@code convo run} refuses to start, naming the limit, when the configured limits would let a
 * legal command produce a record above the producer's {@code max.request.size} or a topic's {@code max.message.bytes}.
 */
class RecordLimitsIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @TempDir
    Path stateDir;

    private Properties config(String prefix) {
        Properties config = new Properties();
        config.setProperty("bootstrap.servers", KAFKA.bootstrapServers());
        config.setProperty("application.id", prefix + "convo");
        config.setProperty("state.dir", stateDir.toString());
        config.setProperty("convo.topics.prefix", prefix);
        return config;
    }

    @Test
    void refusesACommandBytesLimitAboveTheProducersMaxRequestSize() {
        Properties config = config("big-commands.");
        config.setProperty("convo.limits.command-bytes", String.valueOf(600 * 1024));
        try (ConvoApplication app = new ConvoApplication(config)) {
            assertThatThrownBy(app::start).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("convo.limits.command-bytes=614400")
                    .hasMessageContaining("max.request.size=1048576");
        }
    }

    @Test
    void startsWithALargerCommandLimitWhenTheProducerAllowsIt() throws Exception {
        Properties config = config("raised.");
        config.setProperty("convo.limits.command-bytes", String.valueOf(600 * 1024));
        config.setProperty("producer.max.request.size", String.valueOf(2 * 1024 * 1024));
        // The topics exist with room for it; the broker default (1 MB) would refuse.
        createTopics("raised.", String.valueOf(2 * 1024 * 1024));
        try (ConvoApplication app = new ConvoApplication(config)) {
            app.start();
            org.assertj.core.api.Assertions.assertThat(app.awaitRunning(java.time.Duration.ofSeconds(60))).isTrue();
        }
    }

    @Test
    void refusesLimitsAboveATopicsMaxMessageBytes() throws Exception {
        createTopics("small-topics.", String.valueOf(300 * 1024));
        try (ConvoApplication app = new ConvoApplication(config("small-topics."))) {
            assertThatThrownBy(app::start).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("convo.limits.command-bytes=262144")
                    .hasMessageContaining("max.message.bytes=307200");
        }
    }

    /** Every topic of {@code prefix}, created ahead with {@code maxMessageBytes}. */
    private static void createTopics(String prefix, String maxMessageBytes) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
            List<NewTopic> topics = io.convo.model.TopicNames.withPrefix(prefix).all().stream()
                    .map(t -> new NewTopic(t, 4, (short) 1).configs(Map.of("max.message.bytes", maxMessageBytes)))
                    .toList();
            admin.createTopics(topics).all().get();
        }
    }
}
