package io.convo.rules;

import static io.convo.rules.TestCommands.CONVERSATION;
import static io.convo.rules.TestCommands.addChat;
import static io.convo.rules.TestCommands.addProjectedChat;
import static io.convo.rules.TestCommands.addSms;
import static io.convo.rules.TestCommands.addWhatsapp;
import static io.convo.rules.TestCommands.media;
import static io.convo.rules.TestCommands.readUpTo;
import static io.convo.rules.TestCommands.removeMessage;
import static io.convo.rules.TestCommands.removeParticipant;
import static io.convo.rules.TestCommands.sendMessage;
import static io.convo.rules.TestCommands.updateMessage;
import static io.convo.rules.TestCommands.updateParticipant;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.ActionWindowCounts;
import io.convo.model.ConversationState;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import io.convo.model.MessageAdded;
import io.convo.model.RateLimitScope;
import io.convo.model.UserCreated;
import io.convo.model.RoleCreated;
import io.convo.model.RoleType;
import io.convo.rules.conversation.ConversationAggregate;
import io.convo.rules.conversation.ConversationFold;
import io.convo.rules.conversation.ConversationRules;
import io.convo.rules.conversation.DeliverySummaries;
import io.convo.rules.conversation.FanOut;
import io.convo.rules.conversation.Given;
import io.convo.rules.conversation.TestEvents;
import io.convo.rules.identity.IdentityAggregate;
import io.convo.rules.identity.IdentityRules;
import io.convo.rules.identity.MembershipChange;
import io.convo.rules.service.ServiceAggregate;
import io.convo.rules.service.ServiceFold;
import io.convo.rules.service.ServiceRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Decide never mutates its input (STYLE: decide, then evolve): every kind of command, accepted or rejected, is run
 * through validation and decide against a state, and the stores' deep snapshots before and after must be equal; so
 * must a second decision of the same command.
 */
class DecideIsPureTest {

    private final Limits limits = Limits.defaults();

    /** A conversation with every kind of participant, messages, a read horizon and delivery summaries. */
    private static Given richConversation(ConversationState state) {
        Given given = Given.conversation()
                .chat("MB1", "alice").projectedChat("MB2", "pat", "+15551234")
                .sms("MB3", "+15550003", "+15559000").sms("MB4", "+15550004", null)
                .whatsapp("MB5", "whatsapp:+15550005", "whatsapp:+15559001")
                .messages(3)
                .fold(TestEvents.participantUpdated(CONVERSATION, "MB1", 1L),
                        TestEvents.messageRemoved(CONVERSATION, "IM1", 1));
        for (String participant : List.of("MB3", "MB5")) {
            given.fold(DeliverySummaries.decide(receipt("IM0", participant, DeliveryStatus.delivered),
                    given.state().message("IM0"), given.state()));
        }
        if (state != ConversationState.active) {
            given.fold(TestEvents.updated(CONVERSATION, state));
        }
        return given;
    }

    private static DeliveryReceipt receipt(String messageSid, String participantSid, DeliveryStatus status) {
        return DeliveryReceipt.newBuilder().setMessageSid(messageSid).setConversationSid(CONVERSATION)
                .setParticipantSid(participantSid).setStatus(status).setTimestamp(TestCommands.T0).build();
    }

