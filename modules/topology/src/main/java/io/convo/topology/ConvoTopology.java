package io.convo.topology;

import io.convo.internal.ActionWindowCounts;
import io.convo.internal.CheckReply;
import io.convo.internal.CheckRequest;
import io.convo.internal.CommandOutcome;
import io.convo.internal.ConversationAggregate;
import io.convo.internal.DeliverySummary;
import io.convo.internal.IdentityMemberships;
import io.convo.internal.MessageState;
import io.convo.internal.PendingCheck;
import io.convo.internal.RoleState;
import io.convo.internal.UserState;
import io.convo.model.CommandRejected;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationEvent;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.ServiceCommand;
import io.convo.model.ServiceEvent;
import io.convo.model.TopicNames;
import io.convo.model.serde.ConvoSerdes;
import io.convo.topology.ConvoConfig.TopologySettings;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;

/**
 * convo's topology, read top to bottom like SPEC §1: three sub-topologies, one per key space.
 *
 * <pre>
 * conversation-commands ─► decode ─► Conversations ─┬─► conversation-events, command-rejections,
 * convo-check-replies ────────────► CheckReplies ──┤   delivery-{chat,sms,mms,whatsapp}, delivery-receipts (failed)
 * delivery-receipts ─► decode ─► DeliverySummaries ┘   ├─► convo-identity-checks ─► IdentityMemberships ─► convo-check-replies
 *                                                      └─► convo-service-checks ──┐
 * service-commands ─► decode ─► Services ◄──────────────────────────────────────────┘ ─► service-events, command-rejections,
 *                                                                                        convo-check-replies
 * </pre>
 *
 * The same method serves the running application, `simulate`, the topology tests and the benchmark.
 */
public final class ConvoTopology {

    /**
     * How far behind its scope's latest action a command's window may be. A service's actions come from many
     * conversations on many partitions, which may lag behind one another (a task restoring, a backlog): an hour
     * keeps them exact through that, at the cost of up to an hour of per-second counts in a busy scope's value.
     */
    static final Duration ACTION_WINDOW_HORIZON = Duration.ofHours(1);

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

    /** The serdes and store factory the three sub-topologies share. */
    private static final class Parts {
        private final TopologySettings settings;
        private final TopicNames topics;
        private final StateStores stores;
        private final Map<String, Object> serdeConfig;
        private final Serde<CheckRequest> checkRequests = ConvoSerdes.internalSerde(CheckRequest.class);
        private final Serde<CheckReply> checkReplies = ConvoSerdes.internalSerde(CheckReply.class);
        private final Serializer<CommandRejected> rejections;
        private final StringSerializer keyOut = new StringSerializer();
        private final StringDeserializer keyIn = new StringDeserializer();

        Parts(TopologySettings settings) {
            this.settings = settings;
            this.topics = settings.topics();
            this.stores = new StateStores(settings.storeType());
            this.serdeConfig = settings.serdeConfig();
            this.rejections = ConvoSerdes.valueSerde(CommandRejected.class, serdeConfig).serializer();
        }

