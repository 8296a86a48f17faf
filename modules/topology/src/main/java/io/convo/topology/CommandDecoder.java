package io.convo.topology;

import io.convo.model.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the raw values of an input topic. A record that cannot be read (null key or value, bytes the serde
 * rejects) goes to {@code commands-dlq} unchanged, with the reason in headers, through the task's own producer, so
 * it is written exactly once, in the same transaction as the input's offset. Kafka 4.1's deserialization
 * exception handler cannot produce in that transaction, which is why decoding happens here.
 */
final class CommandDecoder<V> implements Processor<String, byte[], String, Object> {

    private static final Logger log = LoggerFactory.getLogger(CommandDecoder.class);

    private final Deserializer<V> deserializer;
    private final String decodedChild;
    private final Sink<byte[]> dlq;
    private ProcessorContext<String, Object> context;
    private Forwarder out;

    CommandDecoder(Deserializer<V> deserializer, String decodedChild, Sink<byte[]> dlq) {
        this.deserializer = deserializer;
        this.decodedChild = decodedChild;
        this.dlq = dlq;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.out = new Forwarder(context);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            deadLetter(record, "null value", null);
            return;
        }
        if (record.key() == null) {
            deadLetter(record, "null key: commands are keyed by conversationSid or serviceSid", null);
            return;
        }
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(null);
        V value;
        try {
            value = deserializer.deserialize(topic, record.headers(), record.value());
        } catch (RuntimeException e) {
            deadLetter(record, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
            return;
        }
        if (value == null) {
            deadLetter(record, "the serde decoded the value to null", null);
            return;
        }
        context.forward(record.withValue(value), decodedChild);
    }

    private void deadLetter(Record<String, byte[]> record, String reason, Exception e) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(DeadLetterHeaders.REASON, utf8(reason));
        if (e != null) {
            headers.add(DeadLetterHeaders.EXCEPTION, utf8(e.getClass().getName()));
        }
        context.recordMetadata().ifPresent(m -> {
            headers.add(DeadLetterHeaders.TOPIC, utf8(m.topic()));
            headers.add(DeadLetterHeaders.PARTITION, utf8(String.valueOf(m.partition())));
            headers.add(DeadLetterHeaders.OFFSET, utf8(String.valueOf(m.offset())));
        });
        log.warn("unreadable record (key {}) sent to the dead-letter queue: {}", record.key(), reason);
        out.forward(dlq, new Record<>(record.key(), record.value(), record.timestamp(), headers));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
