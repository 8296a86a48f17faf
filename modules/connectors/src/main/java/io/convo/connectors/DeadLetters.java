package io.convo.connectors;

import io.convo.model.Channel;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A {@code delivery-dlq} record: the delivery's original key and bytes, unchanged so it can be replayed, with
 * why and where from in headers (the same {@code convo.dlq.*} names as {@code commands-dlq}). Every delivery that
 * will never be sent is one: refused for good by the provider, out of retries, or unreadable.
 */
final class DeadLetters {

    static final String HEADER_PREFIX = "convo.dlq.";
    static final String HEADER_REASON = HEADER_PREFIX + "reason";
    static final String HEADER_CODE = HEADER_PREFIX + "code";
    static final String HEADER_ATTEMPTS = HEADER_PREFIX + "attempts";
    /** {@code true} when the retries ran out, {@code false} when the provider refused the delivery for good. */
    static final String HEADER_RETRIABLE = HEADER_PREFIX + "retriable";
    /** The provider's HTTP status on the last attempt; absent when it never answered. */
    static final String HEADER_PROVIDER_STATUS = HEADER_PREFIX + "provider-status";
    /** The start of the provider's answer on the last attempt; absent when it never answered. */
    static final String HEADER_PROVIDER_ANSWER = HEADER_PREFIX + "provider-answer";
    static final String HEADER_CHANNEL = HEADER_PREFIX + "channel";
    static final String HEADER_TOPIC = HEADER_PREFIX + "topic";
    static final String HEADER_PARTITION = HEADER_PREFIX + "partition";
    static final String HEADER_OFFSET = HEADER_PREFIX + "offset";
    static final String HEADER_TIMESTAMP = HEADER_PREFIX + "timestamp";

    private DeadLetters() {
    }

    /** The dead letter of a delivery the transport failed: the failure's code, reason, attempts and provider answer. */
    static ProducerRecord<String, byte[]> of(String dlqTopic, ConsumerRecord<String, byte[]> source, Channel channel,
            SendOutcome.Failed failed, long now) {
        ProducerRecord<String, byte[]> record = of(dlqTopic, source, channel, failed.code(), failed.reason(),
                failed.attempts(), now);
        record.headers().add(HEADER_RETRIABLE, utf8(String.valueOf(failed.retriable())));
        if (failed.providerStatus() != null) {
            record.headers().add(HEADER_PROVIDER_STATUS, utf8(String.valueOf(failed.providerStatus())));
            record.headers().add(HEADER_PROVIDER_ANSWER, utf8(failed.providerAnswer()));
        }
        return record;
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
