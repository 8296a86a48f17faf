package io.convo.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.SendMessage;
import io.convo.model.json.CommandLine;
import io.convo.model.json.JsonLines;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpstreamFrameTest {

    @Test
    void readsACatchUpFrame() {
        UpstreamFrame f = UpstreamFrame.parse("{\"type\":\"CatchUp\",\"conversationSid\":\"CH1\",\"afterIndex\":4,\"commandId\":\"k\"}");
        assertThat(f.problem()).isNull();
        assertThat(f.isCatchUp()).isTrue();
        assertThat(f.afterIndex()).isEqualTo(4);
        assertThat(f.commandId()).isEqualTo("k");
    }

    @Test
    void refusesACatchUpWithoutAConversationOrAUsableIndex() {
        assertThat(UpstreamFrame.parse("{\"type\":\"CatchUp\",\"afterIndex\":4}").problem()).contains("conversationSid");
        assertThat(UpstreamFrame.parse("{\"type\":\"CatchUp\",\"conversationSid\":\"CH1\"}").problem()).contains("afterIndex");
        assertThat(UpstreamFrame.parse("{\"type\":\"CatchUp\",\"conversationSid\":\"CH1\",\"afterIndex\":-2}").problem())
                .contains("afterIndex");
        assertThat(UpstreamFrame.parse("{\"type\":\"CatchUp\",\"conversationSid\":\"CH1\",\"afterIndex\":\"4\"}").problem())
                .contains("afterIndex");
    }

    @Test
    void saysWhatIsWrongWithAFrameThatIsNoCommandObject() {
        assertThat(UpstreamFrame.parse("hello").problem()).startsWith("not JSON");
        assertThat(UpstreamFrame.parse("[1]").problem()).contains("object");
        assertThat(UpstreamFrame.parse("{\"commandId\":\"c1\"}").problem()).contains("type");
        assertThat(UpstreamFrame.parse("{\"commandId\":\"c1\"}").commandId()).isEqualTo("c1");
    }

    @Test
    void aCommandFrameGetsTheGatewaysTimestampAndTheTokensServiceAndAuthor() {
        UpstreamFrame f = UpstreamFrame.parse("{\"type\":\"SendMessage\",\"commandId\":\"c1\",\"conversationSid\":\"CH1\","
                + "\"author\":\"mallory\",\"serviceSid\":\"IS-x\",\"timestamp\":1,\"body\":\"hi\"}");
        CommandLine line = JsonLines.parseCommand(f.commandLine(1_800_000_000_000L), 1,
                Map.of("serviceSid", "IS1", "author", "alice"));
        SendMessage m = (SendMessage) line.command();
        assertThat(m.getAuthor()).isEqualTo("alice");
        assertThat(m.getServiceSid()).isEqualTo("IS1");
        assertThat(m.getTimestamp()).isEqualTo(1_800_000_000_000L);
        assertThat(line.key()).isEqualTo("CH1");
    }
}
