package io.convo.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.Channel;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import org.junit.jupiter.api.Test;

class ReceiptsTest {

    private final Delivery delivery = Fixtures.delivery(Channel.whatsapp, "CH1", "IM1", "MB1");

    @Test
    void aSentDeliveryGetsASentReceiptForItsRecipient() {
        DeliveryReceipt receipt = Receipts.of(delivery, SendOutcome.sent(2), 99);

        assertThat(receipt).isEqualTo(DeliveryReceipt.newBuilder().setMessageSid("IM1").setConversationSid("CH1")
                .setParticipantSid("MB1").setStatus(DeliveryStatus.sent).setChannel(Channel.whatsapp).setTimestamp(99)
                .build());
    }

    @Test
    void aFailedDeliveryGetsAFailedReceiptWithCodeAndReason() {
        DeliveryReceipt receipt = Receipts.of(delivery, SendOutcome.failed("HTTP_400", "bad number", false, 1), 99);

        assertThat(receipt.getStatus()).isEqualTo(DeliveryStatus.failed);
        assertThat(receipt.getCode()).isEqualTo("HTTP_400");
        assertThat(receipt.getReason()).isEqualTo("bad number");
    }
}
