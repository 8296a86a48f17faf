package io.convo.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessedDeliveriesTest {

    private final ProcessedDeliveries processed = new ProcessedDeliveries(Duration.ofMillis(1_000));

    @Test
    void remembersADecidedDeliveryInItsPartition() {
        processed.add(0, "IM1/MB1/sms", 10_000, 10_000);

        assertThat(processed.contains(0, "IM1/MB1/sms", 10_500)).isTrue();
        assertThat(processed.contains(1, "IM1/MB1/sms", 10_500)).isFalse();
        assertThat(processed.contains(0, "IM2/MB1/sms", 10_500)).isFalse();
    }

    @Test
    void forgetsDeliveriesOlderThanTheRetentionWindow() {
        processed.add(0, "old", 10_000, 10_000);
        processed.add(0, "new", 10_900, 10_900);

        assertThat(processed.contains(0, "old", 11_000)).isTrue();
        assertThat(processed.contains(0, "old", 11_001)).isFalse();
        assertThat(processed.contains(0, "new", 11_001)).isTrue();
        assertThat(processed.size()).isEqualTo(1);
    }

    @Test
    void ignoresMarkersAlreadyOutsideTheWindowWhenLoading() {
        processed.reset(3);
        processed.add(3, "ancient", 1_000, 10_000);

        assertThat(processed.isLoaded(3)).isTrue();
        assertThat(processed.size()).isZero();
    }

    @Test
    void droppingAPartitionForgetsItsDeliveries() {
        processed.add(2, "IM1/MB1/sms", 10_000, 10_000);

        processed.drop(2);

        assertThat(processed.isLoaded(2)).isFalse();
        assertThat(processed.contains(2, "IM1/MB1/sms", 10_000)).isFalse();
    }
}
