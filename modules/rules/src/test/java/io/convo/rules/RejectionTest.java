package io.convo.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.CommandRejected;
import io.convo.model.RateLimitScope;
import io.convo.model.RejectionCode;
import org.junit.jupiter.api.Test;

/** The rejection record of SPEC §2: commandId, code, Twilio's code, reason, key; a rate limit's scope and retry. */
class RejectionTest {

    @Test
    void carriesTheTwilioCodeOfItsCodeWhereTheSpecGivesOne() {
        assertThat(Rejection.of(RejectionCode.CONVERSATION_CLOSED, "closed").twilioCode()).isEqualTo(50377);
        assertThat(Rejection.of(RejectionCode.PARTICIPANT_EXISTS, "exists").twilioCode()).isNull();
        assertThat(Rejection.invalid("bad").code()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(Rejection.invalid("bad").twilioCode()).isNull();
    }

    @Test
    void aRateLimitRejectionSaysItsScopeLimitAndRetry() {
        Rejection r = Rejection.rateLimited(RateLimitScope.service, 30, 250);
        assertThat(r.code()).isEqualTo(RejectionCode.RATE_LIMITED);
        assertThat(r.twilioCode()).isEqualTo(50063);
        assertThat(r.scope()).isEqualTo(RateLimitScope.service);
        assertThat(r.limit()).isEqualTo(30);
        assertThat(r.retryAfterMs()).isEqualTo(250);
        assertThat(r.reason()).contains("more than 30 actions in one second in this service", "retry after 250 ms");
    }

    @Test
    void aDuplicateCarriesTheOriginalOutcome() {
        Rejection r = Rejection.duplicate("cmd-7", "ConversationCreated");
        assertThat(r.code()).isEqualTo(RejectionCode.DUPLICATE_COMMAND);
        assertThat(r.originalOutcome()).isEqualTo("ConversationCreated");
        assertThat(r.reason()).contains("cmd-7", "ConversationCreated");
    }

    @Test
    void becomesTheCommandRejectedRecordUnderTheCommandsKey() {
        Command command = Command.of(TestCommands.sendMessage("CH1", "IM1", "alice", "hi"));
        CommandRejected record = Rejection.rateLimited(RateLimitScope.conversation, 30, 750).toRecord(command, "CH1");
        assertThat(record.getCommandId()).isEqualTo(command.commandId());
        assertThat(record.getCommandType()).isEqualTo("SendMessage");
        assertThat(record.getKey()).isEqualTo("CH1");
        assertThat(record.getServiceSid()).isEqualTo("IS1");
        assertThat(record.getConversationSid()).isEqualTo("CH1");
        assertThat(record.getCode()).isEqualTo("RATE_LIMITED");
        assertThat(record.getTwilioCode()).isEqualTo(50063);
        assertThat(record.getScope()).isEqualTo(RateLimitScope.conversation);
        assertThat(record.getLimit()).isEqualTo(30L);
        assertThat(record.getRetryAfterMs()).isEqualTo(750L);
        assertThat(record.getTimestamp()).isEqualTo(TestCommands.T0);
        assertThat(record.getReason()).contains("retry after 750 ms");
    }
}
