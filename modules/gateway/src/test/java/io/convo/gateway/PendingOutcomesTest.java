package io.convo.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PendingOutcomesTest {

    @Test
    void anOutcomeIsMatchedByKeyCommandIdAndTimestampOnce() {
        PendingOutcomes pending = new PendingOutcomes(60_000_000_000L);
        ChatConnection connection = new ChatConnection(new AccessToken("a", "IS1", "AC1", java.time.Instant.MAX), null,
                null, 0, null);
        pending.register("CH1", "c1", 100L, connection);
        assertThat(pending.take("CH1", "c1", 99L)).as("an older command with the same id").isNull();
        assertThat(pending.take("CH2", "c1", 100L)).isNull();
        assertThat(pending.take("CH1", "c1", 100L)).isSameAs(connection);
        assertThat(pending.take("CH1", "c1", 100L)).isNull();
    }

    @Test
    void forgetsOutcomesThatNeverCame() {
        PendingOutcomes pending = new PendingOutcomes(0);
        pending.register("CH1", "c1", 100L, new ChatConnection(new AccessToken("a", "IS1", "AC1", java.time.Instant.MAX),
                null, null, 0, null));
        pending.expire();
        assertThat(pending.size()).isZero();
    }
}
