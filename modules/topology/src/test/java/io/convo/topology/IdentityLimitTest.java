package io.convo.topology;

import static io.convo.topology.Outcomes.accepted;
import static io.convo.topology.Outcomes.rejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.Membership;
import io.convo.rules.identity.IdentityAggregate;
import io.convo.rules.state.StateKeys;
import io.convo.model.CommandRejected;
import io.convo.model.ConversationCreated;
import io.convo.model.ConversationDeleted;
import io.convo.model.ConversationState;
import io.convo.model.ConversationUpdated;
import io.convo.model.ParticipantAdded;
import io.convo.model.ParticipantRemoved;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** L9: the conversations one chat identity belongs to, counted under the identity's key across conversations. */
class IdentityLimitTest {

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

    private void aliceJoins(int conversations) {
        for (int i = 1; i <= conversations; i++) {
            accepted(convo.outcome(given.create("CH" + i)), ConversationCreated.class);
            accepted(convo.outcome(given.chat("CH" + i, "MB" + i, "alice")), ParticipantAdded.class);
        }
    }

    @Test
    void acceptsThe1000thConversationOfAnIdentityAndRejectsThe1001stUntilOneIsClosed() {
        aliceJoins(1000);
        accepted(convo.outcome(given.create("CH1001")), ConversationCreated.class);
        CommandRejected r = rejected(convo.outcome(given.chat("CH1001", "MB1001", "alice")), "IDENTITY_CONVERSATION_LIMIT");
        assertThat(r.getTwilioCode()).isEqualTo(50214);
        assertThat(r.getLimit()).isEqualTo(1000);
        assertThat(r.getReason()).contains("alice").contains("1000 conversations");

        accepted(convo.outcome(given.update("CH17", ConversationState.closed)), ConversationUpdated.class);
        accepted(convo.outcome(given.chat("CH1001", "MB1001", "alice")), ParticipantAdded.class);
        rejected(convo.outcome(given.chat("CH1001", "MB1002", "alice")), "PARTICIPANT_EXISTS");
        assertThat(memberships("alice")).hasSize(1000).contains("CH1001").doesNotContain("CH17");
    }

    @Test
    void inactiveConversationsStillCount() {
        identityLimit(2);
        aliceJoins(2);
        accepted(convo.outcome(given.update("CH1", ConversationState.inactive)), ConversationUpdated.class);
        accepted(convo.outcome(given.create("CH3")), ConversationCreated.class);
        rejected(convo.outcome(given.chat("CH3", "MB3", "alice")), "IDENTITY_CONVERSATION_LIMIT");
    }

    @Test
    void removingTheParticipantReleasesTheMembership() {
        identityLimit(2);
        aliceJoins(2);
        accepted(convo.outcome(given.create("CH3")), ConversationCreated.class);
        rejected(convo.outcome(given.chat("CH3", "MB3", "alice")), "IDENTITY_CONVERSATION_LIMIT");
        accepted(convo.outcome(given.remove("CH1", "MB1")), ParticipantRemoved.class);
        accepted(convo.outcome(given.chat("CH3", "MB3", "alice")), ParticipantAdded.class);
    }

    @Test
    void deletingAConversationReleasesItsChatParticipantsMemberships() {
        identityLimit(1);
        aliceJoins(1);
        accepted(convo.outcome(given.chat("CH1", "MB-bob", "bob")), ParticipantAdded.class);
        accepted(convo.outcome(given.create("CH2")), ConversationCreated.class);
        rejected(convo.outcome(given.chat("CH2", "MB2", "alice")), "IDENTITY_CONVERSATION_LIMIT");
        accepted(convo.outcome(given.delete("CH1")), ConversationDeleted.class);
        accepted(convo.outcome(given.chat("CH2", "MB2", "alice")), ParticipantAdded.class);
        accepted(convo.outcome(given.chat("CH2", "MB3", "bob")), ParticipantAdded.class);
        assertThat(memberships("bob")).containsExactly("CH2");
    }

    @Test
    void closingThenDeletingReleasesOnlyOnce() {
        aliceJoins(2);
        accepted(convo.outcome(given.update("CH1", ConversationState.closed)), ConversationUpdated.class);
        accepted(convo.outcome(given.delete("CH1")), ConversationDeleted.class);
        assertThat(memberships("alice")).containsExactly("CH2");
    }

    @Test
    void identitiesAreCountedPerService() {
        identityLimit(1);
        aliceJoins(1);
        var other = io.convo.model.CreateConversation.newBuilder(given.create("CH-other")).setServiceSid("IS-other").build();
        accepted(convo.outcome(other), ConversationCreated.class);
        var join = io.convo.model.AddParticipant.newBuilder(given.chat("CH-other", "MB9", "alice")).setServiceSid("IS-other").build();
        accepted(convo.outcome(join), ParticipantAdded.class);
    }

    private void identityLimit(int limit) {
        Properties small = new Properties();
        small.put("convo.limits.conversations-per-identity", String.valueOf(limit));
        convo.close();
        convo = new ConvoDriver(small);
    }

    private java.util.List<String> memberships(String identity) {
        java.util.List<String> held = new java.util.ArrayList<>();
        try (var all = convo.<Membership>store(StoreNames.IDENTITY_MEMBERSHIPS).prefixScan(
                StateKeys.prefix(IdentityAggregate.key(CommandFactory.SERVICE, identity)),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            all.forEachRemaining(kv -> held.add(kv.value.getConversationSid()));
        }
        return held;
    }
}
