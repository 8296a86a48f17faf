package io.convo.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.topology.RecordFailures;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

/** The liveness rule: N stream-thread failures not pinned on a record within the window; threads always replaced. */
class StreamThreadFailuresTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RecordFailures records = new RecordFailures(2);
    private final StreamThreadFailures failures = new StreamThreadFailures(records, 3, Duration.ofSeconds(60), now::get);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void isNotLiveOnceThreadsFailedThreeTimesWithinTheWindowForReasonsNoRecordExplains() {
        for (int i = 0; i < 2; i++) {
            assertThat(failures.handle(new StreamsException("registry unreachable")))
                    .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            advance(Duration.ofSeconds(5));
        }
        assertThat(failures.live()).isTrue();

        failures.handle(new StreamsException("registry unreachable"));

        assertThat(failures.live()).isFalse();
        assertThat(failures.recent()).isEqualTo(3);
        assertThat(failures.unpinnedTotal()).isEqualTo(3);
    }

    @Test
    void isLiveAgainWhenTheWindowHoldsFewerFailures() {
        for (int i = 0; i < 3; i++) {
            failures.handle(new StreamsException("commit failed"));
        }
        assertThat(failures.live()).isFalse();

        advance(Duration.ofSeconds(61));

        assertThat(failures.live()).isTrue();
        assertThat(failures.recent()).isZero();
    }

    @Test
    void failuresPinnedOnARecordDoNotCountAgainstLiveness() {
        IllegalArgumentException poison = new IllegalArgumentException("not a command: null");
        for (int i = 0; i < 10; i++) {
            records.failed(new RecordFailures.Source("conversation-commands", 0, i), "Conversations", poison);
            assertThat(failures.handle(new StreamsException("task failed", poison)))
                    .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }

        assertThat(failures.live()).isTrue();
        assertThat(failures.pinnedTotal()).isEqualTo(10);
        assertThat(failures.unpinnedTotal()).isZero();

        failures.handle(new StreamsException("commit failed")); // nothing pinned since the last one
        assertThat(failures.unpinnedTotal()).isEqualTo(1);
    }
}
