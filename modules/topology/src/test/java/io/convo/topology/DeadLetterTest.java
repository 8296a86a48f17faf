package io.convo.topology;

import io.convo.model.DeadLetterHeaders;
import static io.convo.topology.Outcomes.accepted;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.ConversationCreated;
import io.convo.model.UserCreated;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Unreadable input records go to commands-dlq with the reason in headers, and processing goes on. */
class DeadLetterTest {

    private final CommandFactory given = new CommandFactory();
    private ConvoDriver convo;

    @BeforeEach
    void start() {
        convo = new ConvoDriver();
    }

    @AfterEach
    void stop() {
        convo.close();
    }

    @Test
    void routesGarbageBytesToTheDeadLetterQueueAndKeepsProcessing() {
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
        convo.sendRaw(convo.topics.conversationCommands(), "CH1", garbage, CommandFactory.START);
        convo.sendRaw(convo.topics.serviceCommands(), CommandFactory.SERVICE, garbage, CommandFactory.START);
        convo.sendRaw(convo.topics.conversationCommands(), "CH1", null, CommandFactory.START);
        convo.sendRaw(convo.topics.conversationCommands(), null, garbage, CommandFactory.START);
        assertThat(convo.outcomes()).isEmpty();

        List<TestRecord<String, byte[]>> dead = convo.dlq();
        assertThat(dead).hasSize(4);
        assertThat(dead.get(0).value()).isEqualTo(garbage);
        assertThat(header(dead.get(0), DeadLetterHeaders.TOPIC)).isEqualTo("conversation-commands");
        assertThat(header(dead.get(0), DeadLetterHeaders.REASON)).isNotBlank();
        assertThat(header(dead.get(1), DeadLetterHeaders.TOPIC)).isEqualTo("service-commands");
        assertThat(header(dead.get(2), DeadLetterHeaders.REASON)).isEqualTo("null value");
        assertThat(header(dead.get(3), DeadLetterHeaders.REASON)).startsWith("null key");

        accepted(convo.outcome(given.create("CH1")), ConversationCreated.class);
        accepted(convo.outcome(given.createUser("alice")), UserCreated.class);
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
