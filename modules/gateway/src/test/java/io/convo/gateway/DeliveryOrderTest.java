package io.convo.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryOrderTest {

    @Test
    void holdsLiveDeliveriesDuringACatchUpAndSendsOnlyThoseItDidNotCoverInIndexOrder() {
        DeliveryOrder order = new DeliveryOrder();
        order.hold();
        assertThat(order.live(7, "d7")).isNull();
        assertThat(order.live(5, "d5")).isNull();
        assertThat(order.live(6, "d6")).isNull();
        assertThat(order.release(5)).containsExactly("d6", "d7");
        assertThat(order.live(7, "d7 again")).as("already sent").isNull();
        assertThat(order.live(8, "d8")).isEqualTo("d8");
    }

    @Test
    void aSecondCatchUpKeepsHoldingUntilBothFinished() {
        DeliveryOrder order = new DeliveryOrder();
        order.hold();
        order.hold();
        assertThat(order.live(3, "d3")).isNull();
        assertThat(order.release(1)).isEmpty();
        assertThat(order.release(2)).containsExactly("d3");
    }

    @Test
    void withoutACatchUpEveryNewIndexGoesOutAtOnce() {
        DeliveryOrder order = new DeliveryOrder();
        assertThat(order.live(0, "d0")).isEqualTo("d0");
        assertThat(order.live(1, "d1")).isEqualTo("d1");
    }
}
