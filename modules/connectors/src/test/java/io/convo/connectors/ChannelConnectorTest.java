package io.convo.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convo.model.Channel;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** What a connector decides from its config before it touches Kafka. */
class ChannelConnectorTest {

    @Test
    void groupAndTransactionalIdsKeepDeploymentsChannelsAndInstancesApart() {
        ChannelConnector connector = new ChannelConnector(Channel.sms, Map.of(ConnectorConfig.TOPICS_PREFIX, "staging.",
                ConnectorConfig.INSTANCE_ID, "2"));

        assertThat(connector.groupId()).isEqualTo("staging.convo-connector-sms");
        assertThat(connector.transactionalId()).isEqualTo("staging.convo-connector-sms.sms.2");
    }

    @Test
    void aSharedGroupStillGivesEachChannelItsOwnTransactionalId() {
        Map<String, Object> config = Map.of("convo.connector.group-id", "connectors");

        assertThat(new ChannelConnector(Channel.sms, config).transactionalId())
                .isNotEqualTo(new ChannelConnector(Channel.mms, config).transactionalId());
    }

    @Test
    void aBadThroughputLimitIsRefusedBeforeStarting() {
        assertThatThrownBy(() -> new ChannelConnector(Channel.sms, Map.of("convo.connector.sms.max-per-second", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("convo.connector.sms.max-per-second");
        assertThatThrownBy(() -> new ChannelConnector(Channel.sms, Map.of("convo.connector.max-per-second", "fast")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("convo.connector.max-per-second");
    }

    @Test
    void zeroMeansNoThroughputLimit() {
        assertThat(new ChannelConnector(Channel.sms, Map.of("convo.connector.max-per-second", "0")).state())
                .isEqualTo(ChannelConnector.State.CREATED);
    }

    @Test
    void aConnectorClosedBeforeStartingIsStopped() {
        ChannelConnector connector = new ChannelConnector(Channel.chat, Map.of());

        connector.close();

        assertThat(connector.state()).isEqualTo(ChannelConnector.State.STOPPED);
        assertThat(connector.terminated()).isCompleted();
    }
}
