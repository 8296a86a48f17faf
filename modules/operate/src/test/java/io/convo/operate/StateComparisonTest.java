package io.convo.operate;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.ConversationAggregate;
import io.convo.internal.IdentityMemberships;
import io.convo.internal.MessageState;
import io.convo.internal.ParticipantState;
import io.convo.model.Channel;
import io.convo.model.ConversationState;
import io.convo.topology.StoreNames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateComparisonTest {

    private final StoreSnapshot live = new StoreSnapshot();
    private final StoreSnapshot replayed = new StoreSnapshot();

    @Test
    void equalSnapshotsHaveNoDifferences() {
        both(VerifiedStore.CONVERSATIONS, "CH1", conversation(3, participant("MB1", 2L), participant("MB2", null)));
        StateComparison.Result result = StateComparison.compare(live, replayed, 10);
        assertThat(result.equal()).isTrue();
        assertThat(result.stores().get(0).live()).isEqualTo(1);
    }

    @Test
    void aDifferentReadHorizonIsNamedByConversationParticipantAndField() {
        live.put(VerifiedStore.CONVERSATIONS, "CH1", conversation(3, participant("MB1", 2L)));
        replayed.put(VerifiedStore.CONVERSATIONS, "CH1", conversation(3, participant("MB1", 1L)));
        StateComparison.Result result = StateComparison.compare(live, replayed, 10);
        assertThat(result.differenceCount()).isEqualTo(1);
        assertThat(result.differences().get(0).describe())
                .isEqualTo("conversations CH1 participants[MB1].lastReadMessageIndex: live 2, replayed 1");
    }

    @Test
    void aMissingParticipantAndAMissingMessageAreReportedAsAbsent() {
        live.put(VerifiedStore.CONVERSATIONS, "CH1", conversation(3, participant("MB1", null)));
        replayed.put(VerifiedStore.CONVERSATIONS, "CH1", conversation(3, participant("MB1", null), participant("MB2", null)));
        replayed.put(VerifiedStore.MESSAGES, StoreNames.key("CH1", "IM1"), new MessageState("IM1", 0L, "alice"));
        StateComparison.Result result = StateComparison.compare(live, replayed, 10);
        assertThat(result.differences()).extracting(StateComparison.Difference::describe).containsExactly(
                "conversations CH1 participants[MB2]: live absent, replayed {\"participantSid\": \"MB2\", \"channel\":"
                        + " \"chat\", \"identity\": \"MB2-identity\", \"projectedAddress\": null, \"address\": null,"
                        + " \"proxyAddress\": null, \"roleSid\": null, \"attributes\": null, \"lastReadMessageIndex\": null,"
                        + " \"joinedAtIndex\": 0}",
                "messages CH1/IM1: live absent, replayed {\"messageSid\": \"IM1\", \"index\": 0, \"author\": \"alice\"}");
        assertThat(result.stores()).filteredOn(c -> c.differingKeys() > 0).hasSize(2);
    }

    @Test
    void membershipsAreComparedAsSetsBecauseTheirOrderDependsOnHowPartitionsInterleaved() {
        live.put(VerifiedStore.IDENTITY_MEMBERSHIPS, "IS1\u0000alice", new IdentityMemberships(new ArrayList<>(List.of("CH1", "CH2"))));
        replayed.put(VerifiedStore.IDENTITY_MEMBERSHIPS, "IS1\u0000alice", new IdentityMemberships(new ArrayList<>(List.of("CH2", "CH1"))));
        assertThat(StateComparison.compare(live, replayed, 10).equal()).isTrue();

        replayed.put(VerifiedStore.IDENTITY_MEMBERSHIPS, "IS1\u0000alice", new IdentityMemberships(new ArrayList<>(List.of("CH2"))));
        assertThat(StateComparison.compare(live, replayed, 10).differences().get(0).describe())
                .isEqualTo("identity-memberships IS1/alice conversations: live [CH1, CH2], replayed [CH2]");
    }

    @Test
    void allDifferencesAreCountedButOnlyTheFirstAreKept() {
        for (int i = 0; i < 30; i++) {
            live.put(VerifiedStore.MESSAGES, StoreNames.key("CH1", "IM" + i), new MessageState("IM" + i, (long) i, "a"));
        }
        StateComparison.Result result = StateComparison.compare(live, replayed, 5);
        assertThat(result.differenceCount()).isEqualTo(30);
        assertThat(result.differences()).hasSize(5);
    }

    private void both(VerifiedStore store, String key, ConversationAggregate value) {
        live.put(store, key, value);
        replayed.put(store, key, ConversationAggregate.newBuilder(value).build());
    }

    private static ConversationAggregate conversation(long next, ParticipantState... participants) {
        return new ConversationAggregate("IS1", "CH1", null, null, null, ConversationState.active,
                new ArrayList<>(List.of(participants)), next);
    }

    private static ParticipantState participant(String sid, Long lastRead) {
        return new ParticipantState(sid, Channel.chat, sid + "-identity", null, null, null, null, null, lastRead, 0L);
    }
}
