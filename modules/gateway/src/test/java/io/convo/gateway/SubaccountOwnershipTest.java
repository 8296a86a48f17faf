package io.convo.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubaccountOwnershipTest {

    @Test
    void everySubaccountMapsToOneStableShardAndShardsAreAllUsed() {
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            int shard = SubaccountOwnership.shardOf("AC" + i, 32);
            assertThat(shard).isBetween(0, 31);
            assertThat(SubaccountOwnership.shardOf("AC" + i, 32)).isEqualTo(shard);
            used.add(shard);
        }
        assertThat(used).hasSize(32);
    }

    @Test
    void aSingleInstanceOwnsEverySubaccount() {
        assertThat(new SoleOwnership().check("anything")).isInstanceOf(SubaccountOwnership.Owned.class);
    }
}
