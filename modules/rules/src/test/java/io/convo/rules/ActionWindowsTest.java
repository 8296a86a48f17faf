package io.convo.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ActionWindowsTest {

    @Test
    void alignsWindowsToTheSecond() {
        assertThat(ActionWindows.windowStart(1_800_000_000_999L)).isEqualTo(1_800_000_000_000L);
        assertThat(ActionWindows.windowStart(1_800_000_001_000L)).isEqualTo(1_800_000_001_000L);
    }

    @Test
    void admitsWhileTheWindowHasRoom() {
        assertThat(ActionWindows.retryAfterMs(10_250, 30, start -> 29)).isZero();
    }

    @Test
    void pointsAtTheNextWindowWithRoomSkippingFullOnes() {
        Map<Long, Long> counts = Map.of(10_000L, 30L, 11_000L, 30L);
        assertThat(ActionWindows.retryAfterMs(10_250, 30, start -> counts.getOrDefault(start, 0L))).isEqualTo(1_750);
        assertThat(ActionWindows.retryAfterMs(10_999, 30, start -> start == 10_000L ? 30 : 0)).isEqualTo(1);
    }
}
