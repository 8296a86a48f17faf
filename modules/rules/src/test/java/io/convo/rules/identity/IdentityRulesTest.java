package io.convo.rules.identity;

import static io.convo.rules.TestCommands.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.rules.Snapshots;
import io.convo.rules.state.StateKeys;
import org.junit.jupiter.api.Test;

/**
 * L9 under the identity's key: a chat identity belongs to at most 1000 active or inactive conversations. A
 * reservation is decided by {@link IdentityRules#reserve} and applied by {@link IdentityRules#evolve}.
 */
class IdentityRulesTest {

    private static final int LIMIT = 1000;

    private final IdentityAggregate.Stores stores = IdentityAggregate.Stores.inMemory();
    private final IdentityAggregate alice = new IdentityAggregate(stores, IdentityAggregate.key(SERVICE, "alice"));

    /** Alice holds conversations CH0 … CH(n-1). */
    private void aliceHolds(int n) {
        for (int i = 0; i < n; i++) {
            assertThat(IdentityRules.evolve(alice, MembershipChange.reserve(SERVICE, "alice", "CH" + i))).isTrue();
        }
    }

    @Test
    void grantsThe1000thMembership() {
        aliceHolds(999);
        IdentityRules.Reservation r = IdentityRules.reserve(alice, "CH-new", LIMIT);
        assertThat(r.granted()).isTrue();
        assertThat(r.count()).isEqualTo(1000);
    }

    @Test
    void refusesThe1001stMembership() {
        aliceHolds(1000);
        IdentityRules.Reservation r = IdentityRules.reserve(alice, "CH-new", LIMIT);
        assertThat(r.granted()).isFalse();
        assertThat(r.count()).isEqualTo(1000);
    }

    @Test
    void grantsAMembershipItHoldsAlreadyWithoutCountingItTwice() {
        aliceHolds(1000);
        IdentityRules.Reservation again = IdentityRules.reserve(alice, "CH7", LIMIT);
        assertThat(again.granted()).isTrue();
        assertThat(again.count()).isEqualTo(1000);
        assertThat(IdentityRules.evolve(alice, MembershipChange.reserve(SERVICE, "alice", "CH7"))).isFalse();
        assertThat(alice.count()).isEqualTo(1000);
    }

    @Test
    void aReleaseFreesAPlace() {
        aliceHolds(1000);
        assertThat(IdentityRules.evolve(alice, MembershipChange.release(SERVICE, "alice", "CH3"))).isTrue();
        assertThat(alice.count()).isEqualTo(999);
        assertThat(alice.holds("CH3")).isFalse();
        assertThat(IdentityRules.reserve(alice, "CH-new", LIMIT).granted()).isTrue();
    }

    @Test
    void aReleaseOfAMembershipNotHeldChangesNothing() {
        aliceHolds(2);
        var before = Snapshots.of(stores);
        assertThat(IdentityRules.evolve(alice, MembershipChange.release(SERVICE, "alice", "CH9"))).isFalse();
        assertThat(Snapshots.of(stores)).isEqualTo(before);
        assertThat(alice.count()).isEqualTo(2);
    }

    @Test
    void theLastReleaseLeavesNoEntryBehind() {
        aliceHolds(1);
        IdentityRules.evolve(alice, MembershipChange.release(SERVICE, "alice", "CH0"));
        assertThat(alice.count()).isZero();
        assertThat(Snapshots.of(stores)).allSatisfy((store, entries) -> assertThat(entries).as(store).isEmpty());
    }

    @Test
    void reservingDecidesWithoutChangingState() {
        aliceHolds(3);
        var before = Snapshots.of(stores);
        IdentityRules.reserve(alice, "CH-new", LIMIT);
        IdentityRules.reserve(alice, "CH1", LIMIT);
        IdentityRules.reserve(alice, "CH-other", 3);
        assertThat(Snapshots.of(stores)).isEqualTo(before);
    }

    @Test
    void listsTheConversationsHeldSortedBySid() {
        for (String sid : new String[] {"CH-b", "CH-a", "CH-c"}) {
            IdentityRules.evolve(alice, MembershipChange.reserve(SERVICE, "alice", sid));
        }
        assertThat(alice.conversations()).containsExactly("CH-a", "CH-b", "CH-c");
        assertThat(alice.holds("CH-a")).isTrue();
    }

    @Test
    void identitiesAreCountedPerServiceAndApart() {
        aliceHolds(1000);
        IdentityAggregate aliceElsewhere = new IdentityAggregate(stores, IdentityAggregate.key("IS2", "alice"));
        IdentityAggregate alicia = new IdentityAggregate(stores, IdentityAggregate.key(SERVICE, "alicia"));
        assertThat(IdentityRules.reserve(aliceElsewhere, "CH-new", LIMIT)).isEqualTo(new IdentityRules.Reservation(true, 1));
        assertThat(IdentityRules.reserve(alicia, "CH-new", LIMIT)).isEqualTo(new IdentityRules.Reservation(true, 1));
        assertThat(alicia.conversations()).isEmpty();
        assertThat(IdentityAggregate.key(SERVICE, "alice")).isEqualTo(StateKeys.key(SERVICE, "alice"));
    }

    @Test
    void followsAConfiguredLimit() {
        aliceHolds(3);
        assertThat(IdentityRules.reserve(alice, "CH-new", 3).granted()).isFalse();
        assertThat(IdentityRules.reserve(alice, "CH-new", 4).granted()).isTrue();
    }
}
