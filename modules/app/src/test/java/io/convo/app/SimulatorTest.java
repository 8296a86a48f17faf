package io.convo.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.CommandRejected;
import io.convo.model.TopicNames;
import io.convo.model.json.JsonLines;
import io.convo.model.json.OutputLine;
import io.convo.operate.Simulator;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SimulatorTest {

    private static final TopicNames TOPICS = TopicNames.withPrefix("");
    private static final String CREATE = """
            {"type":"CreateConversation","commandId":"c1","serviceSid":"IS1","conversationSid":"CH1","friendlyName":"Support","timestamp":1800000000000}""";
    private static final String ADD_ALICE = """
            {"type":"AddParticipant","commandId":"c2","serviceSid":"IS1","conversationSid":"CH1","participantSid":"MB1","identity":"alice","timestamp":1800000000100}""";
    private static final String ADD_BOB = """
            {"type":"AddParticipant","commandId":"c3","serviceSid":"IS1","conversationSid":"CH1","participantSid":"MB2","identity":"bob","timestamp":1800000000200}""";
    private static final String CREATE_USER = """
            {"type":"CreateUser","commandId":"u1","serviceSid":"IS1","identity":"alice","friendlyName":"Alice","timestamp":1800000000300}""";

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void writesConversationCreatedOnConversationEventsForACreateConversation() throws IOException {
        List<OutputLine> lines = simulate(new Properties(), CREATE);

        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line.topic()).isEqualTo(TOPICS.conversationEvents());
            assertThat(line.key()).isEqualTo("CH1");
            assertThat(line.type()).isEqualTo("ConversationCreated");
        });
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void answersARepeatedCommandIdWithDuplicateCommand() throws IOException {
        List<OutputLine> lines = simulate(new Properties(), CREATE, CREATE);

        assertThat(lines).extracting(OutputLine::type).containsExactly("ConversationCreated", "CommandRejected");
        CommandRejected duplicate = (CommandRejected) lines.get(1).payload();
        assertThat(lines.get(1).topic()).isEqualTo(TOPICS.commandRejections());
        assertThat(duplicate.getCode()).isEqualTo("DUPLICATE_COMMAND");
        assertThat(duplicate.getCommandId()).isEqualTo("c1");
    }

    @Test
    void reportsAMalformedLineWithItsNumberAndGoesOnWithTheNextLine() throws IOException {
        List<OutputLine> lines = simulate(new Properties(), CREATE, "{\"type\":\"AddParticipant\",", ADD_ALICE);

        assertThat(err.toString()).startsWith("line 2: ");
        assertThat(err.toString().lines()).hasSize(1);
        assertThat(lines).extracting(OutputLine::type).containsExactly("ConversationCreated", "ParticipantAdded");
    }

    @Test
    void countsLinesIncludingSkippedBlankAndCommentLines() throws IOException {
        simulate(new Properties(), "# a comment", "", CREATE, "   ", "{\"type\":\"Nope\"}");

        assertThat(err.toString()).startsWith("line 5: field type: ");
    }

    @Test
    void writesServiceCommandOutcomesOnServiceEvents() throws IOException {
        List<OutputLine> lines = simulate(new Properties(), CREATE_USER);

        assertThat(lines).singleElement().satisfies(line -> {
            assertThat(line.topic()).isEqualTo(TOPICS.serviceEvents());
            assertThat(line.key()).isEqualTo("IS1");
            assertThat(line.type()).isEqualTo("UserCreated");
        });
    }

    @Test
    void addsAChatParticipantThroughTheIdentityCheckWithoutPrintingTheCheckLoop() throws IOException {
        List<OutputLine> lines = simulate(new Properties(), CREATE, ADD_ALICE);

        assertThat(lines).extracting(OutputLine::type).containsExactly("ConversationCreated", "ParticipantAdded");
        assertThat(lines).extracting(OutputLine::topic).doesNotContainAnyElementsOf(TOPICS.checkLoop());
    }

    @Test
    void appliesLimitsFromTheConfiguration() throws IOException {
        Properties config = new Properties();
        config.setProperty("convo.limits.participants-per-conversation", "1");

        List<OutputLine> lines = simulate(config, CREATE, ADD_ALICE, ADD_BOB);

        assertThat(lines).extracting(OutputLine::type)
                .containsExactly("ConversationCreated", "ParticipantAdded", "CommandRejected");
        assertThat(((CommandRejected) lines.get(2).payload()).getCode()).isEqualTo("PARTICIPANT_LIMIT");
    }

    @Test
    void keepsStateAcrossRunsOfOneSimulator() throws IOException {
        try (Simulator simulator = new Simulator(new Properties())) {
            simulator.run(new StringReader(CREATE), out, err);
            Simulator.Result second = simulator.run(new StringReader(ADD_ALICE), out, err);

            assertThat(second.commands()).isEqualTo(1);
            assertThat(second.outputLines()).isEqualTo(1);
        }
        assertThat(out.toString().lines().toList().get(1)).contains("\"ParticipantAdded\"");
    }

    @Test
    void answersEveryGeneratedCommandWithExactlyOneOutcome() throws IOException {
        List<String> commands = CommandGenerator.generate(2_000, 7, 1_800_000_000_000L);

        Simulator.Result result;
        try (Simulator simulator = new Simulator(new Properties())) {
            result = simulator.run(new StringReader(String.join("\n", commands)), out, err);
        }

        assertThat(err.toString()).isEmpty();
        assertThat(result.commands()).isEqualTo(commands.size());
        List<String> decisions = List.of(TOPICS.conversationEvents(), TOPICS.serviceEvents(), TOPICS.commandRejections());
        assertThat(out.toString().lines().map(line -> JsonLines.parseOutput(line, 0).topic()).filter(decisions::contains))
                .hasSize(commands.size());
    }

    private List<OutputLine> simulate(Properties config, String... lines) throws IOException {
        try (Simulator simulator = new Simulator(config)) {
            simulator.run(new StringReader(String.join("\n", lines)), out, err);
        }
        long[] number = {0};
        return Arrays.stream(out.toString().split("\n"))
                .filter(line -> !line.isBlank())
                .map(line -> JsonLines.parseOutput(line, ++number[0]))
                .toList();
    }
}
