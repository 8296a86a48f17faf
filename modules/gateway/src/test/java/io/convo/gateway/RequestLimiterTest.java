package io.convo.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequestLimiterTest {

    private final MutableClock clock = MutableClock.atSecondPlus(600);

    @Test
    void admits500RequestsOfAConnectionPerSecondAndRefusesThe501st() {
        WindowLimiter subaccount = new WindowLimiter(20_000, clock);
        RequestLimiter connection = new RequestLimiter(new WindowLimiter(500, clock), subaccount);
        for (int i = 0; i < 500; i++) {
            assertThat(connection.tryRequest()).isNull();
        }
        RequestLimiter.Refusal refusal = connection.tryRequest();
        assertThat(refusal.scope()).isEqualTo("connection");
        assertThat(refusal.limit()).isEqualTo(500);
        assertThat(refusal.retryAfterNanos()).isEqualTo(Duration.ofMillis(400).toNanos());
        clock.advance(Duration.ofMillis(400));
        assertThat(connection.tryRequest()).isNull();
    }

    @Test
    void admits20000RequestsOfASubaccountPerSecondAcrossItsConnectionsAndRefusesThe20001st() {
        WindowLimiter subaccount = new WindowLimiter(20_000, clock);
        RequestLimiter[] connections = new RequestLimiter[40];
        for (int c = 0; c < connections.length; c++) {
            connections[c] = new RequestLimiter(new WindowLimiter(500, clock), subaccount);
            for (int i = 0; i < 500; i++) {
                assertThat(connections[c].tryRequest()).isNull();
            }
        }
        RequestLimiter another = new RequestLimiter(new WindowLimiter(500, clock), subaccount);
        RequestLimiter.Refusal refusal = another.tryRequest();
        assertThat(refusal.scope()).isEqualTo("subaccount");
        assertThat(refusal.limit()).isEqualTo(20_000);
        clock.advance(Duration.ofSeconds(1));
        // The refusal gave the connection's admission back: it still has its 500.
        for (int i = 0; i < 500; i++) {
            assertThat(another.tryRequest()).isNull();
        }
    }
}
