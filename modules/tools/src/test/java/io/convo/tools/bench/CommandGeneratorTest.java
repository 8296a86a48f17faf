package io.convo.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.CommandRejected;
import io.convo.model.json.JsonLines;
import io.convo.operate.Simulator;
import io.convo.rules.Events;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class CommandGeneratorTest {

    @Test
    void theSameSeedGivesTheSameCommandsAndAnotherSeedOthers() {
        List<String> first = lines(CommandGenerator.generate(CommandGenerator.Settings.defaults(7), 2_000));
        List<String> again = lines(CommandGenerator.generate(CommandGenerator.Settings.defaults(7), 2_000));
        List<String> other = lines(CommandGenerator.generate(CommandGenerator.Settings.defaults(8), 2_000));
        assertThat(again).isEqualTo(first);
        assertThat(other).doesNotContainAnyElementsOf(first);
    }

    @Test
    void everyCommandGetsTheOutcomeTheGeneratorExpectsFromTheTopology() {
        CommandGenerator.Settings settings = CommandGenerator.Settings.defaults(42).withMaxConversations(300);
        List<CommandGenerator.Generated> commands = CommandGenerator.generate(settings, 15_000);
        Map<String, Long> outcomes = new HashMap<>();
        try (Simulator convo = new Simulator(new Properties())) {
            for (CommandGenerator.Generated g : commands) {
                List<Simulator.Output> outputs = convo.pipe(g.command());
                String outcome = outcomeOf(g.commandId(), outputs);
                assertThat(outcome).as("outcome of %s: %s", JsonLines.commandLine(g.command().envelope()), outputs)
                        .isEqualTo(g.expected());
                outcomes.merge(outcome, 1L, Long::sum);
            }
        }
        long rejected = outcomes.entrySet().stream().filter(e -> Character.isUpperCase(e.getKey().charAt(1)))
                .mapToLong(Map.Entry::getValue).sum();
        assertThat(rejected).as("rejections in %s", outcomes).isBetween(700L, 2_300L);
        assertThat(outcomes).containsKeys("ConversationCreated", "ParticipantAdded", "MessageAdded", "ParticipantUpdated",
                "ParticipantRemoved", "ConversationUpdated", "ConversationDeleted", "UserCreated", "RoleCreated",
                "RATE_LIMITED", "DUPLICATE_COMMAND", "CONVERSATION_NOT_FOUND", "CONVERSATION_CLOSED",
                "PARTICIPANT_EXISTS", "PARTICIPANT_NOT_FOUND", "FRIENDLY_NAME_TOO_LONG", "INVALID_COMMAND",
                "MESSAGE_NOT_FOUND");
    }

    /** The one event or rejection carrying the command's id among what it caused. */
    private static String outcomeOf(String commandId, List<Simulator.Output> outputs) {
        String outcome = null;
        for (Simulator.Output o : outputs) {
            String found = null;
            if (o.value() instanceof CommandRejected r && commandId.equals(r.getCommandId())) {
                found = r.getCode();
            } else if (o.value() instanceof io.convo.model.ConversationEvent e
                    && e.getEvent() instanceof SpecificRecord event && commandId.equals(Events.commandId(event))) {
                found = event.getSchema().getName();
            } else if (o.value() instanceof io.convo.model.ServiceEvent e && commandId.equals(Events.commandId((SpecificRecord) e.getEvent()))) {
                found = ((SpecificRecord) e.getEvent()).getSchema().getName();
            }
            if (found != null) {
                assertThat(outcome).as("a second outcome for %s: %s", commandId, found).isNull();
                outcome = found;
            }
        }
        return outcome;
    }

    private static List<String> lines(List<CommandGenerator.Generated> commands) {
        return commands.stream().map(g -> JsonLines.commandLine(g.command().envelope())).toList();
    }
}
