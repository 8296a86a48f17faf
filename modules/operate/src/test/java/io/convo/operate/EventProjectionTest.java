package io.convo.operate;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.Conversation;
import io.convo.internal.RoleState;
import io.convo.internal.UserState;
import io.convo.model.Channel;
import io.convo.model.ConversationCreated;
import io.convo.model.ConversationDeleted;
import io.convo.model.ConversationEvent;
import io.convo.model.ConversationState;
import io.convo.model.ConversationUpdated;
import io.convo.model.DeliveryStatus;
import io.convo.model.DeliverySummaryUpdated;
import io.convo.model.MessageAdded;
import io.convo.model.ParticipantAdded;
import io.convo.model.ParticipantRemoved;
import io.convo.model.RoleCreated;
import io.convo.model.RoleDeleted;
import io.convo.model.RoleType;
import io.convo.model.ServiceEvent;
import io.convo.model.UserCreated;
import io.convo.model.UserUpdated;
import io.convo.rules.identity.IdentityAggregate;
import io.convo.rules.state.StateKeys;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class EventProjectionTest {

    private static final String IS = "IS1";
    private static final String CH = "CH1";
    private long t = 1_800_000_000_000L;
    private int ids;
    private final EventProjection projection = new EventProjection();


    @Test
    void removingAParticipantOrClosingTheConversationReleasesChatMemberships() {
        conversation(created());
        conversation(chat("MB1", "alice"));
        conversation(chat("MB2", "bob"));
        conversation(new ParticipantRemoved(id(), IS, t, CH, "MB1", "alice"));
        assertThat(memberships("alice")).isNull();
        assertThat(memberships("bob")).containsExactly(CH);

        conversation(new ConversationUpdated(id(), IS, t, CH, null, null, ConversationState.closed));
        assertThat(memberships("bob")).isNull();
        assertThat(this.<Conversation>get(VerifiedStore.CONVERSATIONS, CH).getState())
                .isEqualTo(ConversationState.closed);
    }

    @Test
    void deletingAConversationDropsItsMessagesAndSummariesAndReleasesItsMembersButNotOtherConversations() {
        conversation(created());
        conversation(chat("MB1", "alice"));
        conversation(message("IM1", 0));
        conversation(summary("IM1", "MB1", DeliveryStatus.delivered));
        projection.apply("CH2", new ConversationEvent(new ConversationCreated(id(), IS, t, "CH2", null, null, null,
                ConversationState.active)));
        projection.apply("CH2", new ConversationEvent(new ParticipantAdded(id(), IS, t, "CH2", "MB9", Channel.chat, "alice",
                null, null, null, null)));
        projection.apply("CH2", new ConversationEvent(new MessageAdded(id(), IS, t, "CH2", "IM1", 0L, "alice", "hi", List.of(), null)));

        conversation(new ConversationDeleted(id(), IS, t, CH));

        assertThat(projection.state().size(VerifiedStore.CONVERSATIONS)).isEqualTo(1);
        assertThat(projection.state().entries(VerifiedStore.MESSAGES).keySet()).containsExactly(StateKeys.key("CH2", "IM1"));
        assertThat(projection.state().entries(VerifiedStore.PARTICIPANTS).keySet()).containsExactly(StateKeys.key("CH2", "MB9"));
        assertThat(projection.state().size(VerifiedStore.DELIVERY_SUMMARIES)).isZero();
        assertThat(projection.state().size(VerifiedStore.DELIVERY_STATUSES)).isZero();
        assertThat(memberships("alice")).containsExactly("CH2");
    }


    @Test
    void usersAndRolesFollowTheServiceEvents() {
        service(new UserCreated(id(), IS, t, "alice", "Alice", null, null));
        service(new UserUpdated(id(), IS, t, "alice", "Alice A.", "{}", "RL1"));
        service(new RoleCreated(id(), IS, t, "RL1", "admin", RoleType.service, List.of("all")));
        service(new RoleCreated(id(), IS, t, "RL2", "guest", RoleType.conversation, List.of()));
        service(new RoleDeleted(id(), IS, t, "RL2"));

        UserState alice = get(VerifiedStore.USERS, StateKeys.key(IS, "alice"));
        assertThat(alice.getFriendlyName()).isEqualTo("Alice A.");
        assertThat(alice.getRoleSid()).isEqualTo("RL1");
        assertThat(projection.state().entries(VerifiedStore.ROLES).keySet()).containsExactly(StateKeys.key(IS, "RL1"));
        assertThat(this.<RoleState>get(VerifiedStore.ROLES, StateKeys.key(IS, "RL1")).getPermissions()).containsExactly("all");
    }

    @Test
    void anEventForAConversationTheLogNeverCreatedIsCountedAsAnAnomaly() {
        conversation(message("IM1", 0));
        assertThat(projection.anomalyCount()).isEqualTo(1);
        assertThat(projection.anomalies().get(0)).contains(CH).contains("MessageAdded");
        assertThat(projection.state().size(VerifiedStore.MESSAGES)).isZero();
    }


    private List<String> memberships(String identity) {
        List<String> held = new IdentityAggregate(projection.state().identityStores(), IdentityAggregate.key(IS, identity))
                .conversations();
        return held.isEmpty() ? null : held;
    }

    @SuppressWarnings("unchecked")
    private <V extends SpecificRecord> V get(VerifiedStore store, String key) {
        return (V) projection.state().entries(store).get(key);
    }

    private void conversation(SpecificRecord event) {
        projection.apply(CH, new ConversationEvent(event));
        t += 100;
    }

    private void service(SpecificRecord event) {
        projection.apply(IS, new ServiceEvent(event));
        t += 100;
    }

    private ConversationCreated created() {
        return new ConversationCreated(id(), IS, t, CH, "Support", null, null, ConversationState.active);
    }

    private ParticipantAdded chat(String sid, String identity) {
        return new ParticipantAdded(id(), IS, t, CH, sid, Channel.chat, identity, null, null, null, null);
    }


    private MessageAdded message(String sid, long index) {
        return new MessageAdded(id(), IS, t, CH, sid, index, "alice", "hello", List.of(), null);
    }


    private DeliverySummaryUpdated summary(String messageSid, String participantSid, DeliveryStatus status) {
        return new DeliverySummaryUpdated(t, CH, messageSid, 0L, participantSid, status, 0, 0, 0, 0, 0);
    }

    private String id() {
        return "CM" + ++ids;
    }
}
