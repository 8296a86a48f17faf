package io.convo.app.read;

import static org.assertj.core.api.Assertions.assertThat;

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
}
