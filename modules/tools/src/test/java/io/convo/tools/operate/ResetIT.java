package io.convo.tools.operate;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.TopicNames;
import io.convo.operate.ProduceCommand;
import io.convo.operate.ReplayCommand;
import io.convo.operate.ResetCommand;
import io.convo.operate.TailCommand;
import io.convo.testkit.KafkaBrokerExtension;
import io.convo.testkit.KafkaTestClients;
import io.convo.tools.bench.CommandGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** convo reset: refuses without confirmation or while running; afterwards the application rebuilds the same state. */
class ResetIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("try") // the running application is the resource; the test talks to it through Kafka
    void aResetApplicationReprocessesEveryCommandIntoTheStateItsNewEventLogRebuilds() throws Exception {
        Properties app = ConvoInstance.config(kafka.bootstrapServers(), "reset.", "reset-app", dir.resolve("state"));
        TopicNames topics = TopicNames.withPrefix("reset.");
        ConvoInstance.createTopics(kafka.bootstrapServers(), topics, 4);
        List<CommandGenerator.Generated> commands = ConvoInstance.commands(31, 30, 1_000);
        Path cfg = ConvoInstance.configFile(dir, app);
        Path stateDir = Path.of(app.getProperty(StreamsConfig.STATE_DIR_CONFIG));
        String[] outcomes = {"--config", cfg.toString(), "--from-beginning", "--max", "1000", "conversation-events",
                "service-events", "command-rejections"};
        try (ConvoInstance ignored = new ConvoInstance(app, null)) {
            assertThat(ConvoInstance.cli(new ProduceCommand(), "--config", cfg.toString(),
                    ConvoInstance.commandFile(dir, commands).toString()).exitCode()).isZero();
            assertThat(ConvoInstance.cli(new TailCommand(), outcomes).out().lines().count()).isEqualTo(1_000);

            ConvoInstance.Run unconfirmed = ConvoInstance.cli(new ResetCommand(), "--config", cfg.toString());
            assertThat(unconfirmed.exitCode()).isEqualTo(2);
            assertThat(unconfirmed.err()).contains("--yes");
            ConvoInstance.Run whileRunning = ConvoInstance.cli(new ResetCommand(), "--config", cfg.toString(), "--yes");
            assertThat(whileRunning.exitCode()).isNotZero();
            assertThat(whileRunning.err()).contains("application 'reset-app' is running");
        }
        assertThat(stateDir.resolve("reset-app")).exists();

        ConvoInstance.Run dryRun = ConvoInstance.cli(new ResetCommand(), "--config", cfg.toString(), "--dry-run",
                "--delete-output-topics");
        assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
        assertThat(dryRun.out()).contains("would reset application 'reset-app'")
                .contains("delete internal topic reset-app-conversations-changelog")
                .contains("delete output topic reset.conversation-events")
                .contains("offset reset.conversation-commands-0 -> 0");
        assertThat(stateDir.resolve("reset-app")).as("a dry run changes nothing").exists();

        ConvoInstance.Run reset = ConvoInstance.cli(new ResetCommand(), "--config", cfg.toString(), "--yes",
                "--delete-output-topics");
        assertThat(reset.exitCode()).as(reset.err()).isZero();
        assertThat(stateDir.resolve("reset-app")).doesNotExist();
        try (Admin admin = KafkaTestClients.admin(kafka.bootstrapServers())) {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(names).noneMatch(n -> n.startsWith("reset-app-")).doesNotContain("reset.conversation-events")
                    .contains("reset.conversation-commands", "reset.delivery-receipts");
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("reset-app")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertThat(offsets.get(new TopicPartition("reset.conversation-commands", 0)).offset()).isZero();
            assertThat(offsets.keySet()).noneMatch(p -> p.topic().equals("reset.convo-check-replies"));
        }

        // As convo run: create what is missing and start; every command is decided again from nothing.
        ConvoInstance.createTopics(kafka.bootstrapServers(), topics, 4);
        try (ConvoInstance ignored = new ConvoInstance(app, null)) {
            ConvoInstance.Run again = ConvoInstance.cli(new TailCommand(), outcomes);
            assertThat(OperateToolsIT.outcomes(again.out().lines().toList())).isEqualTo(OperateToolsIT.expected(commands));
            ConvoInstance.Run replayed = ConvoInstance.cli(new ReplayCommand(), "--config", cfg.toString());
            assertThat(replayed.exitCode()).as(replayed.out()).isZero();
        }
        assertThat(Files.exists(stateDir.resolve("reset-app"))).isTrue();
    }
}
