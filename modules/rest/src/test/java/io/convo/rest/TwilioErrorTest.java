package io.convo.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.CommandRejected;
import io.convo.model.RejectionCode;
import org.junit.jupiter.api.Test;

/** A rejected command's error as Twilio answers it: status, code and Retry-After. */
class TwilioErrorTest {

    private static CommandRejected rejected(RejectionCode code, Long retryAfterMs) {
        return CommandRejected.newBuilder().setCommandId("c1").setCommandType("SendMessage").setKey("CH1")
                .setCode(code.name()).setTwilioCode(code.twilioCode()).setReason("why").setRetryAfterMs(retryAfterMs)
                .setTimestamp(0).build();
    }

    @Test
    void aFieldLimitIs400WithItsTwilioCode() {
        TwilioError e = TwilioError.of(rejected(RejectionCode.FRIENDLY_NAME_TOO_LONG, null));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo(50003);
        assertThat(e.body().get("more_info").asText()).endsWith("/50003");
        assertThat(e.body().get("status").asInt()).isEqualTo(400);
    }

    @Test
    void theApsLimitIs429With50063AndRetryAfterRoundedUpToSeconds() {
        TwilioError e = TwilioError.of(rejected(RejectionCode.RATE_LIMITED, 1_200L));
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.code()).isEqualTo(50063);
        assertThat(e.retryAfterSeconds()).isEqualTo(2);
        assertThat(TwilioError.of(rejected(RejectionCode.RATE_LIMITED, 0L)).retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void whatDoesNotExistIs404And20404AndAnExistingParticipantIs409() {
        assertThat(TwilioError.of(rejected(RejectionCode.CONVERSATION_NOT_FOUND, null)).code()).isEqualTo(20404);
        assertThat(TwilioError.of(rejected(RejectionCode.PARTICIPANT_NOT_FOUND, null)).status()).isEqualTo(404);
        TwilioError exists = TwilioError.of(rejected(RejectionCode.PARTICIPANT_EXISTS, null));
        assertThat(exists.status()).isEqualTo(409);
        assertThat(exists.code()).isEqualTo(50433);
        assertThat(TwilioError.of(rejected(RejectionCode.NOT_AUTHORIZED, null)).status()).isEqualTo(403);
    }

    @Test
    void aRejectionWithoutATwilioCodeNamesConvosCode() {
        TwilioError e = TwilioError.of(rejected(RejectionCode.ADDRESS_TOO_LONG, null));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo(TwilioError.INVALID_PARAMETER);
        assertThat(e.message()).contains("ADDRESS_TOO_LONG");
    }
}
