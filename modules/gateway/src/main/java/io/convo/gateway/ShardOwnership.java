package io.convo.gateway;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode: shards of subaccounts owned through a Kafka consumer group on the shard topic, one partition per
 * shard. The group coordinator gives each partition to one member; the cooperative assignor takes a partition from
 * its old owner (which closes that shard's connections and counts them out inside the revocation callback) before it
 * gives it to the new one, so two instances never hold the same subaccount's connections at once.
 *
 * <p>Three rules keep that true when things go wrong: a new owner admits from the next whole second only, so a rate
 * window is never shared by two owners; an instance whose last heartbeat to the coordinator is older than half the
 * session timeout fences itself (drops its shards and their connections) before the coordinator can give them away;
 * and a fenced instance owns nothing again until a completed rebalance confirms its assignment. Each owner writes its
 * URL into its partitions, so that others can point clients to it.
 */
final class ShardOwnership implements SubaccountOwnership, Downstream.OwnerListener {

    private static final Logger LOG = LoggerFactory.getLogger(ShardOwnership.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final String OWNER_KEY = "owner";

    private final String topic;
    private final int shards;
    private final String url;
    private final long fenceAfterMs;
    private final Clock clock;
    private final Consumer<Set<Integer>> onLost;
    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final Map<Integer, Long> owned = new ConcurrentHashMap<>(); // shard -> admits from (epoch ms)
    private final Map<Integer, String> owners = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean started;
    /** When the group thread last saw a fresh heartbeat: admissions stop as soon as it is too old (see check). */
    private volatile long confirmedAtNanos = System.nanoTime();
    private boolean fenced; // group thread only
    private long rebalancedAtNanos = System.nanoTime(); // group thread only

    /**
     * @param shards the shard topic's partition count
     * @param url    this instance's advertised URL
     * @param onLost closes and counts out the connections of shards this instance no longer owns; it runs on the
     *               group thread, inside the revocation, so it must not block for long
     */
    ShardOwnership(GatewayConfig.Settings settings, int shards, String url, Clock clock, Consumer<Set<Integer>> onLost) {
        this.topic = settings.topics().gatewayShards();
        this.shards = shards;
        this.url = url;
        this.clock = clock;
        this.onLost = onLost;
        long sessionTimeoutMs = settings.cluster().sessionTimeout().toMillis();
        this.fenceAfterMs = sessionTimeoutMs / 2;
        Map<String, Object> consumerConfig = new HashMap<>(settings.kafka());
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, settings.cluster().groupId());
        consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.cluster().instanceId() + "-shards");
        consumerConfig.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        consumerConfig.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        consumerConfig.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeoutMs);
        consumerConfig.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(100, sessionTimeoutMs / 10));
        consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        this.consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
        Map<String, Object> producerConfig = new HashMap<>(settings.kafka());
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, settings.cluster().instanceId() + "-shard-owner");
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
        this.thread = new Thread(this::run, "gateway-shards");
        this.thread.setDaemon(true);
    }

    @Override
    public void start() {
        started = true;
        thread.start();
    }

    @Override
    public Check check(String subaccount) {
        int shard = SubaccountOwnership.shardOf(subaccount, shards);
        Long admitsFrom = owned.get(shard);
        if (admitsFrom == null) {
            String owner = owners.get(shard);
            return new Elsewhere(shard, url.equals(owner) ? null : owner);
        }
        // After a freeze of this JVM the group thread may not have fenced yet: refuse at once rather than admit
        // into a shard the coordinator may already have given away.
        if (System.nanoTime() - confirmedAtNanos > TimeUnit.MILLISECONDS.toNanos(fenceAfterMs)) {
            return new NotReady(shard, 1_000);
        }
        long wait = admitsFrom - clock.millis();
        return wait > 0 ? new NotReady(shard, wait) : new Owned(shard);
    }

    @Override
    public void announced(int shard, String ownerUrl) {
        owners.put(shard, ownerUrl);
    }

    Set<Integer> owned() {
        return Set.copyOf(owned.keySet());
    }

    private void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalances());
            while (running) {
                consumer.poll(POLL); // the records are announcements, read by the dispatcher; here only the group matters
                fenceIfSilent();
            }
        } catch (WakeupException | InterruptException e) {
            LOG.debug("shard ownership stopping");
        } catch (RuntimeException e) {
            LOG.error("shard ownership failed; this instance owns no shard any more", e);
        } finally {
            lose(Set.copyOf(owned.keySet()));
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))); // leaves the group: its shards move at once
        }
    }

    /** Self-fencing: see the class comment. */
    private void fenceIfSilent() {
        long now = System.nanoTime();
        if (fenced || owned.isEmpty()) {
            confirmedAtNanos = now; // nothing owned, nothing to protect
            return;
        }
        // The coordinator confirmed this member at its last heartbeat or at the end of its last rebalance (the
        // heartbeat clock restarts after a rejoin), whichever is later; not at the time of this check.
        double secondsAgo = lastHeartbeatSecondsAgo();
        long confirmed = Double.isNaN(secondsAgo) ? rebalancedAtNanos
                : Math.max(now - (long) (secondsAgo * 1e9), rebalancedAtNanos);
        if (now - confirmed < TimeUnit.MILLISECONDS.toNanos(fenceAfterMs)) {
            confirmedAtNanos = confirmed;
            return;
        }
        LOG.warn("no heartbeat to the group coordinator for {} s: fencing shards {} until a rebalance confirms them",
                TimeUnit.NANOSECONDS.toSeconds(now - confirmed), owned.keySet());
        fenced = true;
        lose(Set.copyOf(owned.keySet()));
        consumer.enforceRebalance("gateway fenced itself");
    }

    /** Seconds since the last heartbeat was sent, rounded down; NaN when none was sent (or the metric is missing). */
    private double lastHeartbeatSecondsAgo() {
        for (Map.Entry<MetricName, ? extends Metric> e : consumer.metrics().entrySet()) {
            MetricName name = e.getKey();
            if (name.name().equals("last-heartbeat-seconds-ago") && name.group().endsWith("coordinator-metrics")) {
                Object value = e.getValue().metricValue();
                double seconds = value instanceof Number n ? n.doubleValue() : Double.NaN;
                return seconds < 0 ? Double.NaN : seconds; // -1: no heartbeat sent yet since the consumer started
            }
        }
        return Double.NaN;
    }

    private void own(Collection<TopicPartition> partitions) {
        // The old owner counted its connections out before the coordinator moved the shard; starting at the next
        // second keeps the old owner's rate windows and ours apart.
        long nextSecond = (clock.millis() / 1000 + 1) * 1000;
        for (TopicPartition tp : partitions) {
            owned.put(tp.partition(), nextSecond);
            producer.send(new ProducerRecord<>(topic, tp.partition(), OWNER_KEY, url));
        }
        LOG.info("owning shards {} (of {})", partitions.stream().map(TopicPartition::partition).sorted().toList(), shards);
    }

    private void lose(Collection<Integer> lost) {
        Set<Integer> shardsLost = lost.stream().filter(shard -> owned.remove(shard) != null).collect(Collectors.toSet());
        if (shardsLost.isEmpty()) {
            return; // already lost, e.g. fenced before the revocation
        }
        LOG.info("no longer owning shards {}", shardsLost.stream().sorted().toList());
        onLost.accept(shardsLost);
    }

    private final class Rebalances implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            lose(partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet()));
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            lose(partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet()));
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            rebalancedAtNanos = System.nanoTime(); // called at the end of every completed rebalance
            if (fenced) {
                fenced = false;
                own(consumer.assignment());
            } else if (!partitions.isEmpty()) {
                own(partitions);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        if (started) {
            consumer.wakeup();
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
        producer.close(Duration.ofSeconds(2));
    }
}
