package io.convo.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MessageLogTest {

    private final MutableClock clock = MutableClock.atSecondPlus(0);

    private long now() {
        return clock.millis();
    }

    @Test
    void returnsTheMessagesAfterTheIndexInOrderWithoutRemovedOnesAndWithTheirLatestUpdate() {
        MessageLog log = new MessageLog(100, Duration.ofHours(1), clock);
        for (long i = 0; i < 6; i++) {
            log.apply(Events.message("CH1", i, now()));
        }
        log.apply(Events.messageRemoved("CH1", 3));
        log.apply(Events.updated("CH1", 4, "edited"));
        log.apply(Events.message("CH2", 0, now()));

        MessageLog.CatchUp catchUp = log.after("CH1", 1);
        assertThat(catchUp.entries()).extracting(e -> e.added().getIndex()).containsExactly(2L, 4L, 5L);
        assertThat(catchUp.entries().get(1).lastUpdate().getBody()).isEqualTo("edited");
        assertThat(catchUp.lastIndex()).isEqualTo(5);
        assertThat(catchUp.complete()).isTrue();
        assertThat(log.after("CH1", 5).entries()).isEmpty();
        assertThat(log.after("CH1", -1).entries()).hasSize(5);
    }

    @Test
    void keepsAtMostTheConfiguredCountAndSaysWhenACatchUpReachesBeyondIt() {
        MessageLog log = new MessageLog(3, Duration.ofHours(1), clock);
        for (long i = 0; i < 10; i++) {
            log.apply(Events.message("CH1", i, now()));
        }
        MessageLog.CatchUp fromStart = log.after("CH1", -1);
        assertThat(fromStart.entries()).extracting(e -> e.added().getIndex()).containsExactly(7L, 8L, 9L);
        assertThat(fromStart.complete()).isFalse();
        assertThat(log.after("CH1", 6).complete()).isTrue();
    }

    @Test
    void dropsMessagesOlderThanTheMaximumAge() {
        MessageLog log = new MessageLog(100, Duration.ofMinutes(10), clock);
        log.apply(Events.message("CH1", 0, now()));
        clock.advance(Duration.ofMinutes(6));
        log.apply(Events.message("CH1", 1, now()));
        clock.advance(Duration.ofMinutes(5));
        MessageLog.CatchUp catchUp = log.after("CH1", -1);
        assertThat(catchUp.entries()).extracting(e -> e.added().getIndex()).containsExactly(1L);
        assertThat(catchUp.complete()).isFalse();
    }

    @Test
    void forgetsADeletedConversation() {
        MessageLog log = new MessageLog(100, Duration.ofHours(1), clock);
        log.apply(Events.message("CH1", 0, now()));
        log.apply(Events.deleted("CH1"));
        assertThat(log.after("CH1", -1).entries()).isEmpty();
        assertThat(log.after("CH1", -1).lastIndex()).isEqualTo(-1);
    }

    @Test
    void aConversationSeededFromASnapshotKnowsItsLastIndexAndKeepsWhatTheWindowHolds() {
        MessageLog log = new MessageLog(100, Duration.ofHours(1), clock);
        log.seed("CH1", 9);
        MessageLog.CatchUp none = log.after("CH1", 4);
        assertThat(none.entries()).isEmpty();
        assertThat(none.lastIndex()).isEqualTo(9);
        assertThat(none.complete()).as("messages 5 to 9 were not read").isFalse();
        assertThat(log.after("CH1", 9).complete()).isTrue();

        // The window's oldest message read is 7: 0 to 6 stay dropped, 7 on are kept.
        for (long i = 7; i <= 10; i++) {
            log.apply(Events.message("CH1", i, now()));
        }
        MessageLog.CatchUp after = log.after("CH1", 4);
        assertThat(after.entries()).extracting(e -> e.added().getIndex()).containsExactly(7L, 8L, 9L, 10L);
        assertThat(after.complete()).isFalse();
        assertThat(log.after("CH1", 6).complete()).isTrue();
        assertThat(log.after("CH1", 6).lastIndex()).isEqualTo(10);
    }
}
