package io.convo.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.connectors.FakeProvider.Reply;
import io.convo.model.Channel;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import io.convo.model.serde.ConvoSerdes;
import io.convo.testkit.KafkaBrokerExtension;
import io.convo.testkit.KafkaTestClients;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One channel's connector on a real broker, with a real local HTTP server as the provider: each outcome of the
 * webhook transport becomes the right receipt, DLQ record and number of provider calls.
 */
class WebhookConnectorIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final Duration WAIT = Duration.ofSeconds(90);

    private ConnectorTopics topics;
    private Map<String, Object> config;
    private FakeProvider provider;
    private ChannelConnector connector;

    @BeforeEach
    void topics() {
        String prefix = KafkaRecords.uniquePrefix();
        topics = new ConnectorTopics(prefix);
        kafka.createTopics(2, topics.delivery(Channel.sms), topics.receipts());
        config = KafkaRecords.connectorConfig(kafka.bootstrapServers(), prefix);
        config.put("convo.connector.sms.transport", "webhook");
        config.put("convo.connector.webhook.retry.initial-delay.ms", "20");
        config.put("convo.connector.webhook.retry.max-delay.ms", "100");
    }

    @AfterEach
    void stop() {
        if (connector != null) {
            connector.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    private void start(FakeProvider.Script script) throws Exception {
        provider = new FakeProvider(script);
        config.put("convo.connector.sms.webhook.url", provider.url().toString());
        connector = new ChannelConnector(Channel.sms, config);
        connector.start();
    }

    private void produce(Delivery... deliveries) {
        KafkaRecords.produce(kafka.bootstrapServers(), topics.delivery(Channel.sms), Delivery.class,
                Delivery::getConversationSid, deliveries);
    }

    private List<DeliveryReceipt> awaitReceipts(int count) {
        List<DeliveryReceipt> receipts = KafkaRecords.awaitValues(kafka.bootstrapServers(), topics.receipts(),
                DeliveryReceipt.class, count, WAIT);
        assertThat(receipts).as("receipts").hasSizeGreaterThanOrEqualTo(count);
        return receipts;
    }

    /** Everything on the receipts topic once the connector has stopped. */
    private List<DeliveryReceipt> allReceipts() {
        connector.close();
        return KafkaRecords.readAllValues(kafka.bootstrapServers(), topics.receipts(), DeliveryReceipt.class);
    }

    @Test
    void aDeliveryIsPostedOnceAndReportedSent() throws Exception {
        start((key, nth) -> Reply.ok());
        produce(Fixtures.delivery(Channel.sms, "CH1", "IM1", "MB1"));

        DeliveryReceipt receipt = awaitReceipts(1).get(0);

        assertThat(receipt.getStatus()).isEqualTo(DeliveryStatus.sent);
        assertThat(receipt.getMessageSid()).isEqualTo("IM1");
        assertThat(receipt.getParticipantSid()).isEqualTo("MB1");
        assertThat(receipt.getChannel()).isEqualTo(Channel.sms);
        assertThat(allReceipts()).hasSize(1);
        assertThat(provider.callsPerKey()).isEqualTo(Map.of("IM1/MB1/sms", 1));
        assertThat(KafkaRecords.readAll(kafka.bootstrapServers(), topics.processed()))
                .extracting(ConsumerRecord::key).containsExactly("IM1/MB1/sms");
        assertThat(KafkaRecords.readAll(kafka.bootstrapServers(), topics.dlq())).isEmpty();
    }

    @Test
    void aServerErrorIsRetriedUnderTheSameKeyAndTheDeliverySentOnce() throws Exception {
        start((key, nth) -> nth == 1 ? Reply.status(500) : Reply.ok());
        produce(Fixtures.delivery(Channel.sms, "CH1", "IM1", "MB1"));

        assertThat(awaitReceipts(1).get(0).getStatus()).isEqualTo(DeliveryStatus.sent);

        assertThat(allReceipts()).hasSize(1);
        assertThat(provider.calls()).extracting(FakeProvider.Call::idempotencyKey)
                .containsExactly("IM1/MB1/sms", "IM1/MB1/sms");
        assertThat(provider.performed()).containsExactly("IM1/MB1/sms");
        assertThat(KafkaRecords.readAll(kafka.bootstrapServers(), topics.dlq())).isEmpty();
    }

    @Test
    void aBadRequestIsAFailedReceiptWithoutRetryAndADeadLetterWithTheProvidersStatusAndAnswer() throws Exception {
        start((key, nth) -> new Reply(400, "{\"code\":21211,\"message\":\"not a valid phone number\"}", Duration.ZERO,
                Map.of()));
        Delivery delivery = Fixtures.delivery(Channel.sms, "CH1", "IM1", "MB1");
        produce(delivery);

        DeliveryReceipt receipt = awaitReceipts(1).get(0);

        assertThat(receipt.getStatus()).isEqualTo(DeliveryStatus.failed);
        assertThat(receipt.getCode()).isEqualTo("HTTP_400");
        assertThat(receipt.getReason()).contains("HTTP 400");
        assertThat(allReceipts()).hasSize(1);
        assertThat(provider.calls()).hasSize(1);
        // Refused for good is as final as out of retries: it is on delivery-dlq too, with what the provider said.
        List<ConsumerRecord<String, byte[]>> dead = KafkaRecords.readAll(kafka.bootstrapServers(), topics.dlq());
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).key()).isEqualTo("CH1");
        assertThat(header(dead.get(0), DeadLetters.HEADER_CODE)).isEqualTo("HTTP_400");
        assertThat(header(dead.get(0), DeadLetters.HEADER_REASON)).contains("HTTP 400").contains("not a valid phone number");
        assertThat(header(dead.get(0), DeadLetters.HEADER_ATTEMPTS)).isEqualTo("1");
        assertThat(header(dead.get(0), DeadLetters.HEADER_RETRIABLE)).isEqualTo("false");
        assertThat(header(dead.get(0), DeadLetters.HEADER_PROVIDER_STATUS)).isEqualTo("400");
        assertThat(header(dead.get(0), DeadLetters.HEADER_PROVIDER_ANSWER))
                .isEqualTo("{\"code\":21211,\"message\":\"not a valid phone number\"}");
        assertThat(ConvoSerdes.valueSerde(Delivery.class, Map.of()).deserializer()
                .deserialize(topics.dlq(), dead.get(0).value())).isEqualTo(delivery);
    }

    @Test
    void aProviderStillFailingAfterTheLastRetryIsDeadLetteredWithItsLastStatusAndAnswer() throws Exception {
        config.put("convo.connector.sms.webhook.retry.max-attempts", "3");
        start((key, nth) -> new Reply(503, "try later (" + nth + ")", Duration.ZERO, Map.of()));
        produce(Fixtures.delivery(Channel.sms, "CH1", "IM1", "MB1"));

        assertThat(awaitReceipts(1).get(0).getCode()).isEqualTo("HTTP_503");

        assertThat(allReceipts()).hasSize(1);
        assertThat(provider.calls()).hasSize(3);
        List<ConsumerRecord<String, byte[]>> dead = KafkaRecords.readAll(kafka.bootstrapServers(), topics.dlq());
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), DeadLetters.HEADER_CODE)).isEqualTo("HTTP_503");
        assertThat(header(dead.get(0), DeadLetters.HEADER_REASON)).contains("gave up after 3 attempts");
        assertThat(header(dead.get(0), DeadLetters.HEADER_ATTEMPTS)).isEqualTo("3");
        assertThat(header(dead.get(0), DeadLetters.HEADER_RETRIABLE)).isEqualTo("true");
        assertThat(header(dead.get(0), DeadLetters.HEADER_PROVIDER_STATUS)).isEqualTo("503");
        assertThat(header(dead.get(0), DeadLetters.HEADER_PROVIDER_ANSWER)).isEqualTo("try later (3)");
    }

    @Test
    void aProviderThatNeverAnswersInTimeIsRetriedThenDeadLetteredWithAFailedReceipt() throws Exception {
        config.put("convo.connector.sms.webhook.timeout.ms", "200");
        config.put("convo.connector.sms.webhook.retry.max-attempts", "3");
        start((key, nth) -> Reply.after(Duration.ofSeconds(3), Reply.ok()));
        Delivery delivery = Fixtures.delivery(Channel.sms, "CH1", "IM1", "MB1");
        produce(delivery);

        DeliveryReceipt receipt = awaitReceipts(1).get(0);

        assertThat(receipt.getStatus()).isEqualTo(DeliveryStatus.failed);
        assertThat(receipt.getCode()).isEqualTo(FailureCodes.PROVIDER_TIMEOUT);
        assertThat(allReceipts()).hasSize(1);
        assertThat(provider.calls(DeliveryId.of(delivery).key())).isEqualTo(3);
        List<ConsumerRecord<String, byte[]>> dead = KafkaRecords.readAll(kafka.bootstrapServers(), topics.dlq());
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).key()).isEqualTo("CH1");
        assertThat(header(dead.get(0), DeadLetters.HEADER_CODE)).isEqualTo(FailureCodes.PROVIDER_TIMEOUT);
        assertThat(header(dead.get(0), DeadLetters.HEADER_REASON)).contains("3 attempts");
        assertThat(header(dead.get(0), DeadLetters.HEADER_TOPIC)).isEqualTo(topics.delivery(Channel.sms));
        assertThat(header(dead.get(0), DeadLetters.HEADER_RETRIABLE)).isEqualTo("true");
        assertThat(header(dead.get(0), DeadLetters.HEADER_PROVIDER_STATUS)).as("no answer, no status").isNull();
        assertThat(ConvoSerdes.valueSerde(Delivery.class, Map.of()).deserializer()
                .deserialize(topics.dlq(), dead.get(0).value())).isEqualTo(delivery);
    }

    @Test
    void anUnreadableRecordIsDeadLetteredAndTheDeliveriesAfterItStillGo() throws Exception {
        start((key, nth) -> Reply.ok());
        KafkaRecords.produceBytes(kafka.bootstrapServers(), topics.delivery(Channel.sms), "CH1",
                "not avro".getBytes(StandardCharsets.UTF_8));
        produce(Fixtures.delivery(Channel.sms, "CH1", "IM2", "MB1"));

        assertThat(awaitReceipts(1).get(0).getMessageSid()).isEqualTo("IM2");

        assertThat(allReceipts()).hasSize(1);
        List<ConsumerRecord<String, byte[]>> dead = KafkaRecords.readAll(kafka.bootstrapServers(), topics.dlq());
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0), DeadLetters.HEADER_CODE)).isEqualTo(FailureCodes.UNREADABLE_DELIVERY);
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
    }

    @Test
    void aDeliveryThatAppearsAgainOnTheTopicIsNotSentAgainEvenByANewInstance() throws Exception {
        start((key, nth) -> Reply.ok());
        Delivery delivery = Fixtures.delivery(Channel.sms, "CH1", "IM1", "MB1");
        produce(delivery, delivery);
        awaitReceipts(1);
        assertThat(FakeProvider.await(() -> connectorCaughtUp(2), WAIT)).isTrue();
        connector.close();

        // A replay puts it on the topic once more; a fresh instance knows it only from the processed-delivery log.
        produce(delivery);
        connector = new ChannelConnector(Channel.sms, config);
        connector.start();
        assertThat(FakeProvider.await(() -> connectorCaughtUp(3), WAIT)).isTrue();

        assertThat(provider.callsPerKey()).isEqualTo(Map.of("IM1/MB1/sms", 1));
        assertThat(allReceipts()).hasSize(1);
    }

    @Test
    void aTransactionThatFailsAfterTheSendIsRetriedWithoutSendingAgain() throws Exception {
        // Without its receipts topic the connector cannot commit a decision: each transaction fails until it is back.
        config.put(ConnectorConfig.PRODUCER_PREFIX + "max.block.ms", "500");
        try (Admin admin = KafkaTestClients.admin(kafka.bootstrapServers())) {
            admin.deleteTopics(List.of(topics.receipts())).all().get();
        }
        start((key, nth) -> Reply.ok());
        produce(Fixtures.delivery(Channel.sms, "CH1", "IM1", "MB1"));
        assertThat(FakeProvider.await(() -> provider.calls().size() == 1, WAIT)).isTrue();
        assertThat(FakeProvider.await(this::aTransactionWasAborted, WAIT)).as("a transaction was aborted").isTrue();

        recreate(topics.receipts());

        assertThat(awaitReceipts(1).get(0).getStatus()).isEqualTo(DeliveryStatus.sent);
        assertThat(allReceipts()).hasSize(1);
        assertThat(provider.callsPerKey()).isEqualTo(Map.of("IM1/MB1/sms", 1));
    }

    /** The connector's producer metric: time spent aborting transactions (JMX, as operators would see it). */
    private boolean aTransactionWasAborted() {
        try {
            ObjectName name = new ObjectName("kafka.producer:type=producer-metrics,client-id=" + topics.prefix()
                    + "convo-connector-sms.sms.0-producer");
            Object total = ManagementFactory.getPlatformMBeanServer().getAttribute(name, "txn-abort-time-ns-total");
            return ((Number) total).doubleValue() > 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** Creates a topic again, retrying while the broker still finishes deleting it. */
    private void recreate(String topic) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (Admin admin = KafkaTestClients.admin(kafka.bootstrapServers())) {
            while (true) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
                    return;
                } catch (ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    /** Whether the connector's group has committed offsets past {@code records} delivery records. */
    private boolean connectorCaughtUp(long records) {
        try (Admin admin = KafkaTestClients.admin(kafka.bootstrapServers())) {
            var offsets = admin.listConsumerGroupOffsets(topics.prefix() + "convo-connector-sms")
                    .partitionsToOffsetAndMetadata().get();
            return offsets.values().stream().mapToLong(o -> o == null ? 0 : o.offset()).sum() >= records;
        } catch (Exception e) {
            return false;
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
