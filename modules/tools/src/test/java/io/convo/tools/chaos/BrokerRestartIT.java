package io.convo.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The broker stopped for 30 s half way through the stream: convo recovers by itself, nothing lost or doubled. */
class BrokerRestartIT {

    @Test
    void convoRecoversFromA30SecondBrokerOutageWithEveryOutcomeOnce() throws Exception {
        Path work = Files.createTempDirectory("convo-broker-restart");
        ChaosHarness.Report report = new ChaosHarness(new ChaosHarness.Settings(5_000, 0, 1, 7L,
                Duration.ofSeconds(30), work, Path.of(System.getProperty("convo.app.jar")),
                ChaosWorkload.smallLimits())).run();
        System.out.println("BROKER-RESTART " + report);
        assertThat(report.commands()).isGreaterThanOrEqualTo(5_000);
        assertThat(report.differences()).as(report.differenceSample()).isZero();
        assertThat(report.replayExitCode()).as("convo replay: %s", report.replayOutput()).isZero();
        assertThat(report.replayOutput()).contains("state equal");
    }
}
