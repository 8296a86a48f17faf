package io.convo.rules.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.Conversation;
import io.convo.internal.ParticipantState;
import io.convo.model.Channel;
import io.convo.model.ConversationState;
import org.junit.jupiter.api.Test;

/** SPEC §5: a participant's unread count from the read horizon, exact because indexes have no gaps. */
class UnreadTest {

    @Test
    void unreadIsLastIndexPlusOneMinusLastReadPlusOne() {
        ConversationAggregate.Stores stores = ConversationAggregate.Stores.inMemory();
        stores.conversations().put("CH1", new Conversation("IS1", "CH1", null, null, null, ConversationState.active,
                10L, 3, 0, 0, 3L));
        ConversationAggregate c = new ConversationAggregate(stores, "CH1");
        ParticipantState never = new ParticipantState("MB1", Channel.chat, "a", null, null, null, null, null, null, 0L, 0L);
        ParticipantState some = new ParticipantState("MB2", Channel.chat, "b", null, null, null, null, null, 6L, 0L, 1L);
        ParticipantState all = new ParticipantState("MB3", Channel.chat, "c", null, null, null, null, null, 9L, 0L, 2L);
        assertThat(c.unread(never)).isEqualTo(10);
        assertThat(c.unread(some)).isEqualTo(3);
        assertThat(c.unread(all)).isZero();
    }
}
