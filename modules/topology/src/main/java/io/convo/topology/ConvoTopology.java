package io.convo.topology;

import io.convo.internal.ActionWindowCounts;
import io.convo.internal.CheckQueue;
import io.convo.internal.CheckReply;
import io.convo.internal.CheckRequest;
import io.convo.internal.CommandOutcome;
import io.convo.internal.Conversation;
import io.convo.internal.DeliverySummary;
import io.convo.internal.Membership;
import io.convo.internal.MembershipCount;
import io.convo.internal.MessageState;
import io.convo.internal.ParkedCommands;
import io.convo.internal.ParticipantRef;
import io.convo.internal.ParticipantState;
import io.convo.internal.PendingCheck;
import io.convo.internal.RecipientStatus;
import io.convo.internal.RoleState;
import io.convo.internal.UserState;
import io.convo.model.ConversationCommand;
import io.convo.model.ConvoTopics;
import io.convo.model.DeliveryReceipt;
import io.convo.model.ServiceCommand;
import io.convo.model.ServiceEvent;
import io.convo.model.Topic;
import io.convo.model.serde.ConvoSerdes;
import io.convo.topology.ConvoConfig.TopologySettings;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;

/**
 * convo's topology, read top to bottom like SPEC §1: three sub-topologies, one per key space, and one global store.
 *
 * <pre>
 * conversation-commands ─► decode ─► Conversations ─┬─► conversation-events, command-rejections,
 * convo-check-replies ───► decode ─► CheckReplies ──┤   delivery-{chat,sms,mms,whatsapp}, delivery-receipts (failed)
 * delivery-receipts ─► decode ─► DeliverySummaries ┘   ├─► convo-identity-checks ─► IdentityMemberships ─► convo-check-replies
 *                                                      └─► convo-service-checks ──┐
 * service-commands ─► decode ─► Services ◄──────────────────────────────────────────┘ ─► service-events, command-rejections,
 *                                                                                        convo-check-replies
 * service-events ─► ServiceDirectory (a global store, in every instance) ─► read by Conversations' permission checks
 * </pre>
 *
 * Every source is read as bytes and decoded first ({@link CommandDecoder}), the check loop's too, so that any input
 * record can end in {@code commands-dlq} instead of stopping its task. The same method serves the running
 * application, `simulate`, the topology tests and the benchmark.
 */
public final class ConvoTopology {

    private ConvoTopology() {
    }

    public static Topology buildTopology(TopologySettings settings) {
        Parts parts = new Parts(settings);
        Topology t = new Topology();
        parts.addConversations(t);
        parts.addIdentities(t);
        parts.addServices(t);
        return t;
    }

    /**
     * Only the conversations' sub-topology: its check requests go out and no reply comes back unless a test
     * pipes one in, so commands really wait and park.
     */
    static Topology buildConversationsOnly(TopologySettings settings) {
        Topology t = new Topology();
        new Parts(settings).addConversations(t);
        return t;
    }

    /** The topics, sinks and store factory the three sub-topologies share. */
    private static final class Parts {
        private final TopologySettings settings;
        private final ConvoTopics topics;
        private final Sinks sinks;
        private final StateStores stores;

        Parts(TopologySettings settings) {
            this.settings = settings;
            this.topics = ConvoTopics.of(settings.topics(), settings.serdeConfig());
            this.sinks = Sinks.of(topics);
            this.stores = new StateStores(settings.storeType());
        }

