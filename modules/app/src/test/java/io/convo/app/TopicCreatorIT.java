package io.convo.app;

import io.convo.model.config.TopicsConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convo.model.TopicNames;
import io.convo.testkit.KafkaBrokerExtension;
import io.convo.testkit.KafkaTestClients;
import io.convo.topology.ConvoConfig;
import io.convo.topology.ConvoTopology;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TopicCreatorIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void findsTheTopicsThatShareAProcessorInTheTopology() {
        TopicNames topics = TopicNames.withPrefix("");

        assertThat(coPartitioned(topics)).contains(
                Set.of(topics.conversationCommands(), topics.checkReplies(), topics.deliveryReceipts()),
                Set.of(topics.serviceCommands(), topics.serviceChecks()));
    }

    @Test
    void createsEveryTopicOnceAndLeavesExistingOnesAlone() throws Exception {
        TopicNames topics = TopicNames.withPrefix("once.");
        try (Admin admin = KafkaTestClients.admin(KAFKA.bootstrapServers())) {
            TopicCreator creator = new TopicCreator(admin, TIMEOUT);

            List<String> first = creator.ensureTopics(topics, coPartitioned(topics), 3, (short) 1);
            List<String> second = creator.ensureTopics(topics, coPartitioned(topics), 3, (short) 1);

            assertThat(first).containsExactlyInAnyOrderElementsOf(topics.all());
            assertThat(second).isEmpty();
            assertThat(admin.describeTopics(topics.all()).allTopicNames().get().values())
                    .allSatisfy(description -> assertThat(description.partitions()).hasSize(3));
        }
    }

    @Test
    void keepsTheEventLogsForever() throws Exception {
        TopicNames topics = TopicNames.withPrefix("retention.");
        try (Admin admin = KafkaTestClients.admin(KAFKA.bootstrapServers())) {
            new TopicCreator(admin, TIMEOUT).ensureTopics(topics, coPartitioned(topics), 1, (short) 1);

            ConfigResource events = new ConfigResource(ConfigResource.Type.TOPIC, topics.conversationEvents());
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(events)).all().get();

            assertThat(configs.get(events).get("retention.ms").value()).isEqualTo("-1");
        }
    }

    /** The groups convo run checks: derived from the topology itself, so a new source topic is covered too. */
    private static List<Set<String>> coPartitioned(TopicNames topics) {
        Properties config = new Properties();
        config.setProperty(TopicsConfig.PREFIX.name(), topics.conversationCommands()
                .substring(0, topics.conversationCommands().length() - TopicNames.CONVERSATION_COMMANDS.length()));
        config.setProperty(ConvoConfig.STORE_TYPE.name(), "in-memory");
        return TopicCreator.coPartitioned(ConvoTopology.buildTopology(ConvoConfig.topologySettings(config)));
    }

    @Test
    void refusesToStartWhenCoPartitionedTopicsDisagree() {
        TopicNames topics = TopicNames.withPrefix("mismatch.");
        KAFKA.createTopics(2, topics.conversationCommands());
        try (Admin admin = KafkaTestClients.admin(KAFKA.bootstrapServers())) {
            TopicCreator creator = new TopicCreator(admin, TIMEOUT);

            assertThatThrownBy(() -> creator.ensureTopics(topics, coPartitioned(topics), 4, (short) 1))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(topics.conversationCommands() + " (2 partitions)")
                    .hasMessageContaining(topics.checkReplies() + " (4 partitions)")
                    .hasMessageContaining(topics.deliveryReceipts() + " (4 partitions)");
        }
    }
}
