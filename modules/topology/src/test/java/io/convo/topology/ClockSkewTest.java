package io.convo.topology;

import static io.convo.topology.Outcomes.accepted;
import static io.convo.topology.Outcomes.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.CommandRejected;
import io.convo.model.ConversationCreated;
import io.convo.model.UserCreated;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A command timestamp far from the wall clock is rejected before it can move the stores' stream time. */
class ClockSkewTest {

    private static final long DAY = Duration.ofDays(1).toMillis();
    private final CommandFactory given = new CommandFactory();
    private ConvoDriver convo;

    @BeforeEach
    void start() {
        Properties config = new Properties();
        config.put(ConvoConfig.MAX_CLOCK_SKEW.name(), String.valueOf(DAY));
        convo = new ConvoDriver(config, Instant.ofEpochMilli(CommandFactory.START));
    }

    @AfterEach
    void stop() {
        convo.close();
    }

    @Test
    void acceptsATimestampWithinTheSkewAndRejectsOneBeyondItEitherWay() {
        accepted(convo.outcome(given.at(CommandFactory.START + DAY).create("CH-edge")), ConversationCreated.class);
        CommandRejected future = rejected(convo.outcome(given.at(CommandFactory.START + DAY + 1).create("CH-future")),
                "INVALID_COMMAND");
        assertThat(future.getReason()).contains("timestamp").contains(String.valueOf(DAY));
        rejected(convo.outcome(given.at(CommandFactory.START - DAY - 1).create("CH-past")), "INVALID_COMMAND");
        rejected(convo.outcome(given.at(Long.MAX_VALUE / 2).createUser("alice")), "INVALID_COMMAND");
        accepted(convo.outcome(given.at(CommandFactory.START + DAY).createUser("alice")), UserCreated.class);
    }

    @Test
    void aFarFutureCommandDoesNotExpireTheIdempotencyMemoryOfOthers() {
        var create = given.at(CommandFactory.START).create("CH1");
        accepted(convo.outcome(create), ConversationCreated.class);
        rejected(convo.outcome(given.at(CommandFactory.START + 400 * DAY).create("CH-far")), "INVALID_COMMAND");
        assertThat(rejected(convo.outcome(create), "DUPLICATE_COMMAND").getOriginalOutcome()).isEqualTo("ConversationCreated");
    }
}