        /** Conversations: commands and the replies to their checks, decided in order per conversation. */
        void addConversations(Topology t) {
            raw(t, Nodes.CONVERSATION_COMMANDS, topics.conversationCommands());
            t.addProcessor(Nodes.DECODE_CONVERSATION_COMMANDS, decoder(topics.conversationCommands(),
                    ConversationCommand.class, Nodes.CONVERSATIONS, sinks.conversationDlq()), Nodes.CONVERSATION_COMMANDS);
            t.addProcessor(Nodes.CONVERSATIONS, this.<ConversationCommand, ConversationEngine>engine(
                    c -> new ConversationEngine(c, settings, sinks), (e, r) -> e.onCommand(r.key(), r.value())),
                    Nodes.DECODE_CONVERSATION_COMMANDS);
            raw(t, Nodes.CHECK_REPLIES, topics.checkReplies());
            t.addProcessor(Nodes.DECODE_CHECK_REPLIES, decoder(topics.checkReplies(), CheckReply.class,
                    Nodes.CONVERSATION_CHECK_REPLIES, sinks.conversationDlq()), Nodes.CHECK_REPLIES);
            t.addProcessor(Nodes.CONVERSATION_CHECK_REPLIES, this.<CheckReply, ConversationEngine>engine(
                    c -> new ConversationEngine(c, settings, sinks), (e, r) -> e.onReply(r.key(), r.value())),
                    Nodes.DECODE_CHECK_REPLIES);
            // Receipts come back keyed by conversation: the summary joins the conversation's task.
            raw(t, Nodes.DELIVERY_RECEIPTS, topics.deliveryReceipts());
            t.addProcessor(Nodes.DECODE_DELIVERY_RECEIPTS, decoder(topics.deliveryReceipts(), DeliveryReceipt.class,
                    Nodes.DELIVERY_SUMMARIES, sinks.conversationDlq()), Nodes.DELIVERY_RECEIPTS);
            t.addProcessor(Nodes.DELIVERY_SUMMARIES,
                    (ProcessorSupplier<String, DeliveryReceipt, String, Object>) () ->
                            new DeliveryReceiptProcessor(sinks.conversationEvents()),
                    Nodes.DECODE_DELIVERY_RECEIPTS);
            String[] both = {Nodes.CONVERSATIONS, Nodes.CONVERSATION_CHECK_REPLIES};
            String[] all = {Nodes.CONVERSATIONS, Nodes.CONVERSATION_CHECK_REPLIES, Nodes.DELIVERY_SUMMARIES};
            t.addStateStore(keyValue(StoreNames.CONVERSATIONS, Conversation.class), all);
            t.addStateStore(keyValue(StoreNames.PARTICIPANTS, ParticipantState.class), all);
            t.addStateStore(writeOnce(StoreNames.PARTICIPANT_INDEX, ParticipantRef.class), all);
            t.addStateStore(writeOnce(StoreNames.MESSAGES, MessageState.class), all);
            t.addStateStore(keyValue(StoreNames.DELIVERY_SUMMARIES, DeliverySummary.class), all);
            t.addStateStore(keyValue(StoreNames.DELIVERY_STATUSES, RecipientStatus.class), all);
            t.addStateStore(keyValue(StoreNames.CHECK_QUEUES, CheckQueue.class), both);
            t.addStateStore(keyValue(StoreNames.PENDING_CHECKS, PendingCheck.class), both);
            t.addStateStore(keyValue(StoreNames.PARKED_COMMANDS, ParkedCommands.class), both);
            t.addStateStore(keyValue(StoreNames.CONVERSATION_ACTIONS, ActionWindowCounts.class), both);
            t.addStateStore(outcomes(StoreNames.CONVERSATION_OUTCOMES), both);
            sinks.conversationEvents().addTo(t, all);
            sinks.deliveryChat().addTo(t, both);
            sinks.deliverySms().addTo(t, both);
            sinks.deliveryMms().addTo(t, both);
            sinks.deliveryWhatsapp().addTo(t, both);
            sinks.failedDeliveries().addTo(t, both);
            sinks.conversationRejections().addTo(t, both);
            sinks.identityCheckRequests().addTo(t, both);
            sinks.serviceCheckRequests().addTo(t, both);
            sinks.conversationDlq().addTo(t, Nodes.DECODE_CONVERSATION_COMMANDS, Nodes.DECODE_CHECK_REPLIES,
                    Nodes.DECODE_DELIVERY_RECEIPTS);
            addServiceDirectory(t);
        }

        /** Every service's users and roles, in every instance, for the permission checks of conversation commands. */
        private void addServiceDirectory(Topology t) {
            Topic<ServiceEvent> events = topics.serviceEvents();
            t.addGlobalStore(stores.global(StoreNames.SERVICE_DIRECTORY, Serdes.ByteArray()),
                    Nodes.SERVICE_DIRECTORY_SOURCE, events.keySerde().deserializer(), new ByteArrayDeserializer(),
                    events.name(), Nodes.SERVICE_DIRECTORY,
                    () -> new ServiceDirectory(events.name(), events.valueSerde().deserializer()));
        }

        /** Identities: L9 membership counts across all conversations of a service. */
        void addIdentities(Topology t) {
            raw(t, Nodes.IDENTITY_CHECKS, topics.identityChecks());
            // Its own dead-letter sink: one node shared with another sub-topology would merge the two.
            Sink<byte[]> dlq = new Sink<>(Nodes.IDENTITY_CHECKS_DLQ, topics.commandsDlq());
            t.addProcessor(Nodes.DECODE_IDENTITY_CHECKS, decoder(topics.identityChecks(), CheckRequest.class,
                    Nodes.IDENTITY_MEMBERSHIPS, dlq), Nodes.IDENTITY_CHECKS);
            t.addProcessor(Nodes.IDENTITY_MEMBERSHIPS,
                    (ProcessorSupplier<String, CheckRequest, String, Object>) () -> new IdentityMembershipProcessor(
                            settings.limits().conversationsPerIdentity(), sinks.identityCheckReplies()),
                    Nodes.DECODE_IDENTITY_CHECKS);
            t.addStateStore(keyValue(StoreNames.IDENTITY_MEMBERSHIP_COUNTS, MembershipCount.class), Nodes.IDENTITY_MEMBERSHIPS);
            t.addStateStore(writeOnce(StoreNames.IDENTITY_MEMBERSHIPS, Membership.class), Nodes.IDENTITY_MEMBERSHIPS);
            sinks.identityCheckReplies().addTo(t, Nodes.IDENTITY_MEMBERSHIPS);
            dlq.addTo(t, Nodes.DECODE_IDENTITY_CHECKS);
        }