        /** Conversations: commands and the replies to their checks, decided in order per conversation. */
        void addConversations(Topology t) {
            Serde<ConversationCommand> commands = ConvoSerdes.valueSerde(ConversationCommand.class, serdeConfig);
            Serializer<ConversationEvent> events = ConvoSerdes.valueSerde(ConversationEvent.class, serdeConfig).serializer();
            t.addSource(Nodes.CONVERSATION_COMMANDS, keyIn, new ByteArrayDeserializer(), topics.conversationCommands());
            t.addProcessor(Nodes.DECODE_CONVERSATION_COMMANDS,
                    decoder(commands.deserializer(), Nodes.CONVERSATIONS, Nodes.CONVERSATION_DLQ),
                    Nodes.CONVERSATION_COMMANDS);
            t.addProcessor(Nodes.CONVERSATIONS,
                    (ProcessorSupplier<String, ConversationCommand, String, Object>) () -> new EngineProcessor<ConversationCommand, ConversationEngine>(
                            context -> new ConversationEngine(context, settings), (e, r) -> e.onCommand(r.key(), r.value())),
                    Nodes.DECODE_CONVERSATION_COMMANDS);
            t.addSource(Nodes.CHECK_REPLIES, keyIn, checkReplies.deserializer(), topics.checkReplies());
            t.addProcessor(Nodes.CONVERSATION_CHECK_REPLIES,
                    (ProcessorSupplier<String, CheckReply, String, Object>) () -> new EngineProcessor<CheckReply, ConversationEngine>(
                            context -> new ConversationEngine(context, settings), (e, r) -> e.onReply(r.key(), r.value())),
                    Nodes.CHECK_REPLIES);
            // Receipts come back keyed by conversation: the summary joins the conversation's task.
            Serde<DeliveryReceipt> receipts = ConvoSerdes.valueSerde(DeliveryReceipt.class, serdeConfig);
            t.addSource(Nodes.DELIVERY_RECEIPTS, keyIn, new ByteArrayDeserializer(), topics.deliveryReceipts());
            t.addProcessor(Nodes.DECODE_DELIVERY_RECEIPTS,
                    decoder(receipts.deserializer(), Nodes.DELIVERY_SUMMARIES, Nodes.CONVERSATION_DLQ), Nodes.DELIVERY_RECEIPTS);
            t.addProcessor(Nodes.DELIVERY_SUMMARIES, DeliveryReceiptProcessor::new, Nodes.DECODE_DELIVERY_RECEIPTS);
            String[] both = {Nodes.CONVERSATIONS, Nodes.CONVERSATION_CHECK_REPLIES};
            String[] all = {Nodes.CONVERSATIONS, Nodes.CONVERSATION_CHECK_REPLIES, Nodes.DELIVERY_SUMMARIES};
            t.addStateStore(stores.keyValue(StoreNames.CONVERSATIONS, ConvoSerdes.internalSerde(ConversationAggregate.class)), all);
            t.addStateStore(stores.keyValue(StoreNames.MESSAGES, ConvoSerdes.internalSerde(MessageState.class)), all);
            t.addStateStore(stores.keyValue(StoreNames.DELIVERY_SUMMARIES, ConvoSerdes.internalSerde(DeliverySummary.class)), all);
            t.addStateStore(stores.keyValue(StoreNames.PENDING_CHECKS, ConvoSerdes.internalSerde(PendingCheck.class)), both);
            t.addStateStore(stores.keyValue(StoreNames.PARKED_COMMANDS, ConvoSerdes.internalSerde(ConversationCommand.class)), both);
            t.addStateStore(actionWindows(StoreNames.CONVERSATION_ACTIONS), both);
            t.addStateStore(outcomes(StoreNames.CONVERSATION_OUTCOMES), both);
            t.addSink(Nodes.CONVERSATION_EVENTS, topics.conversationEvents(), keyOut, events, all);
            Serializer<Delivery> deliveries = ConvoSerdes.valueSerde(Delivery.class, serdeConfig).serializer();
            t.addSink(Nodes.DELIVERY_CHAT, topics.deliveryChat(), keyOut, deliveries, both);
            t.addSink(Nodes.DELIVERY_SMS, topics.deliverySms(), keyOut, deliveries, both);
            t.addSink(Nodes.DELIVERY_MMS, topics.deliveryMms(), keyOut, deliveries, both);
            t.addSink(Nodes.DELIVERY_WHATSAPP, topics.deliveryWhatsapp(), keyOut, deliveries, both);
            t.addSink(Nodes.FAILED_DELIVERIES, topics.deliveryReceipts(), keyOut, receipts.serializer(), both);
            t.addSink(Nodes.CONVERSATION_REJECTIONS, topics.commandRejections(), keyOut, rejections, both);
            t.addSink(Nodes.IDENTITY_CHECK_REQUESTS, topics.identityChecks(), keyOut, checkRequests.serializer(), both);
            t.addSink(Nodes.SERVICE_CHECK_REQUESTS, topics.serviceChecks(), keyOut, checkRequests.serializer(), both);
            t.addSink(Nodes.CONVERSATION_DLQ, topics.commandsDlq(), keyOut, new ByteArraySerializer(),
                    Nodes.DECODE_CONVERSATION_COMMANDS, Nodes.DECODE_DELIVERY_RECEIPTS);
        }

