package io.convo.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.connectors.FakeProvider.Reply;
import io.convo.model.Channel;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import io.convo.testkit.KafkaBrokerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The no-double-send guarantee over a stream of deliveries: connectors crash, restart and hand partitions to each
 * other mid-stream, and the provider (counting calls per Idempotency-Key) still performs every delivery exactly
 * once, with exactly one receipt each.
 */
class ConnectorRestartIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRestartIT.class);
    private static final int DELIVERIES = 200;
    private static final Duration WAIT = Duration.ofSeconds(180);

    private ConnectorTopics topics;
    private Map<String, Object> config;
    private FakeProvider provider;
    private final List<ChannelConnector> connectors = new ArrayList<>();
    private Set<String> keys;

    @BeforeEach
    void deliveries() throws Exception {
        String prefix = KafkaRecords.uniquePrefix();
        topics = new ConnectorTopics(prefix);
        kafka.createTopics(4, topics.delivery(Channel.sms), topics.receipts());
        // A few milliseconds per call, so that a crash lands mid-stream and often mid-call.
        provider = new FakeProvider((key, nth) -> Reply.after(Duration.ofMillis(5), Reply.ok()));
        config = KafkaRecords.connectorConfig(kafka.bootstrapServers(), prefix);
        config.put("convo.connector.sms.transport", "webhook");
        config.put("convo.connector.sms.webhook.url", provider.url().toString());
        // Small batches, so partitions can move between instances mid-stream.
        config.put(ConnectorConfig.CONSUMER_PREFIX + "max.poll.records", "10");
        List<Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < DELIVERIES; i++) {
            deliveries.add(Fixtures.delivery(Channel.sms, "CH" + (i % 20), "IM" + i, "MB" + (i % 7)));
        }
        keys = deliveries.stream().map(d -> DeliveryId.of(d).key()).collect(Collectors.toSet());
        KafkaRecords.produce(kafka.bootstrapServers(), topics.delivery(Channel.sms), Delivery.class,
                Delivery::getConversationSid, deliveries);
    }

    @AfterEach
    void stop() {
        connectors.forEach(ChannelConnector::close);
        provider.close();
    }

    private ChannelConnector start(String instanceId) {
        Map<String, Object> instance = new java.util.HashMap<>(config);
        instance.put(ConnectorConfig.INSTANCE_ID, instanceId);
        ChannelConnector connector = new ChannelConnector(Channel.sms, instance);
        connectors.add(connector);
        connector.start();
        return connector;
    }

    private void awaitPerformed(int count) throws InterruptedException {
        assertThat(FakeProvider.await(() -> provider.performed().size() >= count, WAIT))
                .as("provider performed %d deliveries", count).isTrue();
    }

    @Test
    void aConnectorCrashedTwiceMidStreamSendsEachDeliveryOnceAndLosesNone() throws Exception {
        ChannelConnector first = start("0");
        awaitPerformed(50);
        first.halt();
        ChannelConnector second = start("0");
        awaitPerformed(120);
        second.halt();
        ChannelConnector third = start("0");
        awaitPerformed(DELIVERIES);
        List<DeliveryReceipt> receiptsSoFar = KafkaRecords.awaitValues(kafka.bootstrapServers(), topics.receipts(),
                DeliveryReceipt.class, DELIVERIES, WAIT);
        assertThat(receiptsSoFar).hasSizeGreaterThanOrEqualTo(DELIVERIES);
        third.close();

        // None lost, none performed twice.
        assertThat(provider.performed()).isEqualTo(keys);
        // A crash can interrupt one call after it reached the provider and before its transaction committed: that
        // delivery is offered again under the same key, which the provider recognises. Nothing else is repeated.
        Map<String, Integer> repeated = provider.callsPerKey().entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        LOG.info("Two crashes mid-stream: {} of {} deliveries were offered to the provider twice: {}", repeated.size(),
                DELIVERIES, repeated.keySet());
        assertThat(repeated).as("deliveries called twice").hasSizeLessThanOrEqualTo(2);
        assertThat(repeated.values()).allMatch(calls -> calls == 2);
        assertExactlyOneSentReceiptPerDelivery();
    }

    @Test
    void partitionsMovingBetweenInstancesMidStreamSendEachDeliveryOnce() throws Exception {
        ChannelConnector a = start("a");
        awaitPerformed(40);
        start("b");
        awaitPerformed(100);
        a.close();
        awaitPerformed(DELIVERIES);
        KafkaRecords.awaitValues(kafka.bootstrapServers(), topics.receipts(), DeliveryReceipt.class, DELIVERIES, WAIT);
        connectors.forEach(ChannelConnector::close);

        assertThat(provider.performed()).isEqualTo(keys);
        assertThat(provider.callsPerKey().values()).as("calls per delivery").allMatch(calls -> calls == 1);
        assertExactlyOneSentReceiptPerDelivery();
    }

    private void assertExactlyOneSentReceiptPerDelivery() {
        List<DeliveryReceipt> receipts = KafkaRecords.readAllValues(kafka.bootstrapServers(), topics.receipts(),
                DeliveryReceipt.class);
        assertThat(receipts).hasSize(DELIVERIES);
        assertThat(receipts).allMatch(r -> r.getStatus() == DeliveryStatus.sent);
        assertThat(receipts.stream().map(r -> r.getMessageSid() + "/" + r.getParticipantSid() + "/sms")
                .collect(Collectors.toSet())).isEqualTo(keys);
    }
}