    /** Every kind of conversation command, in variants that are accepted, awaited or rejected. */
    private static List<SpecificRecord> everyConversationCommand() {
        return List.of(
                TestCommands.createConversation(CONVERSATION),
                TestCommands.renameConversation(CONVERSATION, "renamed"),
                TestCommands.updateConversation(CONVERSATION, ConversationState.inactive),
                TestCommands.updateConversation(CONVERSATION, ConversationState.active),
                TestCommands.updateConversation(CONVERSATION, ConversationState.closed),
                TestCommands.deleteConversation(CONVERSATION),
                addChat(CONVERSATION, "MB9", "zoe"),
                addChat(CONVERSATION, "MB9", "alice"),
                addChat(CONVERSATION, "MB1", "zoe"),
                addProjectedChat(CONVERSATION, "MB9", "zoe", "+15550009"),
                addSms(CONVERSATION, "MB9", "+15550009", "+15559000"),
                addSms(CONVERSATION, "MB9", "+15550003", "+15559000"),
                addSms(CONVERSATION, "MB9", "+15550009", null),
                addWhatsapp(CONVERSATION, "MB9", "whatsapp:+15550009", "whatsapp:+15559001"),
                updateParticipant(CONVERSATION, "MB1"),
                readUpTo(CONVERSATION, "MB1", 0),
                readUpTo(CONVERSATION, "MB1", 2),
                readUpTo(CONVERSATION, "MB1", 3),
                readUpTo(CONVERSATION, "MB9", 0),
                removeParticipant(CONVERSATION, "MB1"),
                removeParticipant(CONVERSATION, "MB3"),
                removeParticipant(CONVERSATION, "MB9"),
                sendMessage(CONVERSATION, "IM-new", "alice", "hi", media("image/png", 10)),
                sendMessage(CONVERSATION, "IM-new", "+15550003", null, media("image/png", 3 * Limits.MB)),
                sendMessage(CONVERSATION, "IM0", "alice", "again"),
                updateMessage(CONVERSATION, "IM0", "edited"),
                updateMessage(CONVERSATION, "IM1", "removed"),
                removeMessage(CONVERSATION, "IM2"),
                removeMessage(CONVERSATION, "IM9"));
    }

    private static void assertUnchanged(Map<String, Map<String, String>> before, Supplier<Map<String, Map<String, String>>> after,
                                        String what) {
        assertThat(after.get()).as(what).isEqualTo(before);
    }

    @ParameterizedTest(name = "a conversation that is {0}")
    @EnumSource(ConversationState.class)
    void conversationDecisionsChangeNoState(ConversationState state) {
        Given given = richConversation(state);
        ConversationRules rules = new ConversationRules(limits);
        var before = Snapshots.of(given.stores());
        String conversationBefore = given.state().conversation().toString();
        for (SpecificRecord body : everyConversationCommand()) {
            Command command = Command.of(body);
            rules.validate(command, given.state());
            Decision first = rules.decide(command, given.state());
            Decision second = rules.decide(command, given.state());
            assertThat(second).as("the same decision twice for " + body).isEqualTo(first);
            assertUnchanged(before, () -> Snapshots.of(given.stores()), command.type() + " " + body);
            assertThat(given.state().conversation().toString()).as("the aggregate's own value").isEqualTo(conversationBefore);
        }
    }

    @Test
    void decisionsAboutAConversationThatDoesNotExistChangeNoState() {
        Given none = Given.noConversation();
        ConversationRules rules = new ConversationRules(limits);
        for (SpecificRecord body : everyConversationCommand()) {
            Command command = Command.of(body);
            rules.validate(command, none.state());
            rules.decide(command, none.state());
        }
        assertThat(Snapshots.of(none.stores())).allSatisfy((store, entries) -> assertThat(entries).as(store).isEmpty());
    }

    @Test
    void theL9AnswersChangeNoState() {
        Given given = richConversation(ConversationState.active);
        ConversationRules rules = new ConversationRules(limits);
        var before = Snapshots.of(given.stores());
        rules.granted(addChat(CONVERSATION, "MB9", "zoe"));
        rules.identityLimit(addChat(CONVERSATION, "MB9", "zoe"), 1000);
        assertThat(Snapshots.of(given.stores())).isEqualTo(before);
    }

    @Test
    void thePipelineChangesNoStateNorTheCountsItIsGiven() {
        Given given = richConversation(ConversationState.active);
        CommandPipeline<ConversationAggregate> pipeline = new CommandPipeline<>(RateLimitScope.conversation, limits,
                Duration.ofMinutes(5), new ConversationRules(limits));
        ActionWindowCounts counts = new ActionWindowCounts(new ArrayList<>(List.of(TestCommands.T0)),
                new ArrayList<>(List.of(7)));
        String countsBefore = counts.toString();
        var before = Snapshots.of(given.stores());
        for (SpecificRecord body : everyConversationCommand()) {
            Command command = Command.of(body);
            pipeline.run(command, CONVERSATION, given.state(), TestCommands.T0, (id, t) -> null, counts);
            pipeline.afterServiceCheck(command, given.state(), true, null, null);
        }
        assertThat(Snapshots.of(given.stores())).isEqualTo(before);
        assertThat(counts.toString()).isEqualTo(countsBefore);
    }

