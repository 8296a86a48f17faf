package io.convo.tools.bench;

import io.convo.operate.OperateConfig;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Watches an application's outcome topics (read committed, as any consumer sees them) on a thread of its own: counts
 * the outcomes, notes each command's outcomes by commandId, and for commands whose send time was registered, the
 * latency from send to the moment the outcome was seen here.
 */
public final class OutcomeTracker implements AutoCloseable {

    /** A command's id and its outcome's name, or null for a record that is no command's outcome. */
    public record Outcome(String commandId, String name) {
    }

    private static final Duration POLL = Duration.ofMillis(50);

    private final KafkaConsumer<String, byte[]> consumer;
    private final BiFunction<String, byte[], Outcome> decoder;
    private final Map<String, List<String>> outcomes = new HashMap<>();
    private final Map<String, ArrayDeque<Long>> sendTimes = new ConcurrentHashMap<>();
    private final List<Long> latencies = new ArrayList<>();
    private final Thread thread;
    private volatile long count;
    private volatile long lastArrival;
    private volatile RuntimeException failure;
    private volatile boolean stopping;

    OutcomeTracker(Properties config, List<String> topics, BiFunction<String, byte[], Outcome> decoder) {
        this.decoder = decoder;
        this.consumer = new KafkaConsumer<>(OperateConfig.consumerConfig(config), new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::run, "convo-bench-outcomes");
        thread.setDaemon(true);
        thread.start();
    }

    /** Registers a command about to be sent, so that its outcome's latency is measured. */
    void sending(String commandId, long nanoTime) {
        ArrayDeque<Long> times = sendTimes.computeIfAbsent(commandId, id -> new ArrayDeque<>());
        synchronized (times) {
            times.addLast(nanoTime);
        }
    }

    private void run() {
        try {
            while (!stopping) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                long arrival = System.nanoTime();
                for (ConsumerRecord<String, byte[]> r : records) {
                    Outcome o = decoder.apply(r.topic(), r.value());
                    if (o == null) {
                        continue;
                    }
                    synchronized (this) {
                        outcomes.computeIfAbsent(o.commandId(), id -> new ArrayList<>(1)).add(o.name());
                        ArrayDeque<Long> sent = sendTimes.get(o.commandId());
                        if (sent != null) {
                            Long at;
                            synchronized (sent) {
                                at = sent.pollFirst();
                            }
                            if (at != null) {
                                latencies.add(arrival - at);
                            }
                        }
                    }
                    lastArrival = arrival;
                    count++;
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /**
     * Waits until {@code n} outcomes were seen and returns when the last of them arrived (System.nanoTime).
     *
     * @throws IllegalStateException when they do not arrive within {@code timeout}
     */
    long awaitCount(long n, Duration timeout, Runnable whileWaiting) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count < n) {
            if (failure != null) {
                throw new IllegalStateException("reading outcomes failed", failure);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + count + " of " + n + " outcomes within " + timeout.toSeconds() + " s");
            }
            if (whileWaiting != null) {
                whileWaiting.run();
            }
            Thread.sleep(20);
        }
        return lastArrival;
    }

    long count() {
        return count;
    }

    /** Each command's outcomes so far, by commandId (a copy). */
    synchronized Map<String, List<String>> outcomes() {
        Map<String, List<String>> copy = new HashMap<>();
        outcomes.forEach((id, names) -> copy.put(id, new ArrayList<>(names)));
        return copy;
    }

    /** Send-to-seen latencies in nanoseconds, in arrival order (a copy). */
    synchronized List<Long> latencies() {
        return new ArrayList<>(latencies);
    }

    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close();
    }
}
