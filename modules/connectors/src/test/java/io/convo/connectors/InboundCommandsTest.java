package io.convo.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convo.model.Channel;
import io.convo.model.ConversationCommand;
import io.convo.model.Media;
import io.convo.model.SendMessage;
import io.convo.model.json.CommandLine;
import io.convo.model.json.CommandTopic;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class InboundCommandsTest {

    private static final BindingDirectory.Found SENDER = new BindingDirectory.Found("CH1", "MB1");

    private static InboundMessage message(String json) {
        return InboundMessage.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anInboundMmsBecomesASendMessageAuthoredByTheSendersAddress() {
        InboundMessage message = message("""
                {"serviceSid":"IS1","from":"+15551230001","to":"+15559990000","channel":"mms","messageId":"SM123",
                 "body":"look","media":[{"contentType":"image/jpeg","size":2048,"filename":"a.jpg","url":"https://x/a"}]}""");

        CommandLine line = InboundCommands.sendMessage(message, SENDER, 1_800_000_000_000L);

        assertThat(line.topic()).isEqualTo(CommandTopic.CONVERSATION);
        assertThat(line.key()).isEqualTo("CH1");
        assertThat(line.timestamp()).isEqualTo(1_800_000_000_000L);
        assertThat(line.envelope()).isInstanceOf(ConversationCommand.class);
        SendMessage command = (SendMessage) line.command();
        assertThat(command.getAuthor()).isEqualTo("+15551230001");
        assertThat(command.getConversationSid()).isEqualTo("CH1");
        assertThat(command.getServiceSid()).isEqualTo("IS1");
        assertThat(command.getBody()).isEqualTo("look");
        assertThat(command.getMedia()).containsExactly(new Media("image/jpeg", 2048L, "a.jpg"));
        assertThat(command.getCommandId()).startsWith("inbound-");
        assertThat(command.getMessageSid()).matches("IM[0-9a-f]{32}");
    }

    @Test
    void theSameProviderMessageIsTheSameCommandSoARetryIsADuplicate() {
        String json = """
                {"serviceSid":"IS1","from":"+15551230001","to":"+15559990000","channel":"sms","messageId":"SM123","body":"hi"}""";

        SendMessage first = (SendMessage) InboundCommands.sendMessage(message(json), SENDER, 1).command();
        SendMessage retry = (SendMessage) InboundCommands.sendMessage(message(json), SENDER, 2).command();
        SendMessage other = (SendMessage) InboundCommands.sendMessage(message(json.replace("SM123", "SM124")), SENDER, 3)
                .command();

        assertThat(retry.getCommandId()).isEqualTo(first.getCommandId());
        assertThat(retry.getMessageSid()).isEqualTo(first.getMessageSid());
        assertThat(other.getCommandId()).isNotEqualTo(first.getCommandId());
    }

    @Test
    void withoutAProviderIdEachPostIsANewCommand() {
        String json = """
                {"serviceSid":"IS1","from":"+15551230001","to":"+15559990000","channel":"sms","body":"hi"}""";

        assertThat(((SendMessage) InboundCommands.sendMessage(message(json), SENDER, 1).command()).getCommandId())
                .isNotEqualTo(((SendMessage) InboundCommands.sendMessage(message(json), SENDER, 1).command()).getCommandId());
    }

    @Test
    void badMediaIsReportedWithItsFieldPath() {
        InboundMessage message = message("""
                {"serviceSid":"IS1","from":"+1","to":"+2","channel":"mms","media":[{"contentType":"image/png","size":1},
                 {"contentType":"image/png","size":"big"}]}""");

        assertThatThrownBy(() -> InboundCommands.sendMessage(message, SENDER, 1))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("media[1].size"));
    }

    @Test
    void malformedInboundMessagesNameTheField() {
        assertThatThrownBy(() -> message("{\"serviceSid\":\"IS1\",\"to\":\"+2\",\"channel\":\"sms\"}"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("from"));
        assertThatThrownBy(() -> message("{\"serviceSid\":\"IS1\",\"from\":\"+1\",\"to\":\"+2\",\"channel\":\"chat\"}"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("channel"));
        assertThatThrownBy(() -> message("{\"serviceSid\":\"IS1\",\"from\":\"+1\",\"to\":\"+2\",\"channel\":\"sms\","
                + "\"media\":{}}"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("media"));
        assertThatThrownBy(() -> InboundCommands.sendMessage(message("{\"serviceSid\":\"IS1\",\"from\":\"+1\",\"to\":\"+2\","
                + "\"channel\":\"sms\",\"body\":42}"), SENDER, 1))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("body"));
    }

    @Test
    void theChannelIsParsed() {
        assertThat(message("{\"serviceSid\":\"IS1\",\"from\":\"+1\",\"to\":\"+2\",\"channel\":\"WhatsApp\"}").channel())
                .isEqualTo(Channel.whatsapp);
        assertThat(message("{\"serviceSid\":\"IS1\",\"from\":\"+1\",\"to\":\"+2\",\"channel\":\"sms\"}").media()).isNull();
        assertThat(List.of(InboundMessage.MEDIA_FIELDS)).containsExactly("contentType", "size", "filename");
    }
}
