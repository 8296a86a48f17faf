package io.convo.operate;

import io.convo.model.CommandRejected;
import io.convo.model.DeadLetterHeaders;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.ServiceCommand;
import io.convo.model.ServiceEvent;
import io.convo.model.TopicNames;
import io.convo.model.json.CommandLine;
import io.convo.model.json.JsonLines;
import io.convo.model.serde.ConvoSerdes;
import io.convo.topology.ConvoConfig;
import io.convo.topology.ConvoConfig.TopologySettings;
import io.convo.topology.ConvoTopology;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * {@code convo simulate}: runs command JSON lines through the very topology {@code convo run} runs, in a
 * {@link TopologyTestDriver} with in-memory stores and no broker, and writes every outcome as an output JSON line.
 * The driver completes the check loop inside each command's {@code pipeInput}, so a command's outcomes are all
 * written before the next command is read; the loop's own topics are drained and not printed. One simulator
 * keeps its state across {@link #run} calls until it is closed; it is not thread-safe.
 */
public final class Simulator implements AutoCloseable {

    private final TopicNames topics;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, ConversationCommand> conversationCommands;
    private final TestInputTopic<String, ServiceCommand> serviceCommands;
    private final List<Outcomes<?>> outcomes = new ArrayList<>();
    private final List<TestOutputTopic<String, byte[]>> drained = new ArrayList<>();
    private final TestOutputTopic<String, byte[]> deadLetters;

    /** What one {@link #run} saw. */
    public record Result(long commands, long malformed, long outputLines) {
    }

    /** A record the topology wrote on an outcome topic. */
    public record Output(String topic, String key, SpecificRecord value) {
    }

    /** An outcome topic read in the driver, with its name for the output line. */
    private record Outcomes<V extends SpecificRecord>(String topic, TestOutputTopic<String, V> records) {
    }

    /**
     * @param userConfig convo's configuration (limits, topic prefix, idempotency retention …); the store type and
     *                   serde are always in-memory and single-object here, and nothing connects to Kafka
     */
    public Simulator(Properties userConfig) {
        Properties config = simulationConfig(userConfig);
        TopologySettings settings = ConvoConfig.topologySettings(config);
        topics = settings.topics();
        Topology topology = ConvoTopology.buildTopology(settings);
        driver = new TopologyTestDriver(topology, config, Instant.EPOCH);
        Map<String, Object> serdeConfig = settings.serdeConfig();
        StringSerializer keys = new StringSerializer();
        conversationCommands = driver.createInputTopic(topics.conversationCommands(), keys,
                ConvoSerdes.valueSerde(ConversationCommand.class, serdeConfig).serializer());
        serviceCommands = driver.createInputTopic(topics.serviceCommands(), keys,
                ConvoSerdes.valueSerde(ServiceCommand.class, serdeConfig).serializer());

        // Only topics the topology writes: the driver warns on every read of a topic it does not know.
        Set<String> written = sinkTopics(topology);
        Map<String, Class<? extends SpecificRecord>> valueTypes = valueTypes(topics);
        StringDeserializer keysIn = new StringDeserializer();
        for (String topic : topics.outcomes()) {
            Class<? extends SpecificRecord> type = valueTypes.get(topic);
            if (written.contains(topic) && type != null) {
                outcomes.add(new Outcomes<>(topic, driver.createOutputTopic(topic, keysIn,
                        ConvoSerdes.valueSerde(type, serdeConfig).deserializer())));
            }
        }
        deadLetters = written.contains(topics.commandsDlq())
                ? driver.createOutputTopic(topics.commandsDlq(), keysIn, new ByteArrayDeserializer())
                : null;
        for (String topic : topics.checkLoop()) {
            if (written.contains(topic)) {
                drained.add(driver.createOutputTopic(topic, keysIn, new ByteArrayDeserializer()));
            }
        }
    }

    /**
     * Reads command lines from {@code input} until its end and writes each command's outcomes to {@code output},
     * one JSON line per record. Blank lines and lines starting with {@code #} are skipped; a malformed line is
     * reported on {@code errors} with its line number and skipped. {@code output} is neither flushed nor closed.
     *
     * @throws IllegalStateException if the topology fails on a command (a bug: well-formed commands are decided,
     *                               never thrown), naming the line
     */
    public Result run(Reader input, Writer output, Writer errors) throws IOException {
        CommandLineReader lines = new CommandLineReader(input, errors);
        long commands = 0;
        long written = 0;
        for (CommandLine command = lines.next(); command != null; command = lines.next()) {
            long lineNumber = lines.lineNumber();
            commands++;
            List<Output> outputs;
            try {
                outputs = pipe(command);
            } catch (RuntimeException e) {
                throw new IllegalStateException("line " + lineNumber + ": the topology failed on a " + command.type()
                        + " command: " + e, e);
            }
            for (Output o : outputs) {
                output.write(JsonLines.outputLine(o.topic(), o.key(), o.value()));
                output.write('\n');
            }
            written += outputs.size();
            reportDeadLetters(errors, lineNumber);
        }
        return new Result(commands, lines.malformed(), written);
    }

    @Override
    public void close() {
        driver.close();
    }

    /**
     * Pipes one command and returns every record it caused on the outcome topics, topic by topic in the order of
     * {@link TopicNames#outcomes()}; the check loop's records are drained.
     */
    public List<Output> pipe(CommandLine command) {
        switch (command.topic()) {
            case CONVERSATION -> conversationCommands.pipeInput(command.key(), (ConversationCommand) command.envelope(),
                    command.timestamp());
            case SERVICE -> serviceCommands.pipeInput(command.key(), (ServiceCommand) command.envelope(),
                    command.timestamp());
        }
        List<Output> outputs = new ArrayList<>();
        for (Outcomes<?> topic : outcomes) {
            while (!topic.records().isEmpty()) {
                TestRecord<String, ? extends SpecificRecord> record = topic.records().readRecord();
                outputs.add(new Output(topic.topic(), record.key(), record.value()));
            }
        }
        for (TestOutputTopic<String, byte[]> topic : drained) {
            if (!topic.isEmpty()) {
                topic.readRecordsToList();
            }
        }
        return outputs;
    }

    /** What the stores that replay verifies hold now. */
    public StoreSnapshot stores() {
        StoreSnapshot snapshot = new StoreSnapshot();
        for (VerifiedStore store : VerifiedStore.values()) {
            KeyValueStore<String, SpecificRecord> kv = driver.getKeyValueStore(store.storeName());
            try (KeyValueIterator<String, SpecificRecord> all = kv.all()) {
                all.forEachRemaining(entry -> snapshot.put(store, entry.key, entry.value));
            }
        }
        return snapshot;
    }

    private void reportDeadLetters(Writer errors, long lineNumber) throws IOException {
        if (deadLetters != null) {
            // simulate serializes what it parsed, so a dead letter means the serdes disagree: say so, don't print bytes.
            for (TestRecord<String, byte[]> letter : deadLetters.readRecordsToList()) {
                Header reason = letter.headers().lastHeader(DeadLetterHeaders.REASON);
                errors.write("line " + lineNumber + ": the topology dead-lettered the command: "
                        + (reason == null ? "no reason given" : new String(reason.value(), StandardCharsets.UTF_8)) + '\n');
                errors.flush();
            }
        }
    }

    /** The value type of each outcome topic; the dead-letter queue carries raw bytes and has none. */
    public static Map<String, Class<? extends SpecificRecord>> valueTypes(TopicNames topics) {
        Map<String, Class<? extends SpecificRecord>> types = new HashMap<>();
        types.put(topics.conversationEvents(), ConversationEvent.class);
        types.put(topics.serviceEvents(), ServiceEvent.class);
        types.put(topics.commandRejections(), CommandRejected.class);
        types.put(topics.deliveryChat(), Delivery.class);
        types.put(topics.deliverySms(), Delivery.class);
        types.put(topics.deliveryMms(), Delivery.class);
        types.put(topics.deliveryWhatsapp(), Delivery.class);
        types.put(topics.deliveryReceipts(), DeliveryReceipt.class);
        return types;
    }

    private static Set<String> sinkTopics(Topology topology) {
        Set<String> sinks = new HashSet<>();
        for (TopologyDescription.Subtopology sub : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                    sinks.add(sink.topic());
                }
            }
        }
        return sinks;
    }

    /** The user's convo settings with what simulate fixes: memory stores, the embedded serde, no broker. */
    static Properties simulationConfig(Properties userConfig) {
        Properties config = new Properties();
        config.putAll(userConfig);
        config.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, "convo-simulate");
        config.setProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "simulate.invalid:9092"); // never contacted
        // TopologyTestDriver commits after every record: RocksDB would flush and fsync 100,000 times.
        config.setProperty(ConvoConfig.STORE_TYPE.name(), "in-memory-unlogged");
        // Records never leave this process, so no registry is needed whatever the deployment uses.
        config.setProperty(ConvoSerdes.SERDE_CONFIG, ConvoSerdes.SINGLE_OBJECT);
        // A scenario's verdicts must not depend on the day it is simulated: no check against the wall clock.
        config.setProperty(ConvoConfig.MAX_CLOCK_SKEW.name(), "0");
        return config;
    }
}
