package io.convo.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.CheckKind;
import io.convo.internal.CheckReply;
import io.convo.internal.CheckRequest;
import io.convo.internal.Membership;
import io.convo.internal.MembershipCount;
import io.convo.model.ConvoTopics;
import io.convo.model.TopicNames;
import io.convo.model.serde.ConvoSerdes;
import io.convo.rules.identity.IdentityAggregate;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** L9 under the identity's key, with reservations from racing conversations decided one by one. */
class IdentityMembershipProcessorTest {

    private static final String ALICE = IdentityAggregate.key(CommandFactory.SERVICE, "alice");
    private MockProcessorContext<String, Object> context;
    private IdentityMembershipProcessor processor;
    private IdentityAggregate alice;

    @BeforeEach
    void start() {
        context = new MockProcessorContext<>();
        store(StoreNames.IDENTITY_MEMBERSHIP_COUNTS, MembershipCount.class);
        store(StoreNames.IDENTITY_MEMBERSHIPS, Membership.class);
        Sinks sinks = Sinks.of(ConvoTopics.of(TopicNames.withPrefix(""), Map.of()));
        processor = new IdentityMembershipProcessor(3, sinks.identityCheckReplies());
        processor.init(context);
        alice = new IdentityAggregate(TaskStores.identities(context), ALICE);
    }

    private <V extends SpecificRecord> void store(String name, Class<V> type) {
        KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                Serdes.String(), ConvoSerdes.internalSerde(type)).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    private CheckReply send(CheckKind kind, String conversationSid) {
        context.resetForwards();
        processor.process(new Record<>(ALICE, new CheckRequest(kind, "cmd-" + conversationSid, CommandFactory.SERVICE,
                conversationSid, "alice", CommandFactory.START), CommandFactory.START));
        List<MockProcessorContext.CapturedForward<? extends String, ?>> out = context.forwarded();
        return out.isEmpty() ? null : (CheckReply) out.get(0).record().value();
    }

    @Test
    void ofConversationsRacingForTheLastSlotExactlyOneWins() {
        assertThat(send(CheckKind.IDENTITY_RESERVE, "CH1").getAdmitted()).isTrue();
        assertThat(send(CheckKind.IDENTITY_RESERVE, "CH2").getAdmitted()).isTrue();
        int winners = 0;
        for (int i = 0; i < 20; i++) {
            CheckReply reply = send(CheckKind.IDENTITY_RESERVE, "CH-race-" + i);
            assertThat(reply.getConversationSid()).isEqualTo("CH-race-" + i);
            if (reply.getAdmitted()) {
                winners++;
            } else {
                assertThat(reply.getCount()).isEqualTo(3);
            }
        }
        assertThat(winners).isEqualTo(1);
        assertThat(alice.conversations()).containsExactly("CH-race-0", "CH1", "CH2");
        assertThat(alice.count()).isEqualTo(3);
    }

    @Test
    void aReleaseFreesTheSlotAndAnswersNothing() {
        send(CheckKind.IDENTITY_RESERVE, "CH1");
        send(CheckKind.IDENTITY_RESERVE, "CH2");
        send(CheckKind.IDENTITY_RESERVE, "CH3");
        assertThat(send(CheckKind.IDENTITY_RESERVE, "CH4").getAdmitted()).isFalse();
        assertThat(send(CheckKind.IDENTITY_RELEASE, "CH2")).isNull();
        assertThat(send(CheckKind.IDENTITY_RESERVE, "CH4").getAdmitted()).isTrue();
        assertThat(send(CheckKind.IDENTITY_RELEASE, "CH-never")).isNull();
        assertThat(alice.conversations()).containsExactly("CH1", "CH3", "CH4");
    }

    @Test
    void forgetsAnIdentityWithNoConversationsLeft() {
        send(CheckKind.IDENTITY_RESERVE, "CH1");
        send(CheckKind.IDENTITY_RELEASE, "CH1");
        assertThat(alice.count()).isZero();
        KeyValueStore<String, MembershipCount> counts = context.getStateStore(StoreNames.IDENTITY_MEMBERSHIP_COUNTS);
        assertThat(counts.get(ALICE)).isNull();
    }
}
