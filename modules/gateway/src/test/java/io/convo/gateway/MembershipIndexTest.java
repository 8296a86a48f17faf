package io.convo.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.Channel;
import io.convo.model.MessagingBinding;
import io.convo.model.ParticipantAdded;
import io.convo.model.BindingType;
import org.junit.jupiter.api.Test;

class MembershipIndexTest {

    private final MembershipIndex index = new MembershipIndex();

    @Test
    void anIdentityParticipatesFromItsParticipantAddedUntilItsRemovalOrTheConversationsDeletion() {
        index.apply(Events.created("CH1"));
        assertThat(index.isParticipant("CH1", Events.SERVICE, "alice")).isFalse();
        index.apply(Events.chat("CH1", "MB1", "alice"));
        assertThat(index.isParticipant("CH1", Events.SERVICE, "alice")).isTrue();
        assertThat(index.isParticipant("CH1", Events.SERVICE, "bob")).isFalse();
        assertThat(index.isParticipant("CH2", Events.SERVICE, "alice")).isFalse();

        index.apply(Events.removed("CH1", "MB1", "alice"));
        assertThat(index.isParticipant("CH1", Events.SERVICE, "alice")).isFalse();

        index.apply(Events.chat("CH1", "MB2", "alice"));
        index.apply(Events.deleted("CH1"));
        assertThat(index.isParticipant("CH1", Events.SERVICE, "alice")).isFalse();
    }

    @Test
    void anIdentityOfAnotherServiceIsNotAParticipant() {
        index.apply(Events.created("CH1"));
        index.apply(Events.chat("CH1", "MB1", "alice"));
        assertThat(index.isParticipant("CH1", "IS-other", "alice")).isFalse();
    }

    @Test
    void aNonChatParticipantHasNoIdentityToIndex() {
        index.apply(Events.created("CH1"));
        index.apply(ParticipantAdded.newBuilder().setCommandId("p").setServiceSid(Events.SERVICE).setTimestamp(1L)
                .setConversationSid("CH1").setParticipantSid("MB9").setChannel(Channel.sms)
                .setMessagingBinding(MessagingBinding.newBuilder().setType(BindingType.sms).setAddress("+1555").build())
                .build());
        assertThat(index.isParticipant("CH1", Events.SERVICE, "+1555")).isFalse();
    }

    @Test
    void aSnapshotsMembersThenTheWindowsEventsRedoneEndAsTheLogLeavesThem() {
        // The snapshot was read after the window's events: alice left (MB1 gone), bob is in.
        index.seedConversation("CH1", Events.SERVICE);
        index.seedMember("CH1", "MB2", "bob");
        // The window, redone on top: alice's join and leave, bob's join again.
        index.apply(Events.chat("CH1", "MB1", "alice"));
        index.apply(Events.chat("CH1", "MB2", "bob"));
        index.apply(Events.removed("CH1", "MB1", "alice"));
        assertThat(index.isParticipant("CH1", Events.SERVICE, "alice")).isFalse();
        assertThat(index.isParticipant("CH1", Events.SERVICE, "bob")).isTrue();
        assertThat(index.chatMembers("CH1")).containsOnlyKeys("bob");
        index.seedMember("CH-unknown", "MB1", "carol");
        assertThat(index.isParticipant("CH-unknown", Events.SERVICE, "carol")).as("no conversation seeded").isFalse();
    }
}
