package io.convo.operate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convo.model.Channel;
import io.convo.model.CommandRejected;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import io.convo.model.json.JsonLines;
import io.convo.model.json.OutputLine;
import io.convo.model.serde.ConvoSerdes;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class RecordFormatterTest {

    private final Properties config = new Properties();

    RecordFormatterTest() {
        config.setProperty("convo.topics.prefix", "p.");
        config.setProperty("application.id", "app");
    }

    @Test
    void topicsAreKnownWithOrWithoutThePrefixAndChangelogsOfTheComparedStoresToo() {
        RecordFormatter formatter = new RecordFormatter(config);
        assertThat(formatter.resolve("conversation-events")).isEqualTo("p.conversation-events");
        assertThat(formatter.resolve("p.commands-dlq")).isEqualTo("p.commands-dlq");
        assertThat(formatter.resolve("app-conversations-changelog")).isEqualTo("app-conversations-changelog");
        assertThat(formatter.resolve("other")).isNull();
    }

    @Test
    void aRejectionIsAnOutputLineThatParsesBack() {
        CommandRejected rejected = CommandRejected.newBuilder().setCommandId("CM1").setCommandType("SendMessage")
                .setKey("CH1").setServiceSid("IS1").setConversationSid("CH1").setCode("CONVERSATION_NOT_FOUND")
                .setReason("conversation CH1 does not exist").setTimestamp(1L).build();
        byte[] bytes = ConvoSerdes.valueSerde(CommandRejected.class, Map.of()).serializer().serialize("t", rejected);
        String line = new RecordFormatter(config).format(record("p.command-rejections", "CH1", bytes, new RecordHeaders()));
        OutputLine parsed = JsonLines.parseOutput(line, 1);
        assertThat(parsed.topic()).isEqualTo("p.command-rejections");
        assertThat(parsed.value()).isEqualTo(rejected);
    }

    @Test
    void aDeadLetterShowsItsReasonAndItsBytes() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("convo.dlq.reason", "not Avro".getBytes(StandardCharsets.UTF_8));
        String line = new RecordFormatter(config).format(record("p.commands-dlq", "CH1", new byte[] {1, 2}, headers));
        assertThat(line).isEqualTo("{\"topic\":\"p.commands-dlq\",\"key\":\"CH1\",\"value\":null,"
                + "\"deadLetter\":{\"reason\":\"not Avro\",\"bytes\":\"AQI=\"}}");
    }

    @Test
    void theConnectorsTopicsAreConvoTopicsToo() {
        RecordFormatter formatter = new RecordFormatter(config);
        assertThat(formatter.resolve("delivery-dlq")).isEqualTo("p.delivery-dlq");
        assertThat(formatter.resolve("p.delivery-processed")).isEqualTo("p.delivery-processed");
    }

    @Test
    void aDeadDeliveryShowsTheDeliveryAndWhyItWillNeverBeSent() throws Exception {
        Delivery delivery = Delivery.newBuilder().setMessageSid("IM1").setConversationSid("CH1").setServiceSid("IS1")
                .setIndex(0).setParticipantSid("MB1").setChannel(Channel.sms).setTo("+15550001111").setAuthor("alice")
                .setBody("hi").setTimestamp(1L).build();
        byte[] bytes = ConvoSerdes.valueSerde(Delivery.class, Map.of()).serializer().serialize("t", delivery);
        RecordHeaders headers = new RecordHeaders();
        headers.add("convo.dlq.code", "HTTP_400".getBytes(StandardCharsets.UTF_8));
        headers.add("convo.dlq.provider-status", "400".getBytes(StandardCharsets.UTF_8));

        String line = new RecordFormatter(config).format(record("p.delivery-dlq", "CH1", bytes, headers));

        ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(line);
        JsonNode letter = tree.remove("deadLetter");
        OutputLine parsed = JsonLines.parseOutput(tree.toString(), 1); // the rest is an ordinary output line
        assertThat(parsed.topic()).isEqualTo("p.delivery-dlq");
        assertThat(parsed.value()).isEqualTo(delivery);
        assertThat(letter.path("code").asText()).isEqualTo("HTTP_400");
        assertThat(letter.path("provider-status").asText()).isEqualTo("400");
        assertThat(letter.has("bytes")).as("readable: no bytes").isFalse();
    }

    @Test
    void anUnreadableDeadDeliveryShowsItsBytes() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("convo.dlq.code", "UNREADABLE_DELIVERY".getBytes(StandardCharsets.UTF_8));

        String line = new RecordFormatter(config).format(record("p.delivery-dlq", "CH1", new byte[] {1, 2}, headers));

        assertThat(line).isEqualTo("{\"topic\":\"p.delivery-dlq\",\"key\":\"CH1\",\"value\":null,"
                + "\"deadLetter\":{\"code\":\"UNREADABLE_DELIVERY\",\"bytes\":\"AQI=\"}}");
    }

    @Test
    void aProcessedDeliveryMarkerIsItsReceiptKeyedByDeliveryId() {
        DeliveryReceipt marker = DeliveryReceipt.newBuilder().setMessageSid("IM1").setConversationSid("CH1")
                .setParticipantSid("MB1").setStatus(DeliveryStatus.sent).setTimestamp(1L).build();
        byte[] bytes = ConvoSerdes.internalSerde(DeliveryReceipt.class).serializer().serialize("t", marker);

        String line = new RecordFormatter(config).format(record("p.delivery-processed", "IM1/MB1/sms", bytes,
                new RecordHeaders()));

        OutputLine parsed = JsonLines.parseOutput(line, 1);
        assertThat(parsed.key()).isEqualTo("IM1/MB1/sms");
        assertThat(parsed.value()).isEqualTo(marker);
    }

    private static ConsumerRecord<String, byte[]> record(String topic, String key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(topic, 0, 0L, 0L, TimestampType.CREATE_TIME, -1, -1, key, value, headers, Optional.empty());
    }
}
