package io.convo.operate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convo.connectors.ConnectorTopics;
import io.convo.internal.CheckReply;
import io.convo.internal.CheckRequest;
import io.convo.model.CommandRejected;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.DeadLetterHeaders;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.ServiceCommand;
import io.convo.model.ServiceEvent;
import io.convo.model.TopicNames;
import io.convo.model.config.TopicsConfig;
import io.convo.model.json.JsonLines;
import io.convo.model.serde.ConvoSerdes;
import io.convo.topology.ConvoConfig;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Turns a record of any convo topic into an output JSON line (SPEC §8): the public topics with the configured value
 * serde, the check loop and the application's changelogs with the internal serde. Dead letters carry bytes that no
 * serde could read, so their line has {@code "value": null} and a {@code "deadLetter"} object with the reason
 * headers and the bytes in base64. The connectors' own topics are convo topics too: {@code delivery-dlq} holds
 * deliveries that will never be sent, shown as their {@code Delivery} (or, when unreadable, their bytes) with the
 * {@code deadLetter} headers; {@code delivery-processed} holds each processed delivery's receipt, keyed by delivery id.
 */
public final class RecordFormatter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Deserializer<? extends SpecificRecord>> values = new HashMap<>();
    private final String deadLetters;
    private final String deliveryDeadLetters;
    private final Deserializer<Delivery> deadDeliveries;
    private final String prefix;

    public RecordFormatter(Properties config) {
        TopicNames topics = OperateConfig.topics(config);
        Map<String, Object> serdeConfig = OperateConfig.serdeConfig(config);
        prefix = TopicsConfig.PREFIX.from(config);
        values.put(topics.conversationCommands(), ConvoSerdes.valueSerde(ConversationCommand.class, serdeConfig).deserializer());
        values.put(topics.serviceCommands(), ConvoSerdes.valueSerde(ServiceCommand.class, serdeConfig).deserializer());
        values.put(topics.conversationEvents(), ConvoSerdes.valueSerde(ConversationEvent.class, serdeConfig).deserializer());
        values.put(topics.serviceEvents(), ConvoSerdes.valueSerde(ServiceEvent.class, serdeConfig).deserializer());
        values.put(topics.commandRejections(), ConvoSerdes.valueSerde(CommandRejected.class, serdeConfig).deserializer());
        Deserializer<Delivery> deliveries = ConvoSerdes.valueSerde(Delivery.class, serdeConfig).deserializer();
        values.put(topics.deliveryChat(), deliveries);
        values.put(topics.deliverySms(), deliveries);
        values.put(topics.deliveryMms(), deliveries);
        values.put(topics.deliveryWhatsapp(), deliveries);
        values.put(topics.deliveryReceipts(), ConvoSerdes.valueSerde(DeliveryReceipt.class, serdeConfig).deserializer());
        values.put(topics.identityChecks(), ConvoSerdes.internalSerde(CheckRequest.class).deserializer());
        values.put(topics.serviceChecks(), ConvoSerdes.internalSerde(CheckRequest.class).deserializer());
        values.put(topics.checkReplies(), ConvoSerdes.internalSerde(CheckReply.class).deserializer());
        String applicationId = OperateConfig.applicationId(config);
        for (VerifiedStore store : VerifiedStore.values()) {
            values.put(store.changelogTopic(applicationId), ConvoSerdes.internalSerde(store.valueType()).deserializer());
        }
        deadLetters = topics.commandsDlq();
        ConnectorTopics connectorTopics = new ConnectorTopics(prefix);
        // The connectors' markers are receipts in the internal encoding (ChannelConnector writes them so).
        values.put(connectorTopics.processed(), ConvoSerdes.internalSerde(DeliveryReceipt.class).deserializer());
        deliveryDeadLetters = connectorTopics.dlq();
        deadDeliveries = deliveries;
    }

    /**
     * The topic's real name: {@code name} itself when it is a convo topic, else {@code name} with the configured
     * prefix when that is one; null when neither is.
     */
    public String resolve(String name) {
        if (known(name)) {
            return name;
        }
        String prefixed = prefix + name;
        return known(prefixed) ? prefixed : null;
    }

    private boolean known(String topic) {
        return values.containsKey(topic) || topic.equals(deadLetters) || topic.equals(deliveryDeadLetters);
    }

    /**
     * The record's output line.
     *
     * @throws RuntimeException (a serialization exception) when the value cannot be decoded
     */
    public String format(ConsumerRecord<String, byte[]> record) {
        if (record.topic().equals(deadLetters)) {
            return deadLetter(record, null);
        }
        if (record.topic().equals(deliveryDeadLetters)) {
            return deadLetter(record, readableDelivery(record));
        }
        Deserializer<? extends SpecificRecord> values = this.values.get(record.topic());
        if (values == null) {
            throw new IllegalArgumentException(record.topic() + " is not a convo topic");
        }
        SpecificRecord value = record.value() == null ? null
                : values.deserialize(record.topic(), record.headers(), record.value());
        return JsonLines.outputLine(record.topic(), record.key(), value);
    }

    /** The dead delivery, or null when its bytes are not a readable Delivery (the connector's UNREADABLE_DELIVERY). */
    private Delivery readableDelivery(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            return deadDeliveries.deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A dead letter's line: its value when it is readable, else null and the bytes. */
    private static String deadLetter(ConsumerRecord<String, byte[]> record, SpecificRecord readable) {
        ObjectNode line = readable == null ? JSON.createObjectNode()
                : (ObjectNode) readTree(JsonLines.outputLine(record.topic(), record.key(), readable));
        if (readable == null) {
            line.put("topic", record.topic());
            line.put("key", record.key());
            line.putNull("value");
        }
        ObjectNode letter = line.putObject("deadLetter");
        for (Header header : record.headers()) {
            if (header.key().startsWith(DeadLetterHeaders.PREFIX) && header.value() != null) {
                letter.put(header.key().substring(DeadLetterHeaders.PREFIX.length()),
                        new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        if (readable == null) {
            letter.put("bytes", record.value() == null ? null : Base64.getEncoder().encodeToString(record.value()));
        }
        return line.toString();
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // JsonLines wrote it: a bug
        }
    }
}
