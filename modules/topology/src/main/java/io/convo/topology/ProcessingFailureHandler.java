package io.convo.topology;

import io.convo.topology.RecordFailures.Source;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * convo's {@code processing.exception.handler}: pins an exception thrown while a processor handled a record on that
 * input record (its topic, partition and offset), then fails, so that the transaction aborts and the stream thread is
 * replaced. The next attempt meets the record in its decoder, which dead-letters it once it has failed
 * {@code maxAttempts} times. It never answers CONTINUE: under exactly_once_v2 that would commit whatever the failed
 * record had already written to stores and topics, half a command. Failures of the surroundings (the registry, the
 * broker, local state) are not pinned: retrying is their remedy, and the liveness check watches them.
 */
public final class ProcessingFailureHandler implements ProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProcessingFailureHandler.class);

    private RecordFailures failures;

    @Override
    public void configure(Map<String, ?> configs) {
        failures = RecordFailures.from(configs);
        if (failures == null) {
            log.warn("no {} in the Streams config: processing failures are not pinned on records", RecordFailures.CONFIG);
        }
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        Source source = context.topic() == null || context.offset() < 0 ? null
                : new Source(context.topic(), context.partition(), context.offset());
        if (failures == null || source == null || RecordFailures.infrastructure(exception)) {
            log.error("task {}, node {}: processing failed ({}); not pinned on a record, the thread is replaced and"
                    + " retries", context.taskId(), context.processorNodeId(), source == null ? "no input record" : source,
                    exception);
            return ProcessingHandlerResponse.FAIL;
        }
        int attempts = failures.failed(source, context.processorNodeId(), exception);
        if (attempts < 0) {
            // The echo of a failure pinned already (a failed send surfacing in whichever processor sends next).
            log.debug("{}: failure in {} follows one already pinned; not counted", source, context.processorNodeId());
            return ProcessingHandlerResponse.FAIL;
        }
        log.error("{} (key {}) failed in {} (failure {}): {}; the stream thread is replaced and {}", source,
                record == null ? null : record.key(), context.processorNodeId(), attempts,
                RecordFailures.describe(exception), failures.nextStep(attempts), exception);
        return ProcessingHandlerResponse.FAIL;
    }
}
