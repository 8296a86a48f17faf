package io.convo.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.AddParticipant;
import io.convo.model.CommandRejected;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.ParticipantAdded;
import io.convo.model.ParticipantUpdated;
import io.convo.model.TopicNames;
import io.convo.model.serde.ConvoSerdes;
import io.convo.rules.Command;
import io.convo.testkit.KafkaBrokerExtension;
import io.convo.testkit.KafkaTestClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SPEC §4 on a real broker with exactly_once_v2 and RocksDB: conversations racing for an identity's last slot
 * (exactly one wins) while each conversation's next command waits for its own answer.
 */
class CrossKeyOrderingIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private final CommandFactory given = new CommandFactory();
    private final TopicNames topics = TopicNames.withPrefix("");
    private KafkaStreams streams;
    private KafkaProducer<String, ConversationCommand> producer;
    private KafkaConsumer<String, byte[]> outcomes;
    private Path stateDir;

    @BeforeEach
    void start() throws Exception {
        try (Admin admin = KafkaTestClients.admin(kafka.bootstrapServers())) {
            admin.createTopics(topics.all().stream()
                    .map(name -> new NewTopic(name, 4, (short) 1).configs(ConvoConfig.topicConfig())).toList()).all().get();
        }
        Properties config = ConvoConfig.streamsDefaults();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "convo-cross-key-" + System.nanoTime());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        stateDir = Files.createTempDirectory("convo-state");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        config.put("convo.limits.conversations-per-identity", "3");
        config.put(ConvoConfig.MAX_CLOCK_SKEW.name(), "0");
        streams = new KafkaStreams(ConvoTopology.buildTopology(ConvoConfig.topologySettings(config)), config);
        streams.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (streams.state() != KafkaStreams.State.RUNNING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
        producer = KafkaTestClients.producer(kafka.bootstrapServers(), new StringSerializer(),
                ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).serializer(), Map.of());
        outcomes = KafkaTestClients.consumer(kafka.bootstrapServers(), new StringDeserializer(),
                new ByteArrayDeserializer(), Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        outcomes.subscribe(List.of(topics.conversationEvents(), topics.commandRejections()));
    }

    @AfterEach
    void stop() {
        producer.close();
        outcomes.close();
        streams.close(Duration.ofSeconds(10));
        streams.cleanUp();
    }

    private void send(SpecificRecord command) {
        Command header = Command.of(command);
        producer.send(new ProducerRecord<>(topics.conversationCommands(), null, header.timestamp(),
                header.conversationSid(), new ConversationCommand(command)));
    }

    /** The outcomes of {@code count} commands, keyed by conversation, each conversation's in log order. */
    private Map<String, List<SpecificRecord>> outcomes(int count) {
        producer.flush();
        var eventSerde = ConvoSerdes.valueSerde(ConversationEvent.class, Map.of()).deserializer();
        var rejectionSerde = ConvoSerdes.valueSerde(CommandRejected.class, Map.of()).deserializer();
        List<ConsumerRecord<String, byte[]>> records = KafkaTestClients.consumeUntil(outcomes, List.of(), count,
                Duration.ofSeconds(60));
        assertThat(records).hasSize(count);
        Map<String, List<SpecificRecord>> byConversation = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            SpecificRecord value = r.topic().equals(topics.conversationEvents())
                    ? (SpecificRecord) eventSerde.deserialize(r.topic(), r.value()).getEvent()
                    : rejectionSerde.deserialize(r.topic(), r.value());
            byConversation.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(value);
        }
        return byConversation;
    }

    @Test
    void ofTwentyConversationsRacingForAnIdentitysLastSlotExactlyOneWinsAndEachWaitsForItsAnswer() {
        for (String ch : List.of("CH-a", "CH-b")) {
            send(given.create(ch));
            send(given.chat(ch, "MB-" + ch, "alice"));
        }
        for (int i = 0; i < 20; i++) {
            send(given.create("CH-race-" + i));
        }
        outcomes(24);

        for (int i = 0; i < 20; i++) {
            AddParticipant join = given.chat("CH-race-" + i, "MB-race-" + i, "alice");
            send(join);
            // produced at once, so it arrives while the join still waits on alice's count
            send(given.participantAttributes("CH-race-" + i, "MB-race-" + i, "{\"after\":\"join\"}"));
        }
        Map<String, List<SpecificRecord>> raced = outcomes(40);

        int winners = 0;
        for (int i = 0; i < 20; i++) {
            List<SpecificRecord> out = raced.get("CH-race-" + i);
            assertThat(out).as("outcomes of CH-race-%d", i).hasSize(2);
            if (out.get(0) instanceof ParticipantAdded) {
                winners++;
                assertThat(out.get(1)).isInstanceOf(ParticipantUpdated.class);
            } else {
                assertThat(((CommandRejected) out.get(0)).getCode()).isEqualTo("IDENTITY_CONVERSATION_LIMIT");
                assertThat(((CommandRejected) out.get(1)).getCode()).isEqualTo("PARTICIPANT_NOT_FOUND");
            }
        }
        assertThat(winners).isEqualTo(1);
    }
}
