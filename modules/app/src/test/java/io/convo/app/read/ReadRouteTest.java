package io.convo.app.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.Conversation;
import io.convo.internal.ParticipantState;
import io.convo.model.Channel;
import io.convo.model.ConversationState;
import io.convo.rules.identity.IdentityAggregate;
import org.junit.jupiter.api.Test;

class ReadRouteTest {

    @Test
    void conversationResourcesAreOwnedByTheConversationsPartition() {
        ReadRoute unread = ReadRoute.parse("/v1/conversations/CH1/participants/MB1/unread");
        assertThat(unread.kind()).isEqualTo(ReadRoute.Kind.UNREAD);
        assertThat(unread.key()).isEqualTo("CH1");
        assertThat(unread.ids()).containsExactly("CH1", "MB1");

        ReadRoute delivery = ReadRoute.parse("/v1/conversations/CH1/messages/IM1/delivery");
        assertThat(delivery.kind()).isEqualTo(ReadRoute.Kind.DELIVERY);
        assertThat(delivery.key()).as("the message lives with its conversation").isEqualTo("CH1");
        assertThat(ReadRoute.parse("/v1/conversations/CH1").kind()).isEqualTo(ReadRoute.Kind.CONVERSATION);
        assertThat(ReadRoute.parse("/v1/conversations/CH1/participants/").kind()).isEqualTo(ReadRoute.Kind.PARTICIPANTS);
    }

    @Test
    void anIdentitysConversationsAreOwnedByTheServiceAndIdentityKeyWithDecodedSegments() {
        ReadRoute route = ReadRoute.parse("/v1/services/IS1/identities/alice%40example.com+1/conversations");
        assertThat(route.kind()).isEqualTo(ReadRoute.Kind.IDENTITY_CONVERSATIONS);
        assertThat(route.key()).isEqualTo(IdentityAggregate.key("IS1", "alice@example.com+1"));
    }

    @Test
    void unknownPathsHaveNoRoute() {
        assertThat(ReadRoute.parse("/")).isNull();
        assertThat(ReadRoute.parse("/v2/conversations/CH1")).isNull();
        assertThat(ReadRoute.parse("/v1/conversations")).isNull();
        assertThat(ReadRoute.parse("/v1/conversations/CH1/messages/IM1")).isNull();
        assertThat(ReadRoute.parse("/v1/services/IS1/identities/alice")).isNull();
    }

    @Test
    void unreadIsLastIndexPlusOneMinusLastReadPlusOne() {
        ParticipantState never = new ParticipantState("MB1", Channel.chat, "a", null, null, null, null, null, null, 0L, 0L);
        ParticipantState some = new ParticipantState("MB2", Channel.chat, "b", null, null, null, null, null, 6L, 0L, 1L);
        ParticipantState all = new ParticipantState("MB3", Channel.chat, "c", null, null, null, null, null, 9L, 0L, 2L);
        Conversation c = new Conversation("IS1", "CH1", null, null, null, ConversationState.active, 10L, 3, 0, 0, 3L);
        assertThat(LocalReads.unread(c, never)).isEqualTo(10);
        assertThat(LocalReads.unread(c, some)).isEqualTo(3);
        assertThat(LocalReads.unread(c, all)).isZero();
    }
}
