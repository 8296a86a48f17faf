package io.convo.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convo.model.Channel;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StatusCallbacksTest {

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aDeliveredCallbackBecomesADeliveredReceipt() {
        DeliveryReceipt receipt = StatusCallbacks.parse(json("""
                {"messageSid":"IM1","participantSid":"MB1","conversationSid":"CH1","status":"delivered",
                 "channel":"sms","providerField":"ignored"}"""), 42);

        assertThat(receipt).isEqualTo(DeliveryReceipt.newBuilder().setMessageSid("IM1").setParticipantSid("MB1")
                .setConversationSid("CH1").setStatus(DeliveryStatus.delivered).setChannel(Channel.sms).setTimestamp(42)
                .build());
    }

    @Test
    void anUndeliveredCallbackKeepsTheProvidersCodeNumericOrNamed() {
        DeliveryReceipt numeric = StatusCallbacks.parse(json("""
                {"messageSid":"IM1","participantSid":"MB1","conversationSid":"CH1","status":"undelivered","code":30003,
                 "reason":"Unreachable destination handset","timestamp":1800000000000}"""), 42);
        DeliveryReceipt named = StatusCallbacks.parse(json("""
                {"messageSid":"IM1","participantSid":"MB1","conversationSid":"CH1","status":"READ","code":"SEEN"}"""), 42);

        assertThat(numeric.getStatus()).isEqualTo(DeliveryStatus.undelivered);
        assertThat(numeric.getCode()).isEqualTo("30003");
        assertThat(numeric.getReason()).isEqualTo("Unreachable destination handset");
        assertThat(numeric.getTimestamp()).isEqualTo(1_800_000_000_000L);
        assertThat(named.getStatus()).isEqualTo(DeliveryStatus.read);
        assertThat(named.getCode()).isEqualTo("SEEN");
    }

    @Test
    void sentAndFailedAreTheConnectorsToReportNotTheProviders() {
        assertThatThrownBy(() -> StatusCallbacks.parse(json("""
                {"messageSid":"IM1","participantSid":"MB1","conversationSid":"CH1","status":"sent"}"""), 42))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("status"));
    }

    @Test
    void malformedCallbacksNameTheField() {
        assertThatThrownBy(() -> StatusCallbacks.parse(json("{\"participantSid\":\"MB1\",\"conversationSid\":\"CH1\","
                + "\"status\":\"read\"}"), 42))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("messageSid"));
        assertThatThrownBy(() -> StatusCallbacks.parse(json("{\"messageSid\":7}"), 42))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("messageSid"));
        assertThatThrownBy(() -> StatusCallbacks.parse(json("{\"messageSid\":\"IM1\",\"participantSid\":\"MB1\","
                + "\"conversationSid\":\"CH1\",\"status\":\"read\",\"timestamp\":\"now\"}"), 42))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("timestamp"));
        assertThatThrownBy(() -> StatusCallbacks.parse(json("[1,2]"), 42))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> StatusCallbacks.parse(json("{\"messageSid\":"), 42))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> StatusCallbacks.parse(new byte[0], 42))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("empty");
    }
}
