package io.convo.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.DeliverySummary;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

class DeliverySummariesTest {

    private final DeliverySummary summary = new DeliverySummary(0L, new HashMap<>());

    private boolean apply(String participant, DeliveryStatus status) {
        return DeliverySummaries.apply(summary, DeliveryReceipt.newBuilder().setMessageSid("IM1").setConversationSid("CH1")
                .setParticipantSid(participant).setStatus(status).setTimestamp(1L).build());
    }

    @Test
    void aStatusNeverReplacesALaterOne() {
        assertThat(apply("a", DeliveryStatus.read)).isTrue();
        assertThat(apply("a", DeliveryStatus.delivered)).isFalse();
        assertThat(apply("a", DeliveryStatus.failed)).isFalse();
        assertThat(apply("b", DeliveryStatus.sent)).isTrue();
        assertThat(apply("b", DeliveryStatus.undelivered)).isTrue();
        assertThat(apply("b", DeliveryStatus.sent)).isFalse();
        assertThat(DeliverySummaries.count(summary, DeliveryStatus.read)).isEqualTo(1);
        assertThat(DeliverySummaries.count(summary, DeliveryStatus.undelivered)).isEqualTo(1);
        assertThat(DeliverySummaries.count(summary, DeliveryStatus.sent)).isZero();
    }
}
