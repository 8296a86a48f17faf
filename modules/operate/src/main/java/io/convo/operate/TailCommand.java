package io.convo.operate;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code convo tail}: the records of convo topics as output JSON lines, read committed, without a consumer group
 * (it reads, it never moves anyone's offsets). Order is log order within a partition; partitions interleave.
 */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = {"Prints the records of convo topics as JSON lines {\"topic\",\"key\",\"value\"} (SPEC §8),"
                + " following them until Ctrl-C, --max or --to-end.",
                "TOPIC is a topic's name, with or without convo.topics.prefix: the commands, events, rejections,"
                + " deliveries, receipts, commands-dlq, the connectors' delivery-dlq and delivery-processed, the check"
                + " loop, or a changelog <application.id>-<store>-changelog of the compared stores.",
                "Only committed records are shown (read_committed)."})
public final class TailCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(200);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions options;

    @Parameters(arity = "1..*", paramLabel = "TOPIC", description = "Topics to print.")
    private List<String> topicNames;

    @Option(names = "--from-beginning", description = "Start at the oldest record (default: only new records).")
    private boolean fromBeginning;

    @Option(names = "--key", paramLabel = "KEY", description = "Only records with this key.")
    private String key;

    @Option(names = "--max", paramLabel = "N", description = "Stop after printing N records.")
    private Long max;

    @Option(names = "--to-end", description = "Stop at the end of the topics as they are when tail starts.")
    private boolean toEnd;

    @Override
    public Integer call() throws InterruptedException {
        Properties config = options.load();
        RecordFormatter formatter = new RecordFormatter(config);
        List<String> topics = new ArrayList<>();
        for (String name : topicNames) {
            String resolved = formatter.resolve(name);
            if (resolved == null) {
                throw new ParameterException(spec.commandLine(), name + " is not a convo topic");
            }
            topics.add(resolved);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch done = new CountDownLatch(1);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(OperateConfig.consumerConfig(config),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer, topics);
            consumer.assign(partitions);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            Map<TopicPartition, Long> ends = toEnd ? consumer.endOffsets(partitions) : Map.of();
            // Ctrl-C: wake the poll so that the loop ends, prints what it has and closes the consumer.
            Thread hook = new Thread(() -> {
                consumer.wakeup();
                try {
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "convo-tail-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                follow(consumer, formatter, ends, out, err);
            } catch (WakeupException e) {
                // Ctrl-C
            } finally {
                out.flush();
                done.countDown();
                removeHook(hook);
            }
        }
        return 0;
    }

    private void follow(KafkaConsumer<String, byte[]> consumer, RecordFormatter formatter,
                        Map<TopicPartition, Long> ends, PrintWriter out, PrintWriter err) {
        long printed = 0;
        while (max == null || printed < max) {
            if (toEnd && reachedEnd(consumer, ends)) {
                return;
            }
            ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
            for (ConsumerRecord<String, byte[]> record : records) {
                if (key != null && !key.equals(record.key())) {
                    continue;
                }
                if (toEnd && record.offset() >= ends.getOrDefault(
                        new TopicPartition(record.topic(), record.partition()), Long.MAX_VALUE)) {
                    continue;
                }
                String line;
                try {
                    line = formatter.format(record);
                } catch (RuntimeException e) {
                    err.println(record.topic() + "-" + record.partition() + "@" + record.offset()
                            + ": cannot decode the value: " + e.getMessage());
                    err.flush();
                    continue;
                }
                out.println(line);
                printed++;
                if (max != null && printed >= max) {
                    break;
                }
            }
            out.flush();
        }
    }

    private static boolean reachedEnd(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, List<String> topics) {
        Map<String, List<PartitionInfo>> all = new HashMap<>(consumer.listTopics(Duration.ofSeconds(15)));
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = all.get(topic);
            if (infos == null) {
                throw new ParameterException(spec.commandLine(), "topic " + topic + " does not exist at "
                        + OperateConfig.bootstrapServers(options.load()));
            }
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        return partitions;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or ran
        }
    }
}