        /** Services: users, roles, and the per-service action window that conversation create/delete share. */
        void addServices(Topology t) {
            raw(t, Nodes.SERVICE_COMMANDS, topics.serviceCommands());
            t.addProcessor(Nodes.DECODE_SERVICE_COMMANDS, decoder(topics.serviceCommands(), ServiceCommand.class,
                    Nodes.SERVICES, sinks.serviceDlq()), Nodes.SERVICE_COMMANDS);
            t.addProcessor(Nodes.SERVICES, this.<ServiceCommand, ServiceEngine>engine(
                    c -> new ServiceEngine(c, settings, sinks), (e, r) -> e.onCommand(r.key(), r.value())),
                    Nodes.DECODE_SERVICE_COMMANDS);
            raw(t, Nodes.SERVICE_CHECKS, topics.serviceChecks());
            t.addProcessor(Nodes.DECODE_SERVICE_CHECKS, decoder(topics.serviceChecks(), CheckRequest.class,
                    Nodes.SERVICE_ACTION_CHECKS, sinks.serviceDlq()), Nodes.SERVICE_CHECKS);
            t.addProcessor(Nodes.SERVICE_ACTION_CHECKS, this.<CheckRequest, ServiceEngine>engine(
                    c -> new ServiceEngine(c, settings, sinks), (e, r) -> e.onActionCheck(r.key(), r.value())),
                    Nodes.DECODE_SERVICE_CHECKS);
            String[] both = {Nodes.SERVICES, Nodes.SERVICE_ACTION_CHECKS};
            t.addStateStore(keyValue(StoreNames.USERS, UserState.class), both);
            t.addStateStore(keyValue(StoreNames.ROLES, RoleState.class), both);
            t.addStateStore(keyValue(StoreNames.SERVICE_ACTIONS, ActionWindowCounts.class), both);
            t.addStateStore(outcomes(StoreNames.SERVICE_OUTCOMES), both);
            sinks.serviceEvents().addTo(t, Nodes.SERVICES);
            sinks.serviceRejections().addTo(t, Nodes.SERVICES);
            sinks.serviceCheckReplies().addTo(t, Nodes.SERVICE_ACTION_CHECKS);
            sinks.serviceDlq().addTo(t, Nodes.DECODE_SERVICE_COMMANDS, Nodes.DECODE_SERVICE_CHECKS);
        }

        /**
         * A source read as raw bytes, decoded by a {@link CommandDecoder}: unreadable records are dead-lettered, and a
         * record that keeps failing is dead-lettered there before anything else sees it again. The check loop's
         * sources too, although convo writes them itself: the safety net must cover every input.
         */
        private static void raw(Topology t, String node, Topic<?> topic) {
            t.addSource(node, topic.keySerde().deserializer(), new ByteArrayDeserializer(), topic.name());
        }

        private <V, E> ProcessorSupplier<String, V, String, Object> engine(
                Function<ProcessorContext<String, Object>, E> factory, BiConsumer<E, Record<String, V>> handler) {
            return () -> new EngineProcessor<>(factory, handler);
        }

        private <V extends SpecificRecord> StoreBuilder<KeyValueStore<String, V>> keyValue(String name, Class<V> type) {
            return stores.keyValue(name, ConvoSerdes.internalSerde(type));
        }

        /** A store of entries written once and deleted in a later commit: no record cache (StateStores). */
        private <V extends SpecificRecord> StoreBuilder<KeyValueStore<String, V>> writeOnce(String name, Class<V> type) {
            return stores.uncachedKeyValue(name, ConvoSerdes.internalSerde(type));
        }

        private StoreBuilder<WindowStore<String, CommandOutcome>> outcomes(String name) {
            Duration retention = settings.idempotencyRetention();
            return stores.windows(name, retention, CommandOutcomes.bucket(retention),
                    ConvoSerdes.internalSerde(CommandOutcome.class));
        }
    }

    private static <V> ProcessorSupplier<String, byte[], String, Object> decoder(Topic<V> topic, Class<? extends V> type,
                                                                             String decoded, Sink<byte[]> dlq) {
        Deserializer<V> values = topic.valueSerde().deserializer();
        return () -> new CommandDecoder<>(values, type, decoded, dlq);
    }
}
