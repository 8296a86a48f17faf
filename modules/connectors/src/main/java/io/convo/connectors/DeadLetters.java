package io.convo.connectors;

import io.convo.model.Channel;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A {@code delivery-dlq} record: the delivery's original key and bytes, unchanged so it can be replayed, with
 * why and where from in headers (the same {@code convo.dlq.*} names as {@code commands-dlq}).
 */
final class DeadLetters {

    static final String HEADER_REASON = "convo.dlq.reason";
    static final String HEADER_CODE = "convo.dlq.code";
    static final String HEADER_ATTEMPTS = "convo.dlq.attempts";
    static final String HEADER_CHANNEL = "convo.dlq.channel";
    static final String HEADER_TOPIC = "convo.dlq.topic";
    static final String HEADER_PARTITION = "convo.dlq.partition";
    static final String HEADER_OFFSET = "convo.dlq.offset";
    static final String HEADER_TIMESTAMP = "convo.dlq.timestamp";

    private DeadLetters() {
    }

    /**
     * The record timestamp is {@code now}, the original one goes in a header: a broker refuses timestamps far
     * from its clock, and a delivery's timestamp is its message's, which may be far in the past.
     */
    static ProducerRecord<String, byte[]> of(String dlqTopic, ConsumerRecord<String, byte[]> source, Channel channel,
            String code, String reason, int attempts, long now) {
        Headers headers = new RecordHeaders(source.headers().toArray());
        headers.add(HEADER_REASON, utf8(reason));
        headers.add(HEADER_CODE, utf8(code));
        headers.add(HEADER_ATTEMPTS, utf8(String.valueOf(attempts)));
        headers.add(HEADER_CHANNEL, utf8(channel.name()));
        headers.add(HEADER_TOPIC, utf8(source.topic()));
        headers.add(HEADER_PARTITION, utf8(String.valueOf(source.partition())));
        headers.add(HEADER_OFFSET, utf8(String.valueOf(source.offset())));
        headers.add(HEADER_TIMESTAMP, utf8(String.valueOf(source.timestamp())));
        return new ProducerRecord<>(dlqTopic, null, now, source.key(), source.value(), headers);
    }

    private static byte[] utf8(String value) {
        return (value == null ? "" : value).getBytes(StandardCharsets.UTF_8);
    }
}
