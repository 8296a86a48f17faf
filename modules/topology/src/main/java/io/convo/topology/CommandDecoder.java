package io.convo.topology;

import io.convo.model.serde.WrongTypeException;
import io.convo.topology.RecordFailures.Next;
import io.convo.topology.RecordFailures.Source;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first node after every source: decodes the raw values, and is where a record stops when it cannot or must not
 * be processed. A record that cannot be read (null key or value, bytes the serde rejects, a value of another type
 * than the topic's, whatever the serde) goes to {@code commands-dlq} with the reason in headers, cut to fit one
 * produce request ({@link DeadLetters}); so does a record on which processing failed {@code maxAttempts} times
 * ({@link RecordFailures}). Both go through the task's own producer, so the dead letter is written exactly once, in
 * the same transaction as the input's offset: Kafka 4.1's exception handlers cannot produce in that transaction,
 * which is why decoding, and diverting, happen here.
 *
 * <p>A failure of the serde's surroundings (the registry unreachable) is not the record's fault: it is thrown, the
 * thread is replaced and the record read again, never dead-lettered.
 */
final class CommandDecoder<V> implements Processor<String, byte[], String, Object> {

    private static final Logger log = LoggerFactory.getLogger(CommandDecoder.class);

    private final Deserializer<V> deserializer;
    private final Class<?> type;
    private final String decodedChild;
    private final Sink<byte[]> dlq;
    private ProcessorContext<String, Object> context;
    private Forwarder out;
    private RecordFailures failures;
    private DeadLetters letters;

    /** @param type the class every value of the topic must be; a value of another class is dead-lettered */
    CommandDecoder(Deserializer<V> deserializer, Class<?> type, String decodedChild, Sink<byte[]> dlq) {
        this.deserializer = deserializer;
        this.type = type;
        this.decodedChild = decodedChild;
        this.dlq = dlq;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.out = new Forwarder(context);
        RecordFailures shared = RecordFailures.from(context.appConfigs());
        // Without the application's instance (topology tests, simulate) nothing is ever pinned: every record is processed.
        this.failures = shared != null ? shared : new RecordFailures(RecordFailures.DEFAULT_MAX_ATTEMPTS);
        this.letters = new DeadLetters(DeadLetters.letterBytes(context.appConfigs()));
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Source source = context.recordMetadata()
                .map(m -> new Source(m.topic(), m.partition(), m.offset())).orElse(null);
        if (source != null && divertedAfterFailures(record, source)) {
            return;
        }
        if (record.value() == null) {
            deadLetter(record, source, "null-value", "null value", null);
            return;
        }
        if (record.key() == null) {
            deadLetter(record, source, "null-key", "null key: commands are keyed by conversationSid or serviceSid", null);
            return;
        }
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(null);
        V value;
        try {
            value = deserializer.deserialize(topic, record.headers(), record.value());
        } catch (RuntimeException e) {
            if (RecordFailures.infrastructure(e)) {
                throw e;
            }
            deadLetter(record, source, e instanceof WrongTypeException ? "wrong-type" : "unreadable",
                    e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
            return;
        }
        if (value == null) {
            deadLetter(record, source, "unreadable", "the serde decoded the value to null", null);
            return;
        }
        if (!type.isInstance(value)) {
            // The serde read a record of another type (another schema registered in the same registry, a custom
            // serde's choice): processing it as this topic's type would fail on every attempt.
            deadLetter(record, source, "wrong-type", "decoded to " + value.getClass().getName() + ", but " + topic
                    + " carries " + type.getName(), null);
            return;
        }
        context.forward(record.withValue(value), decodedChild);
    }

    /** Dead-letters (or at last skips) a record that failed too often; false when it is to be processed. */
    private boolean divertedAfterFailures(Record<String, byte[]> record, Source source) {
        Next next = failures.next(source);
        if (next == Next.PROCESS) {
            return false;
        }
        int attempts = failures.attempts(source);
        String reason = "processing failed " + attempts + " times: " + failures.lastFailure(source);
        switch (next) {
            case DEAD_LETTER -> {
                log.error("{} (key {}) failed {} times; dead-lettered instead of processed again: {}", source,
                        record.key(), attempts, failures.lastFailure(source));
                failures.deadLettered(source, "repeated-failure");
                out.forward(dlq, letters.of(record, source, reason, null, attempts));
            }
            case POINTER -> {
                log.error("{} (key {}): its dead letter could not be written either; dead-lettering its headers only,"
                        + " the original stays at {}", source, record.key(), source);
                failures.deadLettered(source, "repeated-failure-pointer");
                out.forward(dlq, letters.pointer(record, source, reason + "; the dead letter with the record failed"
                        + " too: the original stays at " + source, attempts));
            }
            default -> {
                log.error("{} (key {}): not even a pointer to it could be dead-lettered ({} failures); skipped: {}",
                        source, record.key(), attempts, failures.lastFailure(source));
                failures.skipped(source);
            }
        }
        return true;
    }

    private void deadLetter(Record<String, byte[]> record, Source source, String kind, String reason, Exception e) {
        log.warn("{} (key {}) unreadable, sent to the dead-letter queue: {}", source, record.key(), reason);
        if (source != null) {
            failures.deadLettered(source, kind);
        }
        out.forward(dlq, letters.of(record, source, reason, e, 0));
    }
}
