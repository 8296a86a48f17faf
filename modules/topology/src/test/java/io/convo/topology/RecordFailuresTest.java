package io.convo.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.topology.RecordFailures.Next;
import io.convo.topology.RecordFailures.Source;
import java.net.ConnectException;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

/** A record that keeps failing goes from processing to a dead letter, to a pointer, to being skipped: never a loop. */
class RecordFailuresTest {

    private static final Source AT = new Source("conversation-commands", 0, 7);

    @Test
    void aRecordIsProcessedUntilItFailsMaxAttemptsTimesThenDeadLetteredThenPointedAtThenSkipped() {
        RecordFailures failures = new RecordFailures(2);

        assertThat(failures.next(AT)).isEqualTo(Next.PROCESS);
        assertThat(failures.failed(AT, "Conversations", new IllegalArgumentException("not a command: null"))).isEqualTo(1);
        assertThat(failures.threadFailed()).isTrue();
        assertThat(failures.next(AT)).isEqualTo(Next.PROCESS);
        assertThat(failures.failed(AT, "Conversations", new IllegalArgumentException("not a command: null"))).isEqualTo(2);
        failures.threadFailed();
        assertThat(failures.next(AT)).isEqualTo(Next.DEAD_LETTER);
        assertThat(failures.lastFailure(AT)).contains("IllegalArgumentException: not a command: null", "Conversations");
        failures.failed(AT, "writing to commands-dlq", new KafkaException("too large"));
        failures.threadFailed();
        assertThat(failures.next(AT)).isEqualTo(Next.POINTER);
        failures.failed(AT, "writing to commands-dlq", new KafkaException("still"));
        failures.threadFailed();
        assertThat(failures.next(AT)).isEqualTo(Next.SKIP);
        assertThat(failures.next(new Source("conversation-commands", 0, 8))).isEqualTo(Next.PROCESS);
    }

    @Test
    void countsOneFailurePerThreadFailureBecauseOneFailureIsReportedSeveralTimes() {
        RecordFailures failures = new RecordFailures(2);
        Source next = new Source("conversation-commands", 0, 8);

        assertThat(failures.failed(AT, "writing to conversation-events", new KafkaException("too large"))).isEqualTo(1);
        // The producer in error reports it again for the next record's send, and a processor rethrows it.
        assertThat(failures.failed(next, "writing to convo-service-checks", new KafkaException("too large"))).isEqualTo(-1);
        assertThat(failures.failed(next, "Conversations", new KafkaException("too large"))).isEqualTo(-1);

        assertThat(failures.threadFailed()).as("the thread failed on a pinned record").isTrue();
        assertThat(failures.threadFailed()).as("a thread failure with nothing pinned since").isFalse();
        assertThat(failures.attempts(AT)).isEqualTo(1);
        assertThat(failures.attempts(next)).isZero();
    }

    @Test
    void theSameRefusedSendReportedForAnotherRecordAfterTheThreadWasReplacedIsNotCountedOnThatRecord() {
        RecordFailures failures = new RecordFailures(2);
        Source next = new Source("conversation-commands", 0, 8);
        KafkaException tooLarge = new KafkaException("The message is 1100103 bytes");

        assertThat(failures.failedToSend(AT, "writing to conversation-events", tooLarge)).isEqualTo(1);
        failures.threadFailed();
        // The failed producer hands its first error to the next record's send, after the thread was replaced.
        assertThat(failures.failedToSend(next, "writing to convo-service-checks", new StreamsException(tooLarge)))
                .isEqualTo(-1);
        failures.threadFailed();
        assertThat(failures.failedToSend(next, "writing to convo-service-checks", tooLarge)).isEqualTo(-1);
        // The record itself fails again on the new thread's own producer: that one counts.
        assertThat(failures.failedToSend(AT, "writing to conversation-events",
                new KafkaException("The message is 1100103 bytes"))).isEqualTo(2);
        failures.threadFailed();
        assertThat(failures.attempts(next)).isZero();
        assertThat(failures.failed(next, "Conversations", new IllegalStateException("its own"))).isEqualTo(1);
    }

    @Test
    void oneExceptionInstanceFailingSeveralRecordsInProcessingCountsOnEachOfThem() {
        RecordFailures failures = new RecordFailures(2);
        IllegalStateException cached = new IllegalStateException("a cached exception");
        assertThat(failures.failed(AT, "Conversations", cached)).isEqualTo(1);
        failures.threadFailed();
        assertThat(failures.failed(new Source("conversation-commands", 0, 8), "Conversations", cached)).isEqualTo(1);
    }

    @Test
    void countsFailuresAndDeadLettersByInputPartition() {
        RecordFailures failures = new RecordFailures(2);
        failures.failed(AT, "Conversations", new IllegalStateException());
        failures.deadLettered(AT, "repeated-failure");
        failures.deadLettered(new Source("conversation-commands", 0, 9), "unreadable");

        assertThat(failures.counts()).singleElement().satisfies(row -> {
            assertThat(row.failures()).isEqualTo(1);
            assertThat(row.deadLetters()).isEqualTo(Map.of("repeated-failure", 1L, "unreadable", 1L));
            assertThat(row.lastDeadLetterOffset()).isEqualTo(9);
        });
    }

    @Test
    void failuresOfTheSurroundingsAreInfrastructureNotTheRecords() {
        assertThat(RecordFailures.infrastructure(new KafkaException("registry", new ConnectException("refused")))).isTrue();
        assertThat(RecordFailures.infrastructure(new StreamsException(new TimeoutException("broker")))).isTrue();
        assertThat(RecordFailures.infrastructure(new IllegalArgumentException("not a command: null"))).isFalse();
        assertThat(RecordFailures.infrastructure(new ClassCastException("ConversationEvent"))).isFalse();
    }

    @Test
    void travelsInTheStreamsConfig() {
        RecordFailures failures = new RecordFailures(3);

        assertThat(RecordFailures.from(Map.of(RecordFailures.CONFIG, failures))).isSameAs(failures);
        assertThat(RecordFailures.from(Map.of())).isNull();
    }
}
