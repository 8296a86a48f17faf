package io.convo.app;

import io.convo.model.config.TopicsConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.ConversationCommand;
import io.convo.model.ServiceCommand;
import io.convo.model.TopicNames;
import io.convo.model.json.CommandLine;
import io.convo.model.json.JsonLines;
import io.convo.model.serde.ConvoSerdes;
import io.convo.operate.Simulator;
import io.convo.testkit.KafkaBrokerExtension;
import io.convo.testkit.KafkaTestClients;
import io.convo.topology.ConvoConfig;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * convo run's application on a real broker gives every key the same outcomes, in the same order, as
 * {@code simulate} gives for the same commands. Keys are compared one by one: Kafka orders records within a
 * partition only, so the interleaving of keys differs from the simulation's single sequence.
 */
class ConvoApplicationIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final int COMMANDS = 3_000;
    private static final Duration RUNNING_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(180);

    @TempDir
    Path stateDir;

    @Test
    void givesEveryKeyTheSameOutcomesAsSimulate() throws Exception {
        Properties config = new Properties();
        config.setProperty("bootstrap.servers", KAFKA.bootstrapServers());
        config.setProperty("application.id", "convo-it");
        config.setProperty("state.dir", stateDir.toString());
        config.setProperty(TopicsConfig.PARTITIONS.name(), "4");
        config.setProperty("convo.limits.participants-per-conversation", "5");
        config.setProperty("convo.limits.actions-per-second", "30");
        TopicNames topics = ConvoConfig.topologySettings(config).topics();
        // Close to the wall clock, as real commands are (timestamps far from it are rejected).
        long start = System.currentTimeMillis() / 1000 * 1000;
        List<String> commands = CommandGenerator.generate(COMMANDS, 42, start);

        Map<String, List<String>> expected = simulate(config, commands);
        int expectedCount = expected.values().stream().mapToInt(List::size).sum();
        List<String> decisions = List.of(topics.conversationEvents(), topics.serviceEvents(), topics.commandRejections());
        assertThat(expected.entrySet().stream()
                .filter(e -> decisions.contains(e.getKey().substring(0, e.getKey().indexOf(' '))))
                .mapToInt(e -> e.getValue().size()).sum())
                .as("one decision per command").isEqualTo(commands.size());
        String rejections = expected.entrySet().stream()
                .filter(e -> e.getKey().startsWith(topics.commandRejections() + " "))
                .flatMap(e -> e.getValue().stream()).reduce("", String::concat);
        assertThat(rejections).as("the input reaches the limits and repeats commands")
                .contains("\"PARTICIPANT_LIMIT\"", "\"RATE_LIMITED\"", "\"DUPLICATE_COMMAND\"");

        Map<String, List<String>> actual;
        try (ConvoApplication application = new ConvoApplication(config)) {
            application.start();
            assertThat(application.awaitRunning(RUNNING_TIMEOUT)).as("convo running").isTrue();
            produce(config, commands);
            actual = consume(config, topics, expectedCount);
        }

        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((topicAndKey, outcomes) ->
                assertThat(actual.get(topicAndKey)).as(topicAndKey).containsExactlyElementsOf(outcomes));
    }

    /** simulate's output lines, grouped by topic and key, in order. */
    private static Map<String, List<String>> simulate(Properties config, List<String> commands) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (Simulator simulator = new Simulator(config)) {
            simulator.run(new StringReader(String.join("\n", commands)), out, err);
        }
        assertThat(err.toString()).as("simulate's errors").isEmpty();
        Map<String, List<String>> byKey = new TreeMap<>();
        long number = 0;
        for (String line : out.toString().split("\n")) {
            var parsed = JsonLines.parseOutput(line, ++number);
            byKey.computeIfAbsent(parsed.topic() + " " + parsed.key(), k -> new ArrayList<>()).add(line);
        }
        return byKey;
    }

    /** Produces each command to its topic with its key and timestamp, in file order, as a client would. */
    private static void produce(Properties config, List<String> commands) {
        Map<String, Object> serdeConfig = ConvoConfig.topologySettings(config).serdeConfig();
        TopicNames topics = ConvoConfig.topologySettings(config).topics();
        try (KafkaProducer<String, ConversationCommand> conversations = KafkaTestClients.producer(
                     KAFKA.bootstrapServers(), new StringSerializer(),
                     ConvoSerdes.valueSerde(ConversationCommand.class, serdeConfig).serializer(), Map.of());
             KafkaProducer<String, ServiceCommand> services = KafkaTestClients.producer(
                     KAFKA.bootstrapServers(), new StringSerializer(),
                     ConvoSerdes.valueSerde(ServiceCommand.class, serdeConfig).serializer(), Map.of())) {
            long number = 0;
            for (String line : commands) {
                CommandLine command = JsonLines.parseCommand(line, ++number);
                switch (command.topic()) {
                    case CONVERSATION -> conversations.send(new ProducerRecord<>(topics.conversationCommands(), null,
                            command.timestamp(), command.key(), (ConversationCommand) command.envelope()));
                    case SERVICE -> services.send(new ProducerRecord<>(topics.serviceCommands(), null,
                            command.timestamp(), command.key(), (ServiceCommand) command.envelope()));
                }
            }
            conversations.flush();
            services.flush();
        }
    }

    /** Reads committed outcomes until {@code count} arrived, as output lines grouped by topic and key. */
    private static Map<String, List<String>> consume(Properties config, TopicNames topics, int count) {
        Map<String, Object> serdeConfig = ConvoConfig.topologySettings(config).serdeConfig();
        Map<String, Deserializer<? extends SpecificRecord>> deserializers = new TreeMap<>();
        Simulator.valueTypes(topics).forEach((topic, type) ->
                deserializers.put(topic, ConvoSerdes.valueSerde(type, serdeConfig).deserializer()));
        List<ConsumerRecord<String, byte[]>> records;
        try (KafkaConsumer<String, byte[]> consumer = KafkaTestClients.consumer(KAFKA.bootstrapServers(),
                new StringDeserializer(), new ByteArrayDeserializer(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            records = KafkaTestClients.consumeUntil(consumer, topics.outcomes(), count, OUTCOME_TIMEOUT);
        }
        assertThat(records).as("outcomes within %s", OUTCOME_TIMEOUT).hasSizeGreaterThanOrEqualTo(count);
        Map<String, List<String>> byKey = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            Deserializer<? extends SpecificRecord> values = deserializers.get(record.topic());
            String line = values == null
                    ? "dead letter: " + reason(record) // nothing simulate wrote: shows up as a difference
                    : JsonLines.outputLine(record.topic(), record.key(), values.deserialize(record.topic(), record.value()));
            byKey.computeIfAbsent(record.topic() + " " + record.key(), k -> new ArrayList<>()).add(line);
        }
        return byKey;
    }

    private static String reason(ConsumerRecord<String, byte[]> record) {
        Header reason = record.headers().lastHeader("convo.dlq.reason");
        return reason == null ? "(no reason)" : new String(reason.value(), StandardCharsets.UTF_8);
    }
}
