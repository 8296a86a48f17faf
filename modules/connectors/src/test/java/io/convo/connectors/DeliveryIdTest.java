package io.convo.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.Channel;
import io.convo.model.Delivery;
import org.junit.jupiter.api.Test;

class DeliveryIdTest {

    @Test
    void idempotencyKeyIsMessageParticipantAndChannel() {
        Delivery delivery = Fixtures.delivery(Channel.sms, "CH1", "IM1", "MB1");

        assertThat(DeliveryId.of(delivery).key()).isEqualTo("IM1/MB1/sms");
    }

    @Test
    void keyIsStableAcrossCopiesAndIgnoresContent() {
        Delivery first = Fixtures.delivery(Channel.sms, "CH1", "IM1", "MB1");
        Delivery redelivered = Delivery.newBuilder(first).setBody("other text").setTimestamp(1).build();

        assertThat(DeliveryId.of(redelivered).key()).isEqualTo(DeliveryId.of(first).key());
    }

    @Test
    void sameMessageToSameParticipantOnAnotherChannelIsAnotherDelivery() {
        DeliveryId sms = DeliveryId.of(Fixtures.delivery(Channel.sms, "CH1", "IM1", "MB1"));
        DeliveryId mms = DeliveryId.of(Fixtures.delivery(Channel.mms, "CH1", "IM1", "MB1"));

        assertThat(sms.key()).isNotEqualTo(mms.key());
        assertThat(DeliveryId.keyOf(sms.key(), Channel.sms)).isTrue();
        assertThat(DeliveryId.keyOf(sms.key(), Channel.mms)).isFalse();
    }

    @Test
    void aChatAudienceRecordNamesNoParticipantAndGetsTheAudienceKey() {
        Delivery audience = Delivery.newBuilder(Fixtures.delivery(Channel.chat, "CH1", "IM1", "MB1"))
                .setParticipantSid(null).setTo(null).build();

        DeliveryId id = DeliveryId.of(audience);
        assertThat(id.key()).isEqualTo("IM1/*/chat");
        assertThat(id.toAudience()).isTrue();
        assertThat(DeliveryId.of(Fixtures.delivery(Channel.chat, "CH1", "IM1", "MB1")).toAudience()).isFalse();
    }
}
