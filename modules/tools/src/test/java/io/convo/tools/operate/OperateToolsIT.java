package io.convo.tools.operate;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.Conversation;
import io.convo.internal.Membership;
import io.convo.model.TopicNames;
import io.convo.model.json.JsonLines;
import io.convo.model.json.OutputLine;
import io.convo.model.serde.ConvoSerdes;
import io.convo.operate.EventLogReplay;
import io.convo.operate.ProduceCommand;
import io.convo.operate.ReplayCommand;
import io.convo.operate.StateComparison;
import io.convo.operate.StoreSnapshot;
import io.convo.operate.TailCommand;
import io.convo.operate.VerifiedStore;
import io.convo.testkit.KafkaBrokerExtension;
import io.convo.testkit.KafkaTestClients;
import io.convo.tools.bench.Benchmark;
import io.convo.tools.bench.CommandGenerator;
import io.convo.tools.bench.OutcomeTracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** produce, tail and replay against a running application on the embedded broker. */
class OperateToolsIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("try") // the running application is the resource; the test talks to it through Kafka
    void producedCommandsComeOutOfTailWithTheirExpectedOutcomesAndReplayFindsTheSameState() throws Exception {
        Properties app = ConvoInstance.config(kafka.bootstrapServers(), "tools.", "tools-app", dir.resolve("state"));
        TopicNames topics = TopicNames.withPrefix("tools.");
        ConvoInstance.createTopics(kafka.bootstrapServers(), topics, 4);
        List<CommandGenerator.Generated> commands = ConvoInstance.commands(11, 60, 3_000);
        Path cfg = ConvoInstance.configFile(dir, app);
        try (ConvoInstance ignored = new ConvoInstance(app, null)) {
            ConvoInstance.Run produced = ConvoInstance.cli(new ProduceCommand(), "--config", cfg.toString(),
                    ConvoInstance.commandFile(dir, commands).toString());
            assertThat(produced.exitCode()).as(produced.err()).isZero();
            assertThat(produced.out()).contains("sent 3000, failed 0, malformed lines 0");

            // Each command has exactly one outcome: an event or a rejection.
            ConvoInstance.Run tailed = ConvoInstance.cli(new TailCommand(), "--config", cfg.toString(), "--from-beginning",
                    "--max", "3000", "conversation-events", "service-events", "command-rejections");
            assertThat(tailed.exitCode()).as(tailed.err()).isZero();
            List<String> lines = tailed.out().lines().toList();
            assertThat(lines).hasSize(3_000);
            assertThat(outcomes(lines)).isEqualTo(expected(commands));

            String key = commands.get(0).command().key();
            ConvoInstance.Run one = ConvoInstance.cli(new TailCommand(), "--config", cfg.toString(), "--from-beginning",
                    "--to-end", "--key", key, "conversation-events");
            assertThat(one.out().lines().toList()).isNotEmpty()
                    .allSatisfy(l -> assertThat(JsonLines.parseOutput(l, 1).key()).isEqualTo(key));

            ConvoInstance.Run replayed = ConvoInstance.cli(new ReplayCommand(), "--config", cfg.toString());
            assertThat(replayed.exitCode()).as(replayed.out() + replayed.err()).isZero();
            assertThat(replayed.out()).contains("state equal: the event log rebuilds what application 'tools-app' holds");
        }
    }

    @Test
    @SuppressWarnings("try") // the running application is the resource; the test talks to it through Kafka
    void aCorruptedChangelogIsReportedDifferenceByDifferenceAndReplayExitsNonZero() throws Exception {
        Properties app = ConvoInstance.config(kafka.bootstrapServers(), "corrupt.", "corrupt-app", dir.resolve("state"));
        TopicNames topics = TopicNames.withPrefix("corrupt.");
        ConvoInstance.createTopics(kafka.bootstrapServers(), topics, 4);
        List<CommandGenerator.Generated> commands = ConvoInstance.commands(12, 40, 1_500);
        Path cfg = ConvoInstance.configFile(dir, app);
        try (ConvoInstance ignored = new ConvoInstance(app, null)) {
            assertThat(ConvoInstance.cli(new ProduceCommand(), "--config", cfg.toString(),
                    ConvoInstance.commandFile(dir, commands).toString()).exitCode()).isZero();
            ConvoInstance.cli(new TailCommand(), "--config", cfg.toString(), "--from-beginning", "--max", "1500",
                    "conversation-events", "service-events", "command-rejections");
            assertThat(ConvoInstance.cli(new ReplayCommand(), "--config", cfg.toString()).exitCode()).isZero();

            // A conversation with participants, as the event log has it: write a wrong version of it into the
            // changelog (same key, so same partition, after the real one), and drop an identity's memberships.
            Conversation victim;
            String membershipKey;
            try (EventLogReplay replay = new EventLogReplay(app)) {
                replay.catchUp(null);
                StoreSnapshot state = replay.projection().state();
                Membership member = (Membership) state.entries(VerifiedStore.IDENTITY_MEMBERSHIPS).firstEntry().getValue();
                victim = (Conversation) state.entries(VerifiedStore.CONVERSATIONS).get(member.getConversationSid());
                membershipKey = state.entries(VerifiedStore.IDENTITY_MEMBERSHIPS).firstKey();
            }
            long next = victim.getNextMessageIndex();
            Conversation wrong = Conversation.newBuilder(victim).setNextMessageIndex(next + 7).build();
            try (KafkaProducer<String, byte[]> producer = KafkaTestClients.producer(kafka.bootstrapServers(),
                    new StringSerializer(), new ByteArraySerializer(), Map.of())) {
                producer.send(new ProducerRecord<>("corrupt-app-conversations-changelog", victim.getConversationSid(),
                        ConvoSerdes.internalSerde(Conversation.class).serializer().serialize("x", wrong))).get();
                producer.send(new ProducerRecord<>("corrupt-app-identity-memberships-changelog", membershipKey, null)).get();
            }

            ConvoInstance.Run replayed = ConvoInstance.cli(new ReplayCommand(), "--config", cfg.toString(),
                    "--settle-timeout", "PT2S");
            assertThat(replayed.exitCode()).as(replayed.out()).isEqualTo(1);
            assertThat(replayed.out())
                    .contains("conversations " + victim.getConversationSid() + " nextMessageIndex: live " + (next + 7)
                            + ", replayed " + next)
                    .contains("identity-memberships " + StateComparison.printableKey(membershipKey) + ": live absent")
                    .contains("state differs: 2 differences in 2 keys");
        }
    }

    @Test
    void malformedLinesAreReportedWithTheirNumberSkippedAndMakeTheExitCodeOne() throws Exception {
        Properties app = ConvoInstance.config(kafka.bootstrapServers(), "bad.", "bad-app", dir.resolve("state"));
        ConvoInstance.createTopics(kafka.bootstrapServers(), TopicNames.withPrefix("bad."), 4);
        Path cfg = ConvoInstance.configFile(dir, app);
        Path file = ConvoInstance.commandFile(dir, ConvoInstance.commands(13, 10, 20));
        Files.writeString(file, Files.readString(file) + "{\"type\":\"SendMessage\"\nnot json\n\n");
        ConvoInstance.Run produced = ConvoInstance.cli(new ProduceCommand(), "--config", cfg.toString(), file.toString());
        assertThat(produced.exitCode()).isEqualTo(1);
        assertThat(produced.out()).contains("sent 20, failed 0, malformed lines 2");
        assertThat(produced.err()).contains("line 22: ").contains("line 23: ");

        ConvoInstance.Run missing = ConvoInstance.cli(new ProduceCommand(), "--config", cfg.toString(),
                "--bootstrap-servers", kafka.bootstrapServers(), "nope.jsonl");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file");
    }

    /** Each commandId's outcomes, sorted (a resent command has the original's and DUPLICATE_COMMAND). */
    static Map<String, List<String>> outcomes(List<String> lines) {
        Map<String, List<String>> byCommand = new HashMap<>();
        for (String line : lines) {
            OutputLine out = JsonLines.parseOutput(line, 1);
            OutcomeTracker.Outcome o = Benchmark.outcomeOf(out.value());
            if (o != null) {
                byCommand.computeIfAbsent(o.commandId(), id -> new ArrayList<>()).add(o.name());
            }
        }
        byCommand.values().forEach(Collections::sort);
        return byCommand;
    }

    static Map<String, List<String>> expected(List<CommandGenerator.Generated> commands) {
        Map<String, List<String>> byCommand = new HashMap<>();
        for (CommandGenerator.Generated g : commands) {
            byCommand.computeIfAbsent(g.commandId(), id -> new ArrayList<>()).add(g.expected());
        }
        byCommand.values().forEach(Collections::sort);
        return byCommand;
    }
}
