package io.convo.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convo.model.Channel;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ConnectorConfigTest {

    @Test
    void allFourChannelsRunUnlessConfigured() {
        assertThat(ConnectorConfig.channels(Map.of())).containsExactly(Channel.values());
        assertThat(ConnectorConfig.channels(Map.of(ConnectorConfig.CHANNELS, " SMS, whatsapp ")))
                .containsExactly(Channel.sms, Channel.whatsapp);
        assertThatThrownBy(() -> ConnectorConfig.channels(Map.of(ConnectorConfig.CHANNELS, "sms,fax")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fax");
    }

    @Test
    void aChannelsOwnKeyWinsOverTheAllChannelsKey() {
        Map<String, Object> config = Map.of("convo.connector.max-per-second", "10",
                "convo.connector.sms.max-per-second", "1");

        assertThat(new ChannelSettings(Channel.sms, config).get(ConnectorConfig.MAX_PER_SECOND)).isEqualTo("1");
        assertThat(new ChannelSettings(Channel.mms, config).get(ConnectorConfig.MAX_PER_SECOND)).isEqualTo("10");
        assertThat(new ChannelSettings(Channel.chat, Map.of()).get(ConnectorConfig.MAX_PER_SECOND)).isNull();
    }

    @Test
    void badNumbersNameTheKeyThatHoldsThem() {
        ChannelSettings settings = new ChannelSettings(Channel.sms, Map.of("convo.connector.webhook.timeout.ms", "soon"));

        assertThatThrownBy(() -> settings.getMillis(ConnectorConfig.WEBHOOK_TIMEOUT_MS, 1))
                .isInstanceOf(ConfigException.class).hasMessageContaining("convo.connector.webhook.timeout.ms");
        assertThat(new ChannelSettings(Channel.sms, Map.of()).getMillis(ConnectorConfig.WEBHOOK_TIMEOUT_MS, 5))
                .isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void keysListEveryPerChannelNameForAllChannelsAndEachChannel() {
        assertThat(ConnectorConfig.keys()).contains("convo.connector.transport", "convo.connector.sms.transport",
                "convo.connector.whatsapp.webhook.url", "convo.connector.http.port", "convo.connector.instance-id");
    }

    @Test
    void propertiesBecomeAMap() {
        Properties properties = new Properties();
        properties.setProperty("bootstrap.servers", "127.0.0.1:9092");

        assertThat(ConnectorConfig.toMap(properties)).containsEntry("bootstrap.servers", "127.0.0.1:9092");
    }

    @Test
    void theNoDoubleSendSettingsCannotBeOverridden() {
        Map<String, Object> config = Map.of(
                "bootstrap.servers", "127.0.0.1:9092",
                "security.protocol", "PLAINTEXT",
                "enable.auto.commit", "true",
                "convo.connector.consumer.isolation.level", "read_uncommitted",
                "convo.connector.consumer.max.poll.records", "7",
                "convo.connector.producer.acks", "1",
                "application.id", "convo");

        Map<String, Object> consumer = KafkaClientConfigs.deliveryConsumer(config, "g", "c");
        Map<String, Object> producer = KafkaClientConfigs.producer(config, "t", "p");

        assertThat(consumer).containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092")
                .containsEntry("security.protocol", "PLAINTEXT")
                .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "7")
                .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "g")
                .doesNotContainKey("application.id");
        assertThat(producer).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "t")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    }

    @Test
    void topicsTakeTheSharedPrefix() {
        ConnectorTopics topics = ConnectorTopics.from(Map.of(ConnectorConfig.TOPICS_PREFIX, "test."));

        assertThat(topics.delivery(Channel.whatsapp)).isEqualTo("test.delivery-whatsapp");
        assertThat(topics.receipts()).isEqualTo("test.delivery-receipts");
        assertThat(topics.dlq()).isEqualTo("test.delivery-dlq");
        assertThat(topics.processed()).isEqualTo("test.delivery-processed");
        assertThat(topics.conversationCommands()).isEqualTo("test.conversation-commands");
        assertThat(new ConnectorTopics(null).conversationEvents()).isEqualTo("conversation-events");
    }
}
