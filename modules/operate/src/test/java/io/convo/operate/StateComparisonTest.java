package io.convo.operate;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.Conversation;
import io.convo.internal.Membership;
import io.convo.internal.MessageState;
import io.convo.internal.ParticipantState;
import io.convo.model.Channel;
import io.convo.model.ConversationState;
import io.convo.rules.state.StateKeys;
import org.junit.jupiter.api.Test;

class StateComparisonTest {

    private final StoreSnapshot live = new StoreSnapshot();
    private final StoreSnapshot replayed = new StoreSnapshot();

    @Test
    void equalSnapshotsHaveNoDifferences() {
        live.put(VerifiedStore.CONVERSATIONS, "CH1", conversation(3));
        replayed.put(VerifiedStore.CONVERSATIONS, "CH1", conversation(3));
        live.put(VerifiedStore.PARTICIPANTS, StateKeys.key("CH1", "MB1"), participant("MB1", 2L));
        replayed.put(VerifiedStore.PARTICIPANTS, StateKeys.key("CH1", "MB1"), participant("MB1", 2L));
        StateComparison.Result result = StateComparison.compare(live, replayed, 10);
        assertThat(result.equal()).isTrue();
        assertThat(result.stores().get(0).live()).isEqualTo(1);
    }

    @Test
    void aDifferentReadHorizonIsNamedByConversationParticipantAndField() {
        live.put(VerifiedStore.PARTICIPANTS, StateKeys.key("CH1", "MB1"), participant("MB1", 2L));
        replayed.put(VerifiedStore.PARTICIPANTS, StateKeys.key("CH1", "MB1"), participant("MB1", 1L));
        StateComparison.Result result = StateComparison.compare(live, replayed, 10);
        assertThat(result.differenceCount()).isEqualTo(1);
        assertThat(result.differences().get(0).describe())
                .isEqualTo("participants CH1/MB1 lastReadMessageIndex: live 2, replayed 1");
    }

    @Test
    void aMissingParticipantAndAMissingMessageAreReportedAsAbsent() {
        replayed.put(VerifiedStore.PARTICIPANTS, StateKeys.key("CH1", "MB2"), participant("MB2", null));
        replayed.put(VerifiedStore.MESSAGES, StateKeys.key("CH1", "IM1"), new MessageState("IM1", 0L, "alice"));
        StateComparison.Result result = StateComparison.compare(live, replayed, 10);
        assertThat(result.differences()).extracting(StateComparison.Difference::describe).containsExactly(
                "participants CH1/MB2: live absent, replayed {\"participantSid\": \"MB2\", \"channel\":"
                        + " \"chat\", \"identity\": \"MB2-identity\", \"projectedAddress\": null, \"address\": null,"
                        + " \"proxyAddress\": null, \"roleSid\": null, \"attributes\": null, \"lastReadMessageIndex\": null,"
                        + " \"joinedAtIndex\": 0, \"joinSeq\": 0}",
                "messages CH1/IM1: live absent, replayed {\"messageSid\": \"IM1\", \"index\": 0, \"author\": \"alice\"}");
        assertThat(result.stores()).filteredOn(c -> c.differingKeys() > 0).hasSize(2);
    }

    @Test
    void aMembershipHeldOnOneSideOnlyIsNamedByServiceIdentityAndConversation() {
        live.put(VerifiedStore.IDENTITY_MEMBERSHIPS, StateKeys.key("IS1", "alice", "CH1"), new Membership("CH1"));
        assertThat(StateComparison.compare(live, replayed, 10).differences().get(0).describe())
                .isEqualTo("identity-memberships IS1/alice/CH1: live {\"conversationSid\": \"CH1\"}, replayed absent");
    }

    @Test
    void allDifferencesAreCountedButOnlyTheFirstAreKept() {
        for (int i = 0; i < 30; i++) {
            live.put(VerifiedStore.MESSAGES, StateKeys.key("CH1", "IM" + i), new MessageState("IM" + i, (long) i, "a"));
        }
        StateComparison.Result result = StateComparison.compare(live, replayed, 5);
        assertThat(result.differenceCount()).isEqualTo(30);
        assertThat(result.differences()).hasSize(5);
    }

    private static Conversation conversation(long next) {
        return new Conversation("IS1", "CH1", null, null, null, ConversationState.active, next, 1, 0, 0, 1L);
    }

    private static ParticipantState participant(String sid, Long lastRead) {
        return new ParticipantState(sid, Channel.chat, sid + "-identity", null, null, null, null, null, lastRead, 0L, 0L);
    }
}
