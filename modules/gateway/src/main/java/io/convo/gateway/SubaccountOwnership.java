package io.convo.gateway;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Which gateway instance may hold the connections of a subaccount. The per-subaccount limits are exact because
 * all of a subaccount's connections live on one instance, its owner: every subaccount maps to one of a fixed number
 * of shards, and each shard has at most one owner at a time.
 */
interface SubaccountOwnership extends AutoCloseable {

    /** What {@link #check} says about a subaccount. */
    sealed interface Check permits Owned, Elsewhere, NotReady {
    }

    /** This instance owns the subaccount's shard and admits its connections. */
    record Owned(int shard) implements Check {
    }

    /** Another instance owns the shard; {@code ownerUrl} is its announced URL, null while unknown. */
    record Elsewhere(int shard, String ownerUrl) implements Check {
    }

    /** This instance just got the shard and starts admitting at the next whole second (see README). */
    record NotReady(int shard, long retryAfterMs) implements Check {
    }

    Check check(String subaccount);

    void start();

    @Override
    void close();

    /** The shard of a subaccount: murmur2 of its UTF-8 bytes, as Kafka's default partitioner maps keys. */
    static int shardOf(String subaccount, int shards) {
        return Utils.toPositive(Utils.murmur2(subaccount.getBytes(StandardCharsets.UTF_8))) % shards;
    }
}
