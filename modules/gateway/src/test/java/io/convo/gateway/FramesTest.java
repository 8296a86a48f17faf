package io.convo.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.CommandRejected;
import io.convo.model.json.JsonLines;
import io.convo.model.json.OutputLine;
import io.convo.model.RejectionCode;
import org.junit.jupiter.api.Test;

class FramesTest {

    private final Frames frames = new Frames(GatewayTopics.withPrefix(""));

    @Test
    void aGatewayRejectionIsAnOutputLineOfCommandRejections() {
        UpstreamFrame request = UpstreamFrame.parse("{\"type\":\"SendMessage\",\"commandId\":\"c1\",\"conversationSid\":\"CH1\"}");
        String line = frames.rejection(request, "IS1", RejectionCode.RATE_LIMITED, "too fast", 500L, 250L, 42L);
        OutputLine parsed = JsonLines.parseOutput(line, 1);
        assertThat(parsed.topic()).isEqualTo("command-rejections");
        assertThat(parsed.key()).isEqualTo("CH1");
        CommandRejected r = (CommandRejected) parsed.value();
        assertThat(r.getCommandId()).isEqualTo("c1");
        assertThat(r.getCommandType()).isEqualTo("SendMessage");
        assertThat(r.getCode()).isEqualTo("RATE_LIMITED");
        assertThat(r.getTwilioCode()).isEqualTo(50063);
        assertThat(r.getLimit()).isEqualTo(500L);
        assertThat(r.getRetryAfterMs()).isEqualTo(250L);
    }

    @Test
    void aRejectionOfAnUnreadableFrameHasEmptyIds() {
        String line = frames.rejection(UpstreamFrame.parse("nope"), "IS1", RejectionCode.INVALID_COMMAND, "not JSON", null,
                null, 42L);
        CommandRejected r = (CommandRejected) JsonLines.parseOutput(line, 1).value();
        assertThat(r.getCommandId()).isEmpty();
        assertThat(r.getKey()).isEmpty();
    }

    @Test
    void catchUpCompleteIsAControlFrame() {
        assertThat(frames.catchUpComplete("k", "CH1", 4, 9, 5, true)).isEqualTo(
                "{\"type\":\"CatchUpComplete\",\"commandId\":\"k\",\"conversationSid\":\"CH1\",\"afterIndex\":4,"
                        + "\"lastIndex\":9,\"count\":5,\"complete\":true}");
    }
}
