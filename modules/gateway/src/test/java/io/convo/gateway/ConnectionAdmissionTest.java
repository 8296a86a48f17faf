package io.convo.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionAdmissionTest {

    private final MutableClock clock = MutableClock.atSecondPlus(0);

    private static ConnectionLimits limits(int perSub, int overall, int ratePerSub, int rateOverall) {
        return new ConnectionLimits(perSub, overall, ratePerSub, rateOverall, 500, 20_000, 1_000);
    }

    private static ConnectionAdmission.Ticket admitted(ConnectionAdmission.Decision d) {
        assertThat(d).isInstanceOf(ConnectionAdmission.Admitted.class);
        return ((ConnectionAdmission.Admitted) d).ticket();
    }

    @Test
    void admits7000ConcurrentConnectionsOfASubaccountAndRefusesThe7001st() {
        ConnectionAdmission admission = new ConnectionAdmission(ConnectionLimits.defaults(), clock);
        for (int i = 0; i < 7_000; i++) {
            if (i > 0 && i % 110 == 0) {
                clock.advance(Duration.ofSeconds(1));
            }
            admitted(admission.admit("AC1"));
        }
        clock.advance(Duration.ofSeconds(1));
        ConnectionAdmission.Decision d = admission.admit("AC1");
        assertThat(d).isInstanceOf(ConnectionAdmission.Refused.class);
        assertThat(((ConnectionAdmission.Refused) d).reason()).contains("7000");
        assertThat(((ConnectionAdmission.Refused) d).retryAfterNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
        admitted(admission.admit("AC2"));
    }

    @Test
    void admits110NewConnectionsOfASubaccountPerSecondAndRefusesThe111th() {
        ConnectionAdmission admission = new ConnectionAdmission(ConnectionLimits.defaults(), clock);
        for (int i = 0; i < 110; i++) {
            admitted(admission.admit("AC1"));
        }
        assertThat(admission.admit("AC1")).isInstanceOf(ConnectionAdmission.Refused.class);
        assertThat(admission.open("AC1")).as("a refused attempt is not counted").isEqualTo(110);
        clock.advance(Duration.ofSeconds(1));
        admitted(admission.admit("AC1"));
    }

    @Test
    void admits1000NewConnectionsPerSecondOverallAndRefusesThe1001st() {
        ConnectionAdmission admission = new ConnectionAdmission(ConnectionLimits.defaults(), clock);
        for (int i = 0; i < 1_000; i++) {
            admitted(admission.admit("AC" + i / 100));
        }
        assertThat(admission.admit("AC-new")).isInstanceOf(ConnectionAdmission.Refused.class);
        assertThat(admission.openOverall()).isEqualTo(1_000);
        // The subaccount's own window lost nothing to the overall refusal.
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 110; i++) {
            admitted(admission.admit("AC-new"));
        }
    }

    @Test
    void admitsTheConcurrencyLimitOverallAndRefusesTheNext() {
        ConnectionAdmission admission = new ConnectionAdmission(limits(10, 3, 100, 100), clock);
        admitted(admission.admit("A"));
        admitted(admission.admit("B"));
        admitted(admission.admit("C"));
        assertThat(admission.admit("D")).isInstanceOf(ConnectionAdmission.Refused.class);
    }

    @Test
    void releasingATicketFreesItsSlotOnceOnly() {
        ConnectionAdmission admission = new ConnectionAdmission(limits(1, 10, 100, 100), clock);
        ConnectionAdmission.Ticket ticket = admitted(admission.admit("A"));
        assertThat(admission.admit("A")).isInstanceOf(ConnectionAdmission.Refused.class);
        assertThat(ticket.release()).isTrue();
        assertThat(ticket.release()).isFalse();
        assertThat(admission.openOverall()).isZero();
        admitted(admission.admit("A"));
        assertThat(admission.openOverall()).isEqualTo(1);
    }

    @Test
    void aConcurrencyRefusalTakesNothingFromTheRateWindow() {
        ConnectionAdmission admission = new ConnectionAdmission(limits(1, 10, 2, 100), clock);
        ConnectionAdmission.Ticket first = admitted(admission.admit("A"));
        for (int i = 0; i < 5; i++) {
            assertThat(admission.admit("A")).isInstanceOf(ConnectionAdmission.Refused.class);
        }
        first.release();
        admitted(admission.admit("A")); // the second of two per second
    }

    @Test
    void sweepsSubaccountsWithNothingOpenOnlyAfterTheirWindowPassed() {
        ConnectionAdmission admission = new ConnectionAdmission(limits(5, 10, 1, 100), clock);
        admitted(admission.admit("A")).release();
        admission.sweep();
        assertThat(admission.admit("A")).as("the window survives the sweep").isInstanceOf(ConnectionAdmission.Refused.class);
        clock.advance(Duration.ofSeconds(3));
        admission.sweep();
        admitted(admission.admit("A"));
    }
}
