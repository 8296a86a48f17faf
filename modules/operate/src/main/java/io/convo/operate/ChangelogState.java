package io.convo.operate;

import io.convo.model.serde.ConvoSerdes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What the live application holds in the {@link VerifiedStore}s, read from their changelog topics
 * ({@code <application.id>-<store>-changelog}): the last value of each key, a tombstone deleting it. Every store
 * write reaches its changelog in the same transaction as the input offsets that caused it, and a task restores its
 * stores from nothing else, so the changelogs are the stores of all instances together, readable with every
 * instance stopped. Between two commits a store runs ahead of its changelog by at most one commit interval.
 */
public final class ChangelogState implements AutoCloseable {

    private final Map<String, VerifiedStore> storeByTopic = new HashMap<>();
    private final Map<VerifiedStore, Deserializer<? extends SpecificRecord>> values = new HashMap<>();
    private final StoreSnapshot snapshot = new StoreSnapshot();
    private final LogReader reader;

    /**
     * @throws IllegalStateException when the application has no changelog topics under its application.id
     */
    public ChangelogState(Properties config) {
        String applicationId = OperateConfig.applicationId(config);
        List<String> topics = new ArrayList<>();
        for (VerifiedStore store : VerifiedStore.values()) {
            String topic = store.changelogTopic(applicationId);
            topics.add(topic);
            storeByTopic.put(topic, store);
            values.put(store, ConvoSerdes.internalSerde(store.valueType()).deserializer());
        }
        try {
            reader = new LogReader(config, topics);
        } catch (LogReader.MissingTopicsException e) {
            throw new IllegalStateException("the application '" + applicationId + "' has no changelog topics "
                    + e.topics() + " at " + OperateConfig.bootstrapServers(config)
                    + ": has it run with this application.id?", e);
        }
    }

    /** Reads the changelog records appended since the last call; returns how many. */
    public long catchUp(LogReader.Progress progress) {
        return reader.readToEnd(this::apply, progress);
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        VerifiedStore store = storeByTopic.get(record.topic());
        SpecificRecord value = record.value() == null ? null
                : values.get(store).deserialize(record.topic(), record.headers(), record.value());
        snapshot.put(store, record.key(), value);
    }

    public StoreSnapshot snapshot() {
        return snapshot;
    }

    @Override
    public void close() {
        reader.close();
    }
}
