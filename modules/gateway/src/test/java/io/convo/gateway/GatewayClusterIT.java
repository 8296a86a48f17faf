package io.convo.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.testkit.KafkaBrokerExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several gateway instances (cluster mode): every subaccount has one owner at a time, so its limits hold across
 * the instances; shards move when instances come and go, and the old owner counts its connections out first.
 */
class GatewayClusterIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final int SHARDS = 8;
    private final List<GatewayServer> gateways = new ArrayList<>();
    private final List<ChatClient> clients = new ArrayList<>();

    @BeforeAll
    static void topics() {
        ConvoStack.createTopics(kafka.bootstrapServers());
    }

    @AfterEach
    void stop() {
        clients.forEach(ChatClient::abort);
        gateways.forEach(GatewayServer::close);
    }

    private GatewayServer instance(String name) {
        Map<String, Object> overrides = new HashMap<>();
        overrides.put(GatewayConfig.CLUSTER_ENABLED, "true");
        overrides.put(GatewayConfig.CLUSTER_GROUP_ID, "gateways-" + System.identityHashCode(this));
        overrides.put(GatewayConfig.CLUSTER_SHARDS, String.valueOf(SHARDS));
        overrides.put(GatewayConfig.CLUSTER_SESSION_TIMEOUT_MS, "6000");
        overrides.put(GatewayConfig.CLUSTER_INSTANCE_ID, name);
        overrides.put(ConnectionLimits.CONFIG_PREFIX + "concurrent-per-subaccount", "2");
        GatewayServer g = new GatewayServer(ConvoStack.gatewayConfig(kafka.bootstrapServers(), overrides));
        g.start();
        gateways.add(g);
        return g;
    }

    /** Waits until the instances own every shard between them, each shard once. */
    private void awaitBalanced(GatewayServer... instances) {
        await(() -> {
            Set<Integer> all = new HashSet<>();
            int total = 0;
            for (GatewayServer g : instances) {
                if (g.ownedShards().isEmpty()) {
                    return false;
                }
                all.addAll(g.ownedShards());
                total += g.ownedShards().size();
            }
            return all.size() == SHARDS && total == SHARDS;
        });
    }

    private static GatewayServer ownerOf(String subaccount, GatewayServer... instances) {
        int shard = SubaccountOwnership.shardOf(subaccount, SHARDS);
        for (GatewayServer g : instances) {
            if (g.ownedShards().contains(shard)) {
                return g;
            }
        }
        throw new AssertionError("no owner of shard " + shard);
    }

    /** Connects, retrying while the new owner waits for its first whole second (503). */
    private ChatClient connect(GatewayServer g, String identity, String subaccount) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                ChatClient c = ChatClient.connect(g.url(), ConvoStack.token(identity, subaccount));
                clients.add(c);
                return c;
            } catch (IllegalStateException e) {
                if (System.nanoTime() > deadline || !String.valueOf(e.getMessage()).contains("status=503")) {
                    throw e;
                }
                pause();
            }
        }
    }

    @Test
    void aSubaccountIsServedByOneInstanceOnlySoItsConcurrencyLimitHoldsAcrossInstances() {
        GatewayServer a = instance("gw-a");
        GatewayServer b = instance("gw-b");
        awaitBalanced(a, b);
        String subaccount = subaccountOwnedBy(a, a, b);

        connect(a, "u0", subaccount);
        connect(a, "u1", subaccount);
        assertThat(ChatClient.refused(a.url(), ConvoStack.token("u2", subaccount)).status()).isEqualTo(429);
        await(() -> {
            ChatClient.Refusal elsewhere = ChatClient.refused(b.url(), ConvoStack.token("u2", subaccount));
            assertThat(elsewhere.status()).isEqualTo(421);
            return a.url().equals(elsewhere.headers().firstValue(UpgradeGate.OWNER_HEADER).orElse(null));
        });
        assertThat(a.openConnections(subaccount) + b.openConnections(subaccount)).isEqualTo(2);
    }

    @Test
    void whenAnInstanceLeavesAnotherTakesItsSubaccountsAfterTheirConnectionsClosed() {
        GatewayServer a = instance("gw-a");
        GatewayServer b = instance("gw-b");
        awaitBalanced(a, b);
        String subaccount = subaccountOwnedBy(a, a, b);
        ChatClient first = connect(a, "u0", subaccount);
        connect(a, "u1", subaccount);

        a.close();
        assertThat(first.awaitClose()).isEqualTo(1001);
        await(() -> b.ownedShards().size() == SHARDS);
        connect(b, "u0", subaccount);
        connect(b, "u1", subaccount);
        assertThat(ChatClient.refused(b.url(), ConvoStack.token("u2", subaccount)).status()).isEqualTo(429);
    }

    @Test
    void whenAShardMovesToANewInstanceTheOldOwnerClosesItsConnectionsWith1012First() {
        GatewayServer a = instance("gw-a");
        GatewayServer b = instance("gw-b");
        awaitBalanced(a, b);
        // One connection per shard, on its owner.
        Map<String, ChatClient> bySubaccount = new LinkedHashMap<>();
        Map<String, GatewayServer> oldOwner = new HashMap<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            String subaccount = subaccountOfShard(shard);
            GatewayServer owner = ownerOf(subaccount, a, b);
            oldOwner.put(subaccount, owner);
            bySubaccount.put(subaccount, connect(owner, "u", subaccount));
        }

        GatewayServer c = instance("gw-c");
        awaitBalanced(a, b, c);
        int moved = 0;
        for (Map.Entry<String, ChatClient> e : bySubaccount.entrySet()) {
            String subaccount = e.getKey();
            GatewayServer owner = ownerOf(subaccount, a, b, c);
            if (owner == oldOwner.get(subaccount)) {
                assertThat(e.getValue().isClosed()).as(subaccount + " stayed").isFalse();
                continue;
            }
            moved++;
            assertThat(e.getValue().awaitClose()).as(subaccount + " moved").isEqualTo(1012);
            assertThat(oldOwner.get(subaccount).openConnections(subaccount)).isZero();
            connect(owner, "u", subaccount);
            connect(owner, "v", subaccount);
            assertThat(a.openConnections(subaccount) + b.openConnections(subaccount) + c.openConnections(subaccount))
                    .isEqualTo(2);
        }
        assertThat(moved).isEqualTo(c.ownedShards().size()).isPositive();
    }

    @Test
    void anInstanceCutOffFromKafkaFencesItselfBeforeItsShardsCanMoveAndOwnsThemAgainAfter() {
        GatewayServer a = instance("gw-a");
        await(() -> a.ownedShards().size() == SHARDS);
        ChatClient held = connect(a, "u0", "AC-0");

        kafka.broker().stop();
        try {
            // Half the session timeout (3 s) after its last heartbeat the instance refuses and drops its connections;
            // the coordinator could move its shards only after the full 6 s.
            assertThat(held.awaitClose()).isEqualTo(1012);
            assertThat(a.ownedShards()).isEmpty();
            assertThat(a.openConnections("AC-0")).isZero();
            assertThat(ChatClient.refused(a.url(), ConvoStack.token("u1", "AC-0")).status()).isEqualTo(503);
        } finally {
            kafka.broker().restart();
        }
        await(() -> a.ownedShards().size() == SHARDS);
        connect(a, "u1", "AC-0");
    }

    private static String subaccountOwnedBy(GatewayServer owner, GatewayServer... instances) {
        for (int i = 0; ; i++) {
            String candidate = "AC-" + i;
            if (ownerOf(candidate, instances) == owner) {
                return candidate;
            }
        }
    }

    private static String subaccountOfShard(int shard) {
        for (int i = 0; ; i++) {
            String candidate = "AC-" + i;
            if (SubaccountOwnership.shardOf(candidate, SHARDS) == shard) {
                return candidate;
            }
        }
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 60 s").isLessThan(deadline);
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
