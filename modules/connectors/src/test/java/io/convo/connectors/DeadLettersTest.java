package io.convo.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.Channel;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    @Test
    void keepsTheOriginalRecordAndSaysWhyAndWhereFromInHeaders() {
        byte[] value = {1, 2, 3};
        ConsumerRecord<String, byte[]> source = new ConsumerRecord<>("delivery-sms", 2, 41, "CH1", value);

        ProducerRecord<String, byte[]> dead = DeadLetters.of("delivery-dlq", source, Channel.sms,
                FailureCodes.PROVIDER_TIMEOUT, "gave up after 4 attempts", 4, 1_800_000_000_000L);

        assertThat(dead.topic()).isEqualTo("delivery-dlq");
        assertThat(dead.key()).isEqualTo("CH1");
        assertThat(dead.value()).isSameAs(value);
        assertThat(dead.timestamp()).isEqualTo(1_800_000_000_000L);
        assertThat(header(dead, DeadLetters.HEADER_CODE)).isEqualTo("PROVIDER_TIMEOUT");
        assertThat(header(dead, DeadLetters.HEADER_REASON)).isEqualTo("gave up after 4 attempts");
        assertThat(header(dead, DeadLetters.HEADER_ATTEMPTS)).isEqualTo("4");
        assertThat(header(dead, DeadLetters.HEADER_TOPIC)).isEqualTo("delivery-sms");
        assertThat(header(dead, DeadLetters.HEADER_PARTITION)).isEqualTo("2");
        assertThat(header(dead, DeadLetters.HEADER_OFFSET)).isEqualTo("41");
        assertThat(header(dead, DeadLetters.HEADER_CHANNEL)).isEqualTo("sms");
    }

    @Test
    void aFailedDeliverySaysWhetherItWasRefusedForGoodAndWhatTheProviderAnswered() {
        ConsumerRecord<String, byte[]> source = new ConsumerRecord<>("delivery-sms", 0, 7, "CH1", new byte[] {1});
        SendOutcome.Failed refused = (SendOutcome.Failed) SendOutcome.refused("HTTP_400", "provider answered HTTP 400",
                false, 1, 400, "{\"message\":\"bad number\"}");

        ProducerRecord<String, byte[]> dead = DeadLetters.of("delivery-dlq", source, Channel.sms, refused, 5L);

        assertThat(header(dead, DeadLetters.HEADER_CODE)).isEqualTo("HTTP_400");
        assertThat(header(dead, DeadLetters.HEADER_ATTEMPTS)).isEqualTo("1");
        assertThat(header(dead, DeadLetters.HEADER_RETRIABLE)).isEqualTo("false");
        assertThat(header(dead, DeadLetters.HEADER_PROVIDER_STATUS)).isEqualTo("400");
        assertThat(header(dead, DeadLetters.HEADER_PROVIDER_ANSWER)).isEqualTo("{\"message\":\"bad number\"}");
    }

    @Test
    void aFailureWithoutAnAnswerHasNoProviderHeaders() {
        ConsumerRecord<String, byte[]> source = new ConsumerRecord<>("delivery-sms", 0, 7, "CH1", new byte[] {1});

        ProducerRecord<String, byte[]> dead = DeadLetters.of("delivery-dlq", source, Channel.sms,
                new SendOutcome.Failed(FailureCodes.PROVIDER_TIMEOUT, "gave up", true, 4), 5L);

        assertThat(header(dead, DeadLetters.HEADER_RETRIABLE)).isEqualTo("true");
        assertThat(dead.headers().lastHeader(DeadLetters.HEADER_PROVIDER_STATUS)).isNull();
        assertThat(dead.headers().lastHeader(DeadLetters.HEADER_PROVIDER_ANSWER)).isNull();
    }

    static String header(ProducerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