    @Test
    void planningAFanOutChangesNoState() {
        Given given = richConversation(ConversationState.active);
        MessageAdded message = TestEvents.messageAdded(CONVERSATION, "IM3", 3, "alice", "x".repeat(1_601),
                media("image/png", 10), media("image/gif", 6 * Limits.MB));
        given.fold(message);
        var before = Snapshots.of(given.stores());
        FanOut.Plan plan = new FanOut(limits).plan(message, given.state());
        assertThat(plan.deliveries()).isNotEmpty();
        assertThat(Snapshots.of(given.stores())).isEqualTo(before);
        assertThat(message.getMedia()).hasSize(2);
    }

    @Test
    void derivingAFoldsChangesOrASummaryChangesNoState() {
        Given given = richConversation(ConversationState.active);
        var before = Snapshots.of(given.stores());
        ConversationFold.changes(given.state(), TestEvents.updated(CONVERSATION, ConversationState.closed));
        ConversationFold.changes(given.state(), TestEvents.deleted(CONVERSATION));
        ConversationFold.changes(given.state(), TestEvents.participantRemoved(CONVERSATION, "MB1", "alice"));
        DeliverySummaries.decide(receipt("IM0", "MB3", DeliveryStatus.read), given.state().message("IM0"), given.state());
        assertThat(Snapshots.of(given.stores())).isEqualTo(before);
    }

    @Test
    void serviceDecisionsChangeNoState() {
        ServiceAggregate.Stores stores = ServiceAggregate.Stores.inMemory();
        ServiceAggregate service = new ServiceAggregate(stores, TestCommands.SERVICE);
        ServiceFold.evolve(service, new UserCreated("c1", TestCommands.SERVICE, 1L, "alice", "Alice", "{}", "RL1"));
        ServiceFold.evolve(service, new RoleCreated("c2", TestCommands.SERVICE, 1L, "RL1", "reader", RoleType.service,
                new ArrayList<>(List.of("sendMessage"))));
        ServiceRules rules = new ServiceRules(limits);
        var before = Snapshots.of(stores);
        for (SpecificRecord body : List.<SpecificRecord>of(TestCommands.createUser("alice"), TestCommands.createUser("bob"),
                TestCommands.updateUser("alice"), TestCommands.updateUser("bob"), TestCommands.deleteUser("alice"),
                TestCommands.deleteUser("bob"), TestCommands.createRole("RL1"), TestCommands.createRole("RL2"),
                TestCommands.updateRole("RL1", "editOwnMessage"), TestCommands.updateRole("RL2", "editOwnMessage"),
                TestCommands.deleteRole("RL1"), TestCommands.deleteRole("RL2"))) {
            Command command = Command.of(body);
            rules.validate(command, service);
            assertThat(rules.decide(command, service)).isEqualTo(rules.decide(command, service));
            assertThat(Snapshots.of(stores)).as(command.type()).isEqualTo(before);
        }
        ServiceFold.change(new UserCreated("c3", TestCommands.SERVICE, 1L, "carol", null, null, null));
        assertThat(Snapshots.of(stores)).isEqualTo(before);
    }

    @Test
    void membershipReservationsChangeNoState() {
        IdentityAggregate.Stores stores = IdentityAggregate.Stores.inMemory();
        IdentityAggregate alice = new IdentityAggregate(stores, IdentityAggregate.key(TestCommands.SERVICE, "alice"));
        IdentityRules.evolve(alice, MembershipChange.reserve(TestCommands.SERVICE, "alice", "CH1"));
        var before = Snapshots.of(stores);
        IdentityRules.reserve(alice, "CH1", 1);
        IdentityRules.reserve(alice, "CH2", 1);
        IdentityRules.reserve(alice, "CH2", 1000);
        assertThat(Snapshots.of(stores)).isEqualTo(before);
    }
}
