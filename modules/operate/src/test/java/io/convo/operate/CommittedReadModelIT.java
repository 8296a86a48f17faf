package io.convo.operate;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.Conversation;
import io.convo.model.ConversationCreated;
import io.convo.model.ConversationEvent;
import io.convo.model.ConversationState;
import io.convo.model.TopicNames;
import io.convo.model.config.TopicsConfig;
import io.convo.model.serde.ConvoSerdes;
import io.convo.testkit.KafkaBrokerExtension;
import io.convo.testkit.KafkaTestClients;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12: reads never show state a rollback undoes. The engines write events in transactions; here a
 * transactional producer stands in for them on a real broker, so that a transaction can be left open and aborted
 * on purpose, and the read model is watched meanwhile.
 */
class CommittedReadModelIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final String PREFIX = "committed.";
    private static final TopicNames TOPICS = TopicNames.withPrefix(PREFIX);

    private final Serializer<ConversationEvent> events =
            ConvoSerdes.valueSerde(ConversationEvent.class, Map.of()).serializer();
    private KafkaProducer<String, byte[]> engine;
    private CommittedReadModel model;

    @BeforeEach
    void start() {
        KafkaTestClients.createTopics(kafka.bootstrapServers(), 2, TOPICS.conversationEvents(), TOPICS.serviceEvents());
        engine = KafkaTestClients.producer(kafka.bootstrapServers(), new StringSerializer(), new ByteArraySerializer(),
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "stand-in-engine"));
        engine.initTransactions();
        Properties config = new Properties();
        config.setProperty("bootstrap.servers", kafka.bootstrapServers());
        config.setProperty(TopicsConfig.PREFIX.name(), PREFIX);
        model = new CommittedReadModel(config);
        awaitTrue(model::ready);
    }

    @AfterEach
    void stop() {
        model.close();
        engine.close();
    }

    private void created(String conversationSid) {
        ConversationCreated created = ConversationCreated.newBuilder().setCommandId("c-" + conversationSid)
                .setServiceSid("IS1").setTimestamp(System.currentTimeMillis()).setConversationSid(conversationSid)
                .setState(ConversationState.active).build();
        byte[] value = events.serialize(TOPICS.conversationEvents(), new ConversationEvent(created));
        engine.send(new ProducerRecord<>(TOPICS.conversationEvents(), conversationSid, value));
    }

    private Conversation read(String conversationSid) {
        return model.read(state -> (Conversation) state.entries(VerifiedStore.CONVERSATIONS).get(conversationSid));
    }

    @Test
    void anOpenOrAbortedTransactionIsNeverSeenAndACommittedOneIs() throws Exception {
        engine.beginTransaction();
        created("CH-aborted");
        engine.flush();
        Thread.sleep(500);
        assertThat(read("CH-aborted")).as("written, not committed").isNull();
        engine.abortTransaction();

        engine.beginTransaction();
        created("CH-committed");
        engine.commitTransaction();
        awaitTrue(() -> read("CH-committed") != null);
        assertThat(read("CH-committed").getState()).isEqualTo(ConversationState.active);
        assertThat(read("CH-aborted")).as("aborted").isNull();
    }

    @Test
    void aRecordThatIsNoEventIsSkippedAndTheModelGoesOn() {
        engine.beginTransaction();
        engine.send(new ProducerRecord<>(TOPICS.conversationEvents(), "CH-x",
                "not an event".getBytes(StandardCharsets.UTF_8)));
        created("CH-after");
        engine.commitTransaction();
        awaitTrue(() -> read("CH-after") != null);
        assertThat(read("CH-x")).isNull();
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
