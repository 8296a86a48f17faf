package io.convo.gateway;

import io.convo.model.CommandRejected;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.TopicNames;
import io.convo.model.json.CommandLine;
import io.convo.model.json.JsonLines;
import io.convo.model.serde.ConvoSerdes;
import io.convo.testkit.KafkaTestClients;
import io.convo.topology.ConvoConfig;
import io.convo.topology.ConvoTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The rest of convo for end-to-end tests: every topic, the real topology on the embedded broker, and a "backend"
 * that produces commands as a service's server would (creating conversations, adding participants) and waits for
 * their outcomes.
 */
final class ConvoStack implements AutoCloseable {

    static final String SECRET = "a-test-secret-of-at-least-thirty-two-bytes!";
    static final String SERVICE = "IS-test";
    static final int PARTITIONS = 2;

    private final String bootstrapServers;
    private final KafkaStreams streams;
    private final Path stateDir;
    private final KafkaProducer<String, ConversationCommand> producer;
    private final KafkaConsumer<String, byte[]> outcomes;
    private int commands;

    private final String applicationId;

    private ConvoStack(String bootstrapServers) throws IOException {
        this.bootstrapServers = bootstrapServers;
        createTopics(bootstrapServers);
        Properties config = ConvoConfig.streamsDefaults();
        applicationId = "convo-gateway-it-" + System.nanoTime();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        stateDir = Files.createTempDirectory("convo-gateway-it");
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        streams = new KafkaStreams(ConvoTopology.buildTopology(ConvoConfig.topologySettings(config)), config);
        streams.start();
        producer = KafkaTestClients.producer(bootstrapServers, new StringSerializer(),
                ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).serializer(), Map.of());
        outcomes = KafkaTestClients.consumer(bootstrapServers, new StringDeserializer(), new ByteArrayDeserializer(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        TopicNames topics = TopicNames.withPrefix("");
        outcomes.subscribe(List.of(topics.conversationEvents(), topics.commandRejections()));
    }

    static ConvoStack start(String bootstrapServers) {
        try {
            return new ConvoStack(bootstrapServers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every convo topic, as the application creates them. */
    static void createTopics(String bootstrapServers) {
        try (Admin admin = KafkaTestClients.admin(bootstrapServers)) {
            for (String name : TopicNames.withPrefix("").all()) {
                try {
                    admin.createTopics(List.of(new NewTopic(name, PARTITIONS, (short) 1).configs(ConvoConfig.topicConfig())))
                            .all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Gateway settings against this stack: as {@link #gatewayConfig(String, Map)}, with the topology's application id,
     * so that the gateway starts from its changelogs.
     */
    Map<String, Object> gatewayConfig(Map<String, ?> overrides) {
        Map<String, Object> config = gatewayConfig(bootstrapServers, Map.of(GatewayConfig.APPLICATION_ID, applicationId));
        config.putAll(overrides);
        return config;
    }

    /** Gateway settings for tests: any port, this broker, the test secret, and {@code overrides}. */
    static Map<String, Object> gatewayConfig(String bootstrapServers, Map<String, ?> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put(GatewayConfig.PORT, "0");
        config.put(GatewayConfig.TOKEN_SECRET, SECRET);
        config.put(GatewayConfig.SHUTDOWN_GRACE_MS, "5000");
        config.putAll(overrides);
        return config;
    }

    static String token(String identity, String subaccount) {
        return new TokenIssuer(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .issue(identity, SERVICE, subaccount, Instant.now().plus(Duration.ofHours(1)));
    }

    /** Runs backend commands (JSON lines without commandId, serviceSid or timestamp) and waits for their outcomes. */
    List<SpecificRecord> run(String... lines) {
        Set<String> ids = new HashSet<>();
        for (String line : lines) {
            String id = "backend-" + (++commands);
            ids.add(id);
            String full = line.substring(0, line.lastIndexOf('}')) + ",\"commandId\":\"" + id + "\",\"serviceSid\":\""
                    + SERVICE + "\",\"timestamp\":" + System.currentTimeMillis() + "}";
            CommandLine command = JsonLines.parseCommand(full, commands);
            producer.send(new ProducerRecord<>(TopicNames.CONVERSATION_COMMANDS, null, command.timestamp(),
                    command.key(), (ConversationCommand) command.envelope()));
        }
        producer.flush();
        var events = ConvoSerdes.valueSerde(ConversationEvent.class, Map.of()).deserializer();
        var rejections = ConvoSerdes.valueSerde(CommandRejected.class, Map.of()).deserializer();
        List<SpecificRecord> out = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ids.isEmpty() && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : outcomes.poll(Duration.ofMillis(100))) {
                SpecificRecord value = r.topic().equals(TopicNames.CONVERSATION_EVENTS)
                        ? (SpecificRecord) events.deserialize(r.topic(), r.value()).getEvent()
                        : rejections.deserialize(r.topic(), r.value());
                Object id = value.getSchema().getField("commandId") == null ? null
                        : value.get(value.getSchema().getField("commandId").pos());
                if (id != null && ids.remove(id.toString())) {
                    out.add(value);
                }
            }
        }
        if (!ids.isEmpty()) {
            throw new AssertionError("no outcome for " + ids + " within 60 s");
        }
        return out;
    }

    /** A conversation with these chat participants (participantSid MB-<identity>). */
    void conversation(String conversationSid, String... identities) {
        String[] lines = new String[identities.length + 1];
        lines[0] = "{\"type\":\"CreateConversation\",\"conversationSid\":\"" + conversationSid + "\"}";
        for (int i = 0; i < identities.length; i++) {
            lines[i + 1] = "{\"type\":\"AddParticipant\",\"conversationSid\":\"" + conversationSid
                    + "\",\"participantSid\":\"MB-" + identities[i] + "\",\"identity\":\"" + identities[i] + "\"}";
        }
        List<SpecificRecord> out = run(lines);
        for (SpecificRecord r : out) {
            if (r instanceof CommandRejected rejected) {
                throw new AssertionError("backend command rejected: " + rejected);
            }
        }
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        outcomes.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        streams.close(Duration.ofSeconds(20));
        streams.cleanUp();
    }
}
