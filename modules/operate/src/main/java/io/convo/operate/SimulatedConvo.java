package io.convo.operate;

import io.convo.model.CommandRejected;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.ServiceCommand;
import io.convo.model.ServiceEvent;
import io.convo.model.json.CommandLine;
import io.convo.model.serde.ConvoSerdes;
import io.convo.topology.ConvoConfig;
import io.convo.topology.ConvoConfig.TopologySettings;
import io.convo.topology.ConvoTopology;
import io.convo.topology.TopicNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * convo's topology in a {@link TopologyTestDriver} with in-memory stores, as {@code convo simulate} runs it: each
 * command is piped in and every record it caused is drained from the outcome topics; the driver completes the check
 * loop within the pipe, so a command's outcomes are all there when {@link #pipe} returns. Not thread-safe.
 */
final class SimulatedConvo implements AutoCloseable {

    /** A record the topology wrote. */
    record Output(String topic, String key, SpecificRecord value) {
    }

    private final TopologyTestDriver driver;
    private final TestInputTopic<String, ConversationCommand> conversationCommands;
    private final TestInputTopic<String, ServiceCommand> serviceCommands;
    private final Map<String, TestOutputTopic<String, ? extends SpecificRecord>> outcomes = new LinkedHashMap<>();
    private final List<TestOutputTopic<String, byte[]>> drained = new ArrayList<>();

    /** @param userConfig limits, prefix, store type and the like; the serde and clock check are fixed as simulate fixes them */
    SimulatedConvo(Properties userConfig) {
        Properties config = new Properties();
        config.putAll(userConfig);
        config.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, "convo-simulate");
        config.setProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "simulate.invalid:9092");
        // In memory unless the caller chose: the driver commits after every record, which RocksDB makes slow.
        config.putIfAbsent(ConvoConfig.STORE_TYPE, "in-memory");
        config.setProperty(ConvoSerdes.SERDE_CONFIG, ConvoSerdes.SINGLE_OBJECT);
        // The driver's wall clock is not the commands' clock: verdicts must not depend on when this runs.
        config.setProperty(ConvoConfig.MAX_CLOCK_SKEW_MS, "0");
        TopologySettings settings = ConvoConfig.topologySettings(config);
        TopicNames topics = settings.topics();
        driver = new TopologyTestDriver(ConvoTopology.buildTopology(settings), config, Instant.EPOCH);
        Map<String, Object> serdes = settings.serdeConfig();
        StringSerializer keys = new StringSerializer();
        conversationCommands = driver.createInputTopic(topics.conversationCommands(), keys,
                ConvoSerdes.valueSerde(ConversationCommand.class, serdes).serializer());
        serviceCommands = driver.createInputTopic(topics.serviceCommands(), keys,
                ConvoSerdes.valueSerde(ServiceCommand.class, serdes).serializer());
        StringDeserializer keysIn = new StringDeserializer();
        outcomes.put(topics.conversationEvents(), driver.createOutputTopic(topics.conversationEvents(), keysIn,
                ConvoSerdes.valueSerde(ConversationEvent.class, serdes).deserializer()));
        outcomes.put(topics.serviceEvents(), driver.createOutputTopic(topics.serviceEvents(), keysIn,
                ConvoSerdes.valueSerde(ServiceEvent.class, serdes).deserializer()));
        outcomes.put(topics.commandRejections(), driver.createOutputTopic(topics.commandRejections(), keysIn,
                ConvoSerdes.valueSerde(CommandRejected.class, serdes).deserializer()));
        for (String topic : List.of(topics.deliveryChat(), topics.deliverySms(), topics.deliveryMms(),
                topics.deliveryWhatsapp())) {
            outcomes.put(topic, driver.createOutputTopic(topic, keysIn,
                    ConvoSerdes.valueSerde(Delivery.class, serdes).deserializer()));
        }
        outcomes.put(topics.deliveryReceipts(), driver.createOutputTopic(topics.deliveryReceipts(), keysIn,
                ConvoSerdes.valueSerde(DeliveryReceipt.class, serdes).deserializer()));
        for (String topic : List.of(topics.commandsDlq(), topics.identityChecks(), topics.serviceChecks(),
                topics.checkReplies())) {
            drained.add(driver.createOutputTopic(topic, keysIn, new ByteArrayDeserializer()));
        }
    }

    /** Pipes one command and returns what it caused on the outcome topics, topic by topic. */
    List<Output> pipe(CommandLine command) {
        switch (command.topic()) {
            case CONVERSATION -> conversationCommands.pipeInput(command.key(), (ConversationCommand) command.envelope(),
                    command.timestamp());
            case SERVICE -> serviceCommands.pipeInput(command.key(), (ServiceCommand) command.envelope(),
                    command.timestamp());
        }
        List<Output> outputs = new ArrayList<>();
        for (Map.Entry<String, TestOutputTopic<String, ? extends SpecificRecord>> topic : outcomes.entrySet()) {
            while (!topic.getValue().isEmpty()) {
                TestRecord<String, ? extends SpecificRecord> r = topic.getValue().readRecord();
                outputs.add(new Output(topic.getKey(), r.key(), r.value()));
            }
        }
        for (TestOutputTopic<String, byte[]> topic : drained) {
            if (!topic.isEmpty()) {
                topic.readRecordsToList();
            }
        }
        return outputs;
    }

    /** What the topology's verified stores hold now. */
    StoreSnapshot stores() {
        StoreSnapshot snapshot = new StoreSnapshot();
        for (VerifiedStore store : VerifiedStore.values()) {
            KeyValueStore<String, SpecificRecord> kv = driver.getKeyValueStore(store.storeName());
            try (KeyValueIterator<String, SpecificRecord> all = kv.all()) {
                all.forEachRemaining(entry -> snapshot.put(store, entry.key, entry.value));
            }
        }
        return snapshot;
    }

    @Override
    public void close() {
        driver.close();
    }
}
