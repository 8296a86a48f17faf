package io.convo.topology;

import io.convo.model.DeadLetterHeaders;
import io.convo.topology.RecordFailures.Source;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * convo's {@code production.exception.handler}: a record convo cannot write (too large for {@code max.request.size},
 * a value its serializer refuses) is pinned on the input record being processed when it was sent, and the task
 * fails; the next attempt dead-letters that input once it has failed {@code maxAttempts} times. CONTINUE is never an
 * answer: under exactly_once_v2 a failed send leaves the transaction unable to commit anyway, and at best it would
 * drop an output silently. Kafka 4.1.2's handler cannot send a dead letter itself (KIP-1034 came later); the
 * decoder's dead letter is written in the task's own transaction instead.
 *
 * <p>Which input to blame: a dead letter that failed names its input in its {@code convo.dlq.*} headers; any other
 * record is blamed on the record in process only when the failure is reported synchronously on the stream thread
 * (the producer refuses an oversized record inside {@code send}) and the record is not a changelog write (a store
 * value is the state's fault, not the current record's). A failure reported later by the broker cannot be tied to
 * the right input: it is retried, not pinned, and the liveness check sees it.
 */
public final class ProductionFailureHandler implements ProductionExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProductionFailureHandler.class);
    /** Kafka Streams names its threads {@code <client.id>-StreamThread-<n>}. */
    private static final String STREAM_THREAD = "-StreamThread-";

    private RecordFailures failures;

    @Override
    public void configure(Map<String, ?> configs) {
        failures = RecordFailures.from(configs);
        if (failures == null) {
            log.warn("no {} in the Streams config: production failures are not pinned on records", RecordFailures.CONFIG);
        }
    }

    @Override
    public ProductionExceptionHandlerResponse handle(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                                     Exception exception) {
        if (exception instanceof RetriableException) {
            // Kafka Streams re-initializes the task and sends again: nothing is wrong with the record.
            return ProductionExceptionHandlerResponse.RETRY;
        }
        Source source = deadLetterOrigin(record.headers());
        boolean inSend = synchronous();
        if (source == null && inSend && !record.topic().endsWith("-changelog")) {
            source = inProcess(context);
        }
        return pin(context, source, record.topic(), exception, inSend);
    }

    @Override
    public ProductionExceptionHandlerResponse handleSerializationException(ErrorHandlerContext context,
                                                                           ProducerRecord record, Exception exception,
                                                                           SerializationExceptionOrigin origin) {
        Source source = record.topic() != null && record.topic().endsWith("-changelog") ? null : inProcess(context);
        return pin(context, source, record.topic(), exception, false);
    }

    /** @param inSend the producer refused the record inside {@code send}, on the stream thread */
    private ProductionExceptionHandlerResponse pin(ErrorHandlerContext context, Source source, String topic,
                                                   Exception exception, boolean inSend) {
        if (failures == null || source == null || RecordFailures.infrastructure(exception)) {
            log.error("task {}: writing to {} failed; not pinned on an input record, the thread is replaced and retries",
                    context.taskId(), topic, exception);
            return ProductionExceptionHandlerResponse.FAIL;
        }
        String where = "writing to " + topic;
        int attempts = inSend ? failures.failedToSend(source, where, exception) : failures.failed(source, where, exception);
        if (attempts < 0) {
            // A transactional producer in error reports its first failure again for every later send.
            log.debug("{}: failure writing to {} follows one already pinned; not counted", source, topic);
            return ProductionExceptionHandlerResponse.FAIL;
        }
        log.error("{}: writing its output to {} failed (failure {}): {}; the stream thread is replaced and {}",
                source, topic, attempts, RecordFailures.describe(exception), failures.nextStep(attempts), exception);
        return ProductionExceptionHandlerResponse.FAIL;
    }

    private static boolean synchronous() {
        return Thread.currentThread().getName().contains(STREAM_THREAD);
    }

    private static Source inProcess(ErrorHandlerContext context) {
        return context.topic() == null || context.offset() < 0 ? null
                : new Source(context.topic(), context.partition(), context.offset());
    }

    /** The input a dead letter was written for, from its own headers; null for any other record. */
    static Source deadLetterOrigin(Headers headers) {
        String topic = text(headers.lastHeader(DeadLetterHeaders.TOPIC));
        String partition = text(headers.lastHeader(DeadLetterHeaders.PARTITION));
        String offset = text(headers.lastHeader(DeadLetterHeaders.OFFSET));
        if (topic == null || partition == null || offset == null || headers.lastHeader(DeadLetterHeaders.REASON) == null) {
            return null;
        }
        try {
            return new Source(topic, Integer.parseInt(partition), Long.parseLong(offset));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(Header header) {
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
