package io.convo.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WindowLimiterTest {

    private final MutableClock clock = MutableClock.atSecondPlus(250);

    @Test
    void admitsTheLimitInOneSecondAndRefusesTheNextUntilTheNextWholeSecond() {
        WindowLimiter limiter = new WindowLimiter(3, clock);
        assertThat(limiter.tryAcquire()).isZero();
        assertThat(limiter.tryAcquire()).isZero();
        assertThat(limiter.tryAcquire()).isZero();
        assertThat(limiter.tryAcquire()).isEqualTo(Duration.ofMillis(750).toNanos());

        clock.advance(Duration.ofMillis(749));
        assertThat(limiter.tryAcquire()).as("still the same second").isEqualTo(Duration.ofMillis(1).toNanos());
        clock.advance(Duration.ofMillis(1));
        assertThat(limiter.tryAcquire()).as("the next second").isZero();
    }

    @Test
    void windowsAreAlignedToTheSecondNotToTheFirstAdmission() {
        WindowLimiter limiter = new WindowLimiter(2, clock);
        clock.advance(Duration.ofMillis(700)); // at .950
        assertThat(limiter.tryAcquire()).isZero();
        assertThat(limiter.tryAcquire()).isZero();
        clock.advance(Duration.ofMillis(100)); // at .050 of the next second: a new window, full again
        assertThat(limiter.tryAcquire()).isZero();
        assertThat(limiter.tryAcquire()).isZero();
        assertThat(limiter.tryAcquire()).isPositive();
    }

    @Test
    void aRefundGivesBackOneAdmissionButNeverRaisesAWindowAboveTheLimit() {
        WindowLimiter limiter = new WindowLimiter(1, clock);
        assertThat(limiter.tryAcquire()).isZero();
        limiter.refund();
        assertThat(limiter.tryAcquire()).isZero();
        assertThat(limiter.tryAcquire()).isPositive();

        clock.advance(Duration.ofSeconds(1));
        limiter.refund(); // a late refund that lands in a full window
        assertThat(limiter.tryAcquire()).isZero();
        assertThat(limiter.tryAcquire()).isPositive();
    }

    @Test
    void retryAfterRoundsUp() {
        assertThat(WindowLimiter.retryAfterSeconds(1)).isEqualTo(1);
        assertThat(WindowLimiter.retryAfterSeconds(Duration.ofMillis(1_001).toNanos())).isEqualTo(2);
        assertThat(WindowLimiter.retryAfterMillis(1)).isEqualTo(1);
        assertThat(WindowLimiter.retryAfterMillis(Duration.ofMillis(750).toNanos())).isEqualTo(750);
    }
}
