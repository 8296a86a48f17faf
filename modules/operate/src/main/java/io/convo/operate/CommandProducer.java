package io.convo.operate;

import io.convo.model.ConversationCommand;
import io.convo.model.ServiceCommand;
import io.convo.model.TopicNames;
import io.convo.model.json.CommandLine;
import io.convo.model.serde.ConvoSerdes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends parsed commands to their input topic ({@code conversation-commands} keyed by conversationSid,
 * {@code service-commands} keyed by serviceSid) with the command's timestamp as the record timestamp, and counts
 * what the broker acknowledged. Sends are asynchronous; {@link #flush()} waits for all of them.
 */
public final class CommandProducer implements AutoCloseable {

    private final TopicNames topics;
    private final KafkaProducer<String, byte[]> producer;
    private final Serializer<ConversationCommand> conversationValues;
    private final Serializer<ServiceCommand> serviceValues;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final AtomicLong sent = new AtomicLong();

    public CommandProducer(Properties config) {
        this.topics = OperateConfig.topics(config);
        Map<String, Object> serdeConfig = OperateConfig.serdeConfig(config);
        this.conversationValues = ConvoSerdes.valueSerde(ConversationCommand.class, serdeConfig).serializer();
        this.serviceValues = ConvoSerdes.valueSerde(ServiceCommand.class, serdeConfig).serializer();
        Map<String, Object> producerConfig = OperateConfig.producerConfig(config);
        producerConfig.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        producerConfig.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        // A missing topic should fail fast, not after the default minute of waiting for metadata.
        producerConfig.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        this.producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Fails with a clear message when an input topic does not exist: {@code convo run} creates them, and the broker
     * does not create topics on demand.
     */
    public static void requireInputTopics(Properties config, Duration timeout) {
        TopicNames topics = OperateConfig.topics(config);
        List<String> inputs = List.of(topics.conversationCommands(), topics.serviceCommands());
        try (Admin admin = Admin.create(OperateConfig.adminConfig(config))) {
            admin.describeTopics(inputs).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException("the input topics " + inputs + " do not exist at "
                        + OperateConfig.bootstrapServers(config) + ": start convo (convo run creates them) or check"
                        + " convo.topics.prefix", e.getCause());
            }
            throw new IllegalStateException("cannot describe " + inputs + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from " + OperateConfig.bootstrapServers(config) + " within "
                    + timeout.toSeconds() + " s: is the broker running?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Sends one command; {@code onFailure} (may be null) hears about a send the broker refused, on the producer's
     * thread. Safe from any thread.
     */
    public void send(CommandLine command, Consumer<Exception> onFailure) {
        String topic;
        byte[] value;
        switch (command.topic()) {
            case CONVERSATION -> {
                topic = topics.conversationCommands();
                value = conversationValues.serialize(topic, (ConversationCommand) command.envelope());
            }
            case SERVICE -> {
                topic = topics.serviceCommands();
                value = serviceValues.serialize(topic, (ServiceCommand) command.envelope());
            }
            default -> throw new IllegalArgumentException("unknown command topic " + command.topic());
        }
        sent.incrementAndGet();
        producer.send(new ProducerRecord<>(topic, null, command.timestamp(), command.key(), value), (metadata, e) -> {
            if (e == null) {
                acknowledged.incrementAndGet();
            } else {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
                if (onFailure != null) {
                    onFailure.accept(e);
                }
            }
        });
    }

    /** Waits until every send so far is acknowledged or failed. */
    public void flush() {
        producer.flush();
    }

    public long sent() {
        return sent.get();
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    public long failed() {
        return failed.get();
    }

    /** The first failure's message, or null. */
    public String firstFailure() {
        return firstFailure.get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
