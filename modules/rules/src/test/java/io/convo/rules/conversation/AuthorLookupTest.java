package io.convo.rules.conversation;

import static io.convo.rules.conversation.TestEvents.chatAdded;
import static io.convo.rules.conversation.TestEvents.created;
import static io.convo.rules.conversation.TestEvents.messageAdded;
import static io.convo.rules.conversation.TestEvents.participantRemoved;
import static io.convo.rules.conversation.TestEvents.participantUpdated;
import static io.convo.rules.conversation.TestEvents.smsAdded;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A message's author, asked for by its rules, its actor and its fan-out within one command, is looked up once and
 * looked up again whenever a participant changes in between.
 */
class AuthorLookupTest {

    private final ConversationAggregate.Stores stores = ConversationAggregate.Stores.inMemory();
    private final ConversationAggregate state = new ConversationAggregate(stores, "CH1");

    @Test
    void theAuthorFollowsEveryParticipantChangeOfTheSameAggregate() {
        ConversationFold.evolve(state, created("CH1"));
        assertThat(state.author("alice")).isNull();

        ConversationFold.evolve(state, chatAdded("CH1", "MB1", "alice"));
        assertThat(state.author("alice").getParticipantSid()).isEqualTo("MB1");

        ConversationFold.evolve(state, participantUpdated("CH1", "MB1", 0L));
        assertThat(state.author("alice").getLastReadMessageIndex()).as("the updated participant").isEqualTo(0L);

        ConversationFold.evolve(state, participantRemoved("CH1", "MB1", "alice"));
        assertThat(state.author("alice")).isNull();
    }

    @Test
    void aMessageLeavesTheAnswerAsItIsAndAnotherAuthorIsLookedUpAfresh() {
        ConversationFold.evolve(state, created("CH1"));
        ConversationFold.evolve(state, chatAdded("CH1", "MB1", "alice"));
        ConversationFold.evolve(state, smsAdded("CH1", "MB2", "+15550001", "+15559999"));
        assertThat(state.author("alice").getParticipantSid()).isEqualTo("MB1");

        ConversationFold.evolve(state, messageAdded("CH1", "IM1", 0, "alice", "hi"));

        assertThat(state.author("alice").getParticipantSid()).isEqualTo("MB1");
        assertThat(state.author("+15550001").getParticipantSid()).isEqualTo("MB2");
        assertThat(state.author("bob")).isNull();
    }
}
