package io.convo.topology;

import io.convo.model.CommandRejected;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.ServiceCommand;
import io.convo.model.ServiceEvent;
import io.convo.model.TopicNames;
import io.convo.model.serde.ConvoSerdes;
import io.convo.rules.Command;
import io.convo.topology.ConvoConfig.TopologySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The topology in a {@link TopologyTestDriver} with in-memory stores, fed commands as Avro records. The check
 * loop completes inside each {@link #send}, so every command's outcome is known when it returns.
 */
final class ConvoDriver implements AutoCloseable {

    final TopicNames topics = TopicNames.withPrefix("");
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, ConversationCommand> conversationCommands;
    private final TestInputTopic<String, ServiceCommand> serviceCommands;
    private final TestOutputTopic<String, ConversationEvent> conversationEvents;
    private final TestOutputTopic<String, ServiceEvent> serviceEvents;
    private final TestOutputTopic<String, CommandRejected> rejections;
    private final List<TestOutputTopic<String, byte[]>> loop = new ArrayList<>();
    private final Map<String, TestOutputTopic<String, Delivery>> deliveries = new java.util.LinkedHashMap<>();
    private final TestOutputTopic<String, DeliveryReceipt> receipts;
    private final TestInputTopic<String, DeliveryReceipt> receiptsIn;

    ConvoDriver() {
        this(new Properties());
    }

    /** @param overrides convo configuration, e.g. smaller limits */
    ConvoDriver(Properties overrides) {
        this(overrides, java.time.Instant.ofEpochMilli(CommandFactory.START));
    }

    /**
     * @param wallClock where the driver's wall clock starts; the clock-skew check is off unless the overrides
     *                  turn it on, so that tests do not depend on the day they run
     */
    ConvoDriver(Properties overrides, java.time.Instant wallClock) {
        Properties config = new Properties();
        config.put(ConvoConfig.STORE_TYPE.name(), "in-memory");
        config.put(ConvoConfig.MAX_CLOCK_SKEW.name(), "0");
        config.putAll(overrides);
        TopologySettings settings = ConvoConfig.topologySettings(config);
        Properties streams = new Properties();
        streams.put(StreamsConfig.APPLICATION_ID_CONFIG, "convo-test");
        streams.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(ConvoTopology.buildTopology(settings), streams, wallClock);
        Map<String, Object> serdes = settings.serdeConfig();
        StringSerializer keys = new StringSerializer();
        StringDeserializer keysIn = new StringDeserializer();
        conversationCommands = driver.createInputTopic(topics.conversationCommands(), keys,
                ConvoSerdes.valueSerde(ConversationCommand.class, serdes).serializer());
        serviceCommands = driver.createInputTopic(topics.serviceCommands(), keys,
                ConvoSerdes.valueSerde(ServiceCommand.class, serdes).serializer());
        conversationEvents = driver.createOutputTopic(topics.conversationEvents(), keysIn,
                ConvoSerdes.valueSerde(ConversationEvent.class, serdes).deserializer());
        serviceEvents = driver.createOutputTopic(topics.serviceEvents(), keysIn,
                ConvoSerdes.valueSerde(ServiceEvent.class, serdes).deserializer());
        rejections = driver.createOutputTopic(topics.commandRejections(), keysIn,
                ConvoSerdes.valueSerde(CommandRejected.class, serdes).deserializer());
        var deliverySerde = ConvoSerdes.valueSerde(Delivery.class, serdes).deserializer();
        for (String topic : List.of(topics.deliveryChat(), topics.deliverySms(), topics.deliveryMms(), topics.deliveryWhatsapp())) {
            deliveries.put(topic, driver.createOutputTopic(topic, keysIn, deliverySerde));
        }
        var receiptSerde = ConvoSerdes.valueSerde(DeliveryReceipt.class, serdes);
        receipts = driver.createOutputTopic(topics.deliveryReceipts(), keysIn, receiptSerde.deserializer());
        receiptsIn = driver.createInputTopic(topics.deliveryReceipts(), keys, receiptSerde.serializer());
        for (String topic : topics.checkLoop()) {
            loop.add(driver.createOutputTopic(topic, keysIn, Serdes.ByteArray().deserializer()));
        }
    }

    /** Sends one command (a conversation or service command record) and returns its outcomes, in order. */
    List<SpecificRecord> send(SpecificRecord command) {
        pipe(command);
        return outcomes();
    }

    /** Sends one command and reads nothing: what it produced stays for {@link #drain}. */
    void pipe(SpecificRecord command) {
        Command header = Command.of(command);
        long timestamp = header.timestamp();
        String conversationSid = header.conversationSid();
        if (conversationSid != null) {
            conversationCommands.pipeInput(conversationSid, new ConversationCommand(command), timestamp);
        } else {
            serviceCommands.pipeInput(header.serviceSid(), new ServiceCommand(command), timestamp);
        }
    }

    /** Every record produced and not read yet, as bytes, by topic: output, loop and changelog topics alike. */
    Map<String, List<TestRecord<byte[], byte[]>>> drain() {
        Map<String, List<TestRecord<byte[], byte[]>>> out = new java.util.TreeMap<>();
        for (String topic : driver.producedTopicNames()) {
            out.put(topic, driver.createOutputTopic(topic, Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer()).readRecordsToList());
        }
        return out;
    }

    /** The one outcome of one command: its event or its rejection. */
    SpecificRecord outcome(SpecificRecord command) {
        List<SpecificRecord> out = send(command);
        if (out.size() != 1) {
            throw new AssertionError("expected one outcome of " + Command.of(command).type() + ", got " + out);
        }
        return out.get(0);
    }

    /** Everything produced since the last call: events unwrapped from their envelopes, then rejections. */
    List<SpecificRecord> outcomes() {
        List<SpecificRecord> out = new ArrayList<>();
        for (TestRecord<String, ConversationEvent> r : conversationEvents.readRecordsToList()) {
            out.add((SpecificRecord) r.value().getEvent());
        }
        for (TestRecord<String, ServiceEvent> r : serviceEvents.readRecordsToList()) {
            out.add((SpecificRecord) r.value().getEvent());
        }
        out.addAll(rejections.readValuesToList());
        loop.forEach(TestOutputTopic::readRecordsToList);
        return out;
    }

    /** Deliveries produced since the last call, by topic. */
    Map<String, List<Delivery>> deliveries() {
        Map<String, List<Delivery>> out = new java.util.LinkedHashMap<>();
        deliveries.forEach((topic, t) -> out.put(topic, t.readValuesToList()));
        return out;
    }

    /** Receipts on delivery-receipts since the last call (the topology writes failed deliveries there). */
    List<DeliveryReceipt> receipts() {
        return receipts.readValuesToList();
    }

    /** A receipt as a connector reports it. */
    void receipt(DeliveryReceipt receipt) {
        receiptsIn.pipeInput(receipt.getConversationSid(), receipt, receipt.getTimestamp());
    }

    /** Pipes raw bytes to a topic, as a producer with another serde (or none) would. */
    void sendRaw(String topic, String key, byte[] value, long timestamp) {
        driver.createInputTopic(topic, new StringSerializer(), Serdes.ByteArray().serializer())
                .pipeInput(key, value, timestamp);
    }

    <T> org.apache.kafka.streams.state.KeyValueStore<String, T> store(String name) {
        return driver.getKeyValueStore(name);
    }

    List<TestRecord<String, byte[]>> dlq() {
        return driver.createOutputTopic(topics.commandsDlq(), new StringDeserializer(), Serdes.ByteArray().deserializer())
                .readRecordsToList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
