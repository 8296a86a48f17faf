package io.convo.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.Channel;
import io.convo.model.Delivery;
import io.convo.model.json.JsonLines;
import io.convo.model.json.OutputLine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTransportTest {

    @TempDir
    Path dir;

    @Test
    void appendsEachDeliveryAsAnOutputLineAndReportsItSent() throws Exception {
        Path file = dir.resolve("out/sms.jsonl");
        Delivery first = Fixtures.delivery(Channel.sms, "CH1", "IM1", "MB1");
        Delivery second = Fixtures.mms("CH1", "IM2", "MB1");
        try (LogTransport transport = new LogTransport("delivery-sms", file)) {
            assertThat(transport.send(first)).isEqualTo(SendOutcome.sent(1));
            assertThat(transport.send(second)).isEqualTo(SendOutcome.sent(1));
        }

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(2);
        OutputLine line = JsonLines.parseOutput(lines.get(1), 2);
        assertThat(line.topic()).isEqualTo("delivery-sms");
        assertThat(line.key()).isEqualTo("CH1");
        assertThat(line.value()).isEqualTo(second);
    }

    @Test
    void keepsAppendingAfterARestart() throws Exception {
        Path file = dir.resolve("sms.jsonl");
        try (LogTransport transport = new LogTransport("delivery-sms", file)) {
            transport.send(Fixtures.delivery(Channel.sms, "CH1", "IM1", "MB1"));
        }
        try (LogTransport transport = new LogTransport("delivery-sms", file)) {
            transport.send(Fixtures.delivery(Channel.sms, "CH1", "IM2", "MB1"));
        }

        assertThat(Files.readAllLines(file)).hasSize(2);
    }

    @Test
    void withoutAFileLogsAndReportsSent() {
        try (LogTransport transport = new LogTransport(new ChannelSettings(Channel.chat, Map.of()))) {
            assertThat(transport.send(Fixtures.delivery(Channel.chat, "CH1", "IM1", "MB1"))).isEqualTo(SendOutcome.sent(1));
            assertThat(transport.describe()).isEqualTo("log");
        }
    }

    @Test
    void aFileItCannotWriteIsARetriableFailure() throws Exception {
        Path notAFolder = dir.resolve("plain-file");
        Files.writeString(notAFolder, "x");
        try (LogTransport transport = new LogTransport("delivery-sms", notAFolder.resolve("sms.jsonl"))) {
            SendOutcome outcome = transport.send(Fixtures.delivery(Channel.sms, "CH1", "IM1", "MB1"));

            assertThat(outcome).isInstanceOfSatisfying(SendOutcome.Failed.class, failed -> {
                assertThat(failed.code()).isEqualTo(FailureCodes.LOG_WRITE_FAILED);
                assertThat(failed.retriable()).isTrue();
            });
        }
    }
}