        /** Identities: L9 membership counts across all conversations of a service. */
        void addIdentities(Topology t) {
            t.addSource(Nodes.IDENTITY_CHECKS, keyIn, checkRequests.deserializer(), topics.identityChecks());
            t.addProcessor(Nodes.IDENTITY_MEMBERSHIPS,
                    () -> new IdentityMembershipProcessor(settings.limits().conversationsPerIdentity()), Nodes.IDENTITY_CHECKS);
            t.addStateStore(stores.keyValue(StoreNames.IDENTITY_MEMBERSHIPS, ConvoSerdes.internalSerde(IdentityMemberships.class)),
                    Nodes.IDENTITY_MEMBERSHIPS);
            t.addSink(Nodes.IDENTITY_CHECK_REPLIES, topics.checkReplies(), keyOut, checkReplies.serializer(),
                    Nodes.IDENTITY_MEMBERSHIPS);
        }

        /** Services: users, roles, and the per-service action window that conversation create/delete share. */
        void addServices(Topology t) {
            Serde<ServiceCommand> commands = ConvoSerdes.valueSerde(ServiceCommand.class, serdeConfig);
            Serializer<ServiceEvent> events = ConvoSerdes.valueSerde(ServiceEvent.class, serdeConfig).serializer();
            t.addSource(Nodes.SERVICE_COMMANDS, keyIn, new ByteArrayDeserializer(), topics.serviceCommands());
            t.addProcessor(Nodes.DECODE_SERVICE_COMMANDS,
                    decoder(commands.deserializer(), Nodes.SERVICES, Nodes.SERVICE_DLQ), Nodes.SERVICE_COMMANDS);
            t.addProcessor(Nodes.SERVICES,
                    (ProcessorSupplier<String, ServiceCommand, String, Object>) () -> new EngineProcessor<ServiceCommand, ServiceEngine>(
                            context -> new ServiceEngine(context, settings), (e, r) -> e.onCommand(r.key(), r.value())),
                    Nodes.DECODE_SERVICE_COMMANDS);
            t.addSource(Nodes.SERVICE_CHECKS, keyIn, checkRequests.deserializer(), topics.serviceChecks());
            t.addProcessor(Nodes.SERVICE_ACTION_CHECKS,
                    (ProcessorSupplier<String, CheckRequest, String, Object>) () -> new EngineProcessor<CheckRequest, ServiceEngine>(
                            context -> new ServiceEngine(context, settings), (e, r) -> e.onActionCheck(r.key(), r.value())),
                    Nodes.SERVICE_CHECKS);
            String[] both = {Nodes.SERVICES, Nodes.SERVICE_ACTION_CHECKS};
            t.addStateStore(stores.keyValue(StoreNames.USERS, ConvoSerdes.internalSerde(UserState.class)), both);
            t.addStateStore(stores.keyValue(StoreNames.ROLES, ConvoSerdes.internalSerde(RoleState.class)), both);
            t.addStateStore(actionWindows(StoreNames.SERVICE_ACTIONS), both);
            t.addStateStore(outcomes(StoreNames.SERVICE_OUTCOMES), both);
            t.addSink(Nodes.SERVICE_EVENTS, topics.serviceEvents(), keyOut, events, Nodes.SERVICES);
            t.addSink(Nodes.SERVICE_REJECTIONS, topics.commandRejections(), keyOut, rejections, Nodes.SERVICES);
            t.addSink(Nodes.SERVICE_CHECK_REPLIES, topics.checkReplies(), keyOut, checkReplies.serializer(),
                    Nodes.SERVICE_ACTION_CHECKS);
            t.addSink(Nodes.SERVICE_DLQ, topics.commandsDlq(), keyOut, new ByteArraySerializer(), Nodes.DECODE_SERVICE_COMMANDS);
        }

        private StoreBuilder<KeyValueStore<String, ActionWindowCounts>> actionWindows(String name) {
            return stores.keyValue(name, ConvoSerdes.internalSerde(ActionWindowCounts.class));
        }

        private StoreBuilder<WindowStore<String, CommandOutcome>> outcomes(String name) {
            Duration retention = settings.idempotencyRetention();
            return stores.windows(name, retention, CommandOutcomes.bucket(retention),
                    ConvoSerdes.internalSerde(CommandOutcome.class));
        }
    }

    private static <V> ProcessorSupplier<String, byte[], String, Object> decoder(Deserializer<V> values, String decoded,
                                                                             String dlq) {
        return () -> new CommandDecoder<>(values, decoded, dlq);
    }
}
