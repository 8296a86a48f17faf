package io.convo.operate;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.CommandRejected;
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

    private static ConsumerRecord<String, byte[]> record(String topic, String key, byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(topic, 0, 0L, 0L, TimestampType.CREATE_TIME, -1, -1, key, value, headers, Optional.empty());
    }
}
