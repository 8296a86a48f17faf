package io.convo.gateway;

import io.convo.internal.Conversation;
import io.convo.internal.ParticipantState;
import io.convo.model.Channel;
import io.convo.model.serde.ConvoSerdes;
import io.convo.rules.state.StateKeys;
import io.convo.topology.StoreNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live state the gateway starts from (issue 12): the conversations and participants the topology holds, read
 * from its compacted changelogs ({@code <application.id>-conversations-changelog} and
 * {@code <application.id>-participants-changelog}) with {@code read_committed}. Compaction keeps one record per live
 * key, so what the gateway reads at a start grows with live state, not with the event log; {@code
 * conversation-events} is then read only from the catch-up window on ({@link Downstream#start}).
 *
 * <p>Read after the events' end offsets were taken, the snapshot holds every transaction before them, provided the
 * commit markers of a transaction seen on {@code conversation-events} have reached its changelog partitions too by
 * the time those are read (the coordinator writes them together; the snapshot is read after at least one round
 * trip). The events of the window, replayed on top, redo changes the snapshot already holds; each participant's
 * membership ends as its last event leaves it, so the index is exact once the dispatcher has read the log to its
 * end, which is when the gateway starts admitting connections. A record it cannot read makes {@link #read} throw:
 * the gateway then reads the whole event log instead.
 */
final class ChangelogSnapshot {

    /** A chat participant of a conversation. */
    record ChatMember(String conversationSid, String participantSid, String identity) {
    }

    /** What the gateway needs of a conversation: its service and its last message index (-1: none yet). */
    record Head(String serviceSid, long lastIndex) {
    }

    /**
     * What was read.
     *
     * @param conversations by sid: each one's service and last message index
     * @param members       the chat participants of those conversations
     * @param records       changelog records read
     */
    record Contents(Map<String, Head> conversations, List<ChatMember> members, long records) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ChangelogSnapshot.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration STALL = Duration.ofSeconds(30);

    private ChangelogSnapshot() {
    }

    static String changelog(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }

    /**
     * Reads both changelogs to their end; null when either does not exist (the topology never ran under this
     * application id, or keeps no changelogs), in which case the gateway reads the event log from offset 0.
     */
    static Contents read(Map<String, Object> kafka, String applicationId, String clientId) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        // Asking for a changelog that is not there must not create it (a wrong application.id would leave an empty,
        // mis-configured topic that Kafka Streams later refuses, and a snapshot taken as complete).
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        String conversationsTopic = changelog(applicationId, StoreNames.CONVERSATIONS);
        String participantsTopic = changelog(applicationId, StoreNames.PARTICIPANTS);
        Deserializer<Conversation> conversationValues = ConvoSerdes.internalSerde(Conversation.class).deserializer();
        Deserializer<ParticipantState> participantValues = ConvoSerdes.internalSerde(ParticipantState.class).deserializer();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(conversationsTopic, participantsTopic)) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic);
                if (infos == null || infos.isEmpty()) {
                    LOG.info("no changelog {}: reading conversation-events from offset 0", topic);
                    return null;
                }
                infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            // Applied in order: a compacted log may still hold a value and, later, its tombstone.
            // Only what the gateway needs is kept, not names and attributes: heads, and chat identities.
            Map<String, Head> conversations = new HashMap<>();
            Map<String, String> chatIdentities = new HashMap<>(); // by participants-store key
            long records = 0;
            long lastRecord = System.nanoTime();
            while (!reached(consumer, ends)) {
                var batch = consumer.poll(POLL);
                for (ConsumerRecord<String, byte[]> r : batch) {
                    records++;
                    boolean isConversation = r.topic().equals(conversationsTopic);
                    if (r.key() == null || (!isConversation && r.key().indexOf(StateKeys.SEPARATOR) < 0)) {
                        throw new IllegalStateException("a record of " + r.topic() + " has no store key");
                    }
                    if (r.value() == null) {
                        (isConversation ? conversations : chatIdentities).remove(r.key());
                    } else if (isConversation) {
                        Conversation c = conversationValues.deserialize(r.topic(), r.value());
                        conversations.put(r.key(), new Head(c.getServiceSid(), c.getNextMessageIndex() - 1));
                    } else {
                        ParticipantState p = participantValues.deserialize(r.topic(), r.value());
                        if (p.getChannel() == Channel.chat && p.getIdentity() != null) {
                            chatIdentities.put(r.key(), p.getIdentity());
                        } else {
                            chatIdentities.remove(r.key());
                        }
                    }
                }
                if (!batch.isEmpty()) {
                    lastRecord = System.nanoTime();
                } else if (System.nanoTime() - lastRecord > STALL.toNanos()) {
                    throw new IllegalStateException("no changelog record for " + STALL.toSeconds()
                            + " s before the end of " + partitions + " was reached");
                }
            }
            List<ChatMember> members = new ArrayList<>();
            chatIdentities.forEach((key, identity) -> {
                int separator = key.indexOf(StateKeys.SEPARATOR);
                String conversationSid = key.substring(0, separator);
                if (conversations.containsKey(conversationSid)) {
                    members.add(new ChatMember(conversationSid, key.substring(separator + 1), identity));
                }
            });
            return new Contents(conversations, members, records);
        }
    }

    private static boolean reached(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }
}
