package io.convo.rules.conversation;

import static io.convo.rules.Rejections.assertLimit;
import static io.convo.rules.Rejections.assertRejected;
import static io.convo.rules.Rejections.rejection;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convo.model.AddParticipant;
import io.convo.model.Channel;
import io.convo.model.ConversationCreated;
import io.convo.model.ConversationDeleted;
import io.convo.model.ConversationState;
import io.convo.model.ConversationUpdated;
import io.convo.model.CreateConversation;
import io.convo.model.Media;
import io.convo.model.MessageAdded;
import io.convo.model.MessageRemoved;
import io.convo.model.MessageUpdated;
import io.convo.model.MessagingBinding;
import io.convo.model.ParticipantAdded;
import io.convo.model.ParticipantRemoved;
import io.convo.model.ParticipantUpdated;
import io.convo.model.RejectionCode;
import io.convo.model.SendMessage;
import io.convo.model.UpdateConversation;
import io.convo.rules.Command;
import io.convo.rules.Decision;
import io.convo.rules.Limits;
import io.convo.rules.Rejection;
import io.convo.rules.TestCommands;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Step 3 of SPEC §3 for conversation commands (existence, state, L6–L8, PARTICIPANT_EXISTS, the read horizon,
 * messages), L9's answer, and step 1's choice of media limits by the author's channel. State is built by folding
 * the events that would have happened ({@link Given}).
 */
class ConversationRulesTest {

    private final ConversationRules rules = new ConversationRules(Limits.defaults());

    private Decision decide(Given given, SpecificRecord command) {
        return rules.decide(Command.of(command), given.state());
    }

    /** The single event of an accepted decision. */
    @SuppressWarnings("unchecked")
    private static <E extends SpecificRecord> E accepted(Decision decision, Class<E> type) {
        assertThat(decision).isInstanceOf(Decision.Accepted.class);
        assertThat(((Decision.Accepted) decision).events()).singleElement().isInstanceOf(type);
        return (E) ((Decision.Accepted) decision).events().get(0);
    }

    /** Every conversation command but CreateConversation, for a conversation {@code sid}. */
    static Stream<Arguments> commandsOfAnExistingConversation(String sid) {
        return Stream.of(
                Arguments.of(TestCommands.renameConversation(sid, "n")),
                Arguments.of(TestCommands.deleteConversation(sid)),
                Arguments.of(addChat(sid, "MB9", "zoe")),
                Arguments.of(addSms(sid, "MB9", "+15550009", "+15559999")),
                Arguments.of(updateParticipant(sid, "MB1")),
                Arguments.of(removeParticipant(sid, "MB1")),
                Arguments.of(sendMessage(sid, "IM9", "alice", "hi")),
                Arguments.of(updateMessage(sid, "IM0", "edited")),
                Arguments.of(removeMessage(sid, "IM0")));
    }

    static Stream<Arguments> commandsOfAnotherConversation() {
        return commandsOfAnExistingConversation("CH9");
    }

    /** The participant and message commands that a closed conversation refuses. */
    static Stream<Arguments> participantAndMessageCommands() {
        return commandsOfAnExistingConversation(CONVERSATION).skip(2);
    }

    @Nested
    class Existence {

        @Test
        void createsAConversationActiveByDefault() {
            ConversationCreated created = accepted(decide(Given.noConversation(),
                    CreateConversation.newBuilder(TestCommands.createConversation(CONVERSATION))
                            .setFriendlyName("team").setUniqueName("u1").setAttributes("{}").build()),
                    ConversationCreated.class);
            assertThat(created.getState()).isEqualTo(ConversationState.active);
            assertThat(created.getFriendlyName()).isEqualTo("team");
            assertThat(created.getUniqueName()).isEqualTo("u1");
            assertThat(created.getAttributes()).isEqualTo("{}");
            assertThat(created.getConversationSid()).isEqualTo(CONVERSATION);
        }

        @Test
        void createsAConversationInTheStateItIsGiven() {
            ConversationCreated created = accepted(decide(Given.noConversation(),
                    CreateConversation.newBuilder(TestCommands.createConversation(CONVERSATION))
                            .setState(ConversationState.inactive).build()), ConversationCreated.class);
            assertThat(created.getState()).isEqualTo(ConversationState.inactive);
        }

        @Test
        void rejectsCreatingAConversationThatExists() {
            assertRejected(rejection(decide(Given.conversation(), TestCommands.createConversation(CONVERSATION))),
                    RejectionCode.CONVERSATION_EXISTS, null, "conversation CH1 already exists");
        }

        @Test
        void createsAConversationAgainOnceDeleted() {
            Given given = Given.conversation().fold(TestEvents.deleted(CONVERSATION));
            accepted(decide(given, TestCommands.createConversation(CONVERSATION)), ConversationCreated.class);
        }

        @ParameterizedTest
        @MethodSource("io.convo.rules.conversation.ConversationRulesTest#commandsOfAnotherConversation")
        void rejectsEveryOtherCommandOfAConversationThatDoesNotExist(SpecificRecord command) {
            Given other = Given.noConversation();
            Decision decision = rules.decide(Command.of(command), new ConversationAggregate(other.stores(), "CH9"));
            assertRejected(rejection(decision), RejectionCode.CONVERSATION_NOT_FOUND, null, "conversation CH9 does not exist");
        }

        @Test
        void refusesACommandThatIsNoConversationCommand() {
            assertThatThrownBy(() -> decide(Given.conversation(), TestCommands.createUser("alice")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CreateUser");
        }
    }

    @Nested
    class States {

        @Test
        void movesBetweenActiveAndInactive() {
            assertThat(accepted(decide(Given.conversation(),
                    TestCommands.updateConversation(CONVERSATION, ConversationState.inactive)), ConversationUpdated.class)
                    .getState()).isEqualTo(ConversationState.inactive);
            assertThat(accepted(decide(Given.conversation(ConversationState.inactive),
                    TestCommands.updateConversation(CONVERSATION, ConversationState.active)), ConversationUpdated.class)
                    .getState()).isEqualTo(ConversationState.active);
        }

        @Test
        void anUpdateWithoutAStateKeepsTheCurrentOne() {
            ConversationUpdated updated = accepted(decide(Given.conversation(ConversationState.inactive),
                    TestCommands.renameConversation(CONVERSATION, "renamed")), ConversationUpdated.class);
            assertThat(updated.getState()).isEqualTo(ConversationState.inactive);
            assertThat(updated.getFriendlyName()).isEqualTo("renamed");
        }

        @Test
        void closes() {
            assertThat(accepted(decide(Given.conversation(ConversationState.inactive),
                    TestCommands.updateConversation(CONVERSATION, ConversationState.closed)), ConversationUpdated.class)
                    .getState()).isEqualTo(ConversationState.closed);
        }

        @Test
        void closedIsFinal() {
            Given closed = Given.conversation().closed();
            for (ConversationState reopened : new ConversationState[] {ConversationState.active, ConversationState.inactive}) {
                assertRejected(rejection(decide(closed, TestCommands.updateConversation(CONVERSATION, reopened))),
                        RejectionCode.CONVERSATION_CLOSED, 50377, "conversation CH1 is closed");
            }
        }

        @Test
        void aClosedConversationMayStillBeRenamedAndDeleted() {
            Given closed = Given.conversation().closed();
            assertThat(accepted(decide(closed, TestCommands.renameConversation(CONVERSATION, "archive")),
                    ConversationUpdated.class).getState()).isEqualTo(ConversationState.closed);
            assertThat(accepted(decide(closed, TestCommands.deleteConversation(CONVERSATION)), ConversationDeleted.class)
                    .getConversationSid()).isEqualTo(CONVERSATION);
        }

        @ParameterizedTest
        @MethodSource("io.convo.rules.conversation.ConversationRulesTest#participantAndMessageCommands")
        void aClosedConversationRejectsParticipantAndMessageChanges(SpecificRecord command) {
            Given closed = Given.conversation().chat("MB1", "alice").messages(1).closed();
            assertRejected(rejection(decide(closed, command)), RejectionCode.CONVERSATION_CLOSED, 50377,
                    "conversation CH1 is closed");
        }

        @ParameterizedTest
        @MethodSource("io.convo.rules.conversation.ConversationRulesTest#participantAndMessageCommands")
        void anInactiveConversationTakesParticipantAndMessageChanges(SpecificRecord command) {
            Given inactive = Given.conversation(ConversationState.inactive).chat("MB1", "alice").messages(1);
            assertThat(decide(inactive, command)).isNotInstanceOf(Decision.Rejected.class);
        }
    }

    @Nested
    class L6ParticipantsPerConversation {

        @Test
        void admitsThe1000thParticipant() {
            Given given = Given.conversation().chatParticipants(999);
            assertThat(decide(given, addChat(CONVERSATION, "MB-new", "newcomer")))
                    .isEqualTo(new Decision.AwaitIdentity("newcomer"));
        }

        @Test
        void rejectsThe1001stParticipant() {
            Given given = Given.conversation().chatParticipants(1000);
            assertLimit(rejection(decide(given, addChat(CONVERSATION, "MB-new", "newcomer"))),
                    RejectionCode.PARTICIPANT_LIMIT, 50417, 1000, "conversation CH1 has 1000 participants",
                    "limit is 1000");
        }

        @Test
        void countsNonChatParticipantsInsideThe1000() {
            Given given = Given.conversation().smsParticipants(10).chatParticipants(990);
            assertLimit(rejection(decide(given, addSms(CONVERSATION, "MB-new", "+17770001", "+15559999"))),
                    RejectionCode.PARTICIPANT_LIMIT, 50417, 1000, "has 1000 participants");
        }

        @Test
        void aRemovedParticipantFreesItsPlace() {
            Given given = Given.conversation().chatParticipants(1000)
                    .fold(TestEvents.participantRemoved(CONVERSATION, "MB-chat-0", "user-0"));
            assertThat(decide(given, addChat(CONVERSATION, "MB-new", "newcomer"))).isInstanceOf(Decision.AwaitIdentity.class);
        }

        @Test
        void followsAConfiguredLimit() {
            ConversationRules five = new ConversationRules(Limits.from(Map.of("convo.limits.participants-per-conversation", "5")));
            Given given = Given.conversation().chatParticipants(5);
            assertLimit(rejection(five.decide(Command.of(addChat(CONVERSATION, "MB-new", "newcomer")), given.state())),
                    RejectionCode.PARTICIPANT_LIMIT, 50417, 5, "has 5 participants", "limit is 5");
        }
    }

    @Nested
    class L7NonChatParticipants {

        @Test
        void admitsThe50thNonChatParticipant() {
            Given given = Given.conversation().smsParticipants(25).whatsappParticipants(24);
            ParticipantAdded added = accepted(decide(given, addSms(CONVERSATION, "MB-new", "+17770001", "+15559999")),
                    ParticipantAdded.class);
            assertThat(added.getChannel()).isEqualTo(Channel.sms);
            accepted(decide(given, addWhatsapp(CONVERSATION, "MB-new", "whatsapp:+17770001", "whatsapp:+1")),
                    ParticipantAdded.class);
        }

        @Test
        void rejectsThe51stNonChatParticipant() {
            Given given = Given.conversation().smsParticipants(25).whatsappParticipants(25);
            assertLimit(rejection(decide(given, addSms(CONVERSATION, "MB-new", "+17770001", "+15559999"))),
                    RejectionCode.NON_CHAT_PARTICIPANT_LIMIT, 50418, 50, "conversation CH1 has 50 non-chat participants",
                    "limit is 50");
            assertLimit(rejection(decide(given, addWhatsapp(CONVERSATION, "MB-new", "whatsapp:+17770001", "whatsapp:+1"))),
                    RejectionCode.NON_CHAT_PARTICIPANT_LIMIT, 50418, 50, "has 50 non-chat participants");
        }

        @Test
        void stillAdmitsChatParticipants() {
            Given given = Given.conversation().smsParticipants(50);
            assertThat(decide(given, addChat(CONVERSATION, "MB-new", "alice"))).isInstanceOf(Decision.AwaitIdentity.class);
        }

        @Test
        void aRemovedNonChatParticipantFreesItsPlace() {
            Given given = Given.conversation().smsParticipants(50)
                    .fold(TestEvents.participantRemoved(CONVERSATION, "MB-sms-3", null));
            accepted(decide(given, addSms(CONVERSATION, "MB-new", "+17770001", "+15559999")), ParticipantAdded.class);
        }
    }

    @Nested
    class L8GroupMms {

        @Test
        void admitsThe10thParticipantOfAGroupMmsConversation() {
            Given given = Given.conversation().groupMmsMembers(1).chatParticipants(8);
            assertThat(decide(given, addChat(CONVERSATION, "MB-new", "newcomer"))).isInstanceOf(Decision.AwaitIdentity.class);
            accepted(decide(given, addSms(CONVERSATION, "MB-new", "+17770001", null)), ParticipantAdded.class);
        }

        @Test
        void rejectsThe11thParticipantOfAGroupMmsConversation() {
            Given given = Given.conversation().groupMmsMembers(2).chatParticipants(8);
            for (AddParticipant add : new AddParticipant[] {addChat(CONVERSATION, "MB-new", "newcomer"),
                    addSms(CONVERSATION, "MB-new", "+17770001", null),
                    addSms(CONVERSATION, "MB-new", "+17770001", "+15559999")}) {
                assertLimit(rejection(decide(given, add)), RejectionCode.GROUP_MMS_PARTICIPANT_LIMIT, 50436, 10,
                        "group MMS conversation CH1 has 10 participants", "limit is 10");
            }
        }

        @Test
        void aChatParticipantWithAProjectedAddressMakesAGroupMmsConversation() {
            Given given = Given.conversation().projectedChat("MB-p", "pat", "+15551234").chatParticipants(9);
            assertLimit(rejection(decide(given, addChat(CONVERSATION, "MB-new", "newcomer"))),
                    RejectionCode.GROUP_MMS_PARTICIPANT_LIMIT, 50436, 10, "has 10 participants");
        }

        @Test
        void rejectsTheParticipantThatWouldMakeA10ParticipantConversationAGroupMmsOne() {
            Given given = Given.conversation().chatParticipants(10);
            assertLimit(rejection(decide(given, addSms(CONVERSATION, "MB-new", "+17770001", null))),
                    RejectionCode.GROUP_MMS_PARTICIPANT_LIMIT, 50436, 10, "has 10 participants");
            assertLimit(rejection(decide(given, addProjectedChat(CONVERSATION, "MB-new", "newcomer", "+17770002"))),
                    RejectionCode.GROUP_MMS_PARTICIPANT_LIMIT, 50436, 10, "has 10 participants");
        }

        @Test
        void doesNotApplyToAConversationWithoutGroupMmsMembers() {
            Given given = Given.conversation().smsParticipants(5).chatParticipants(10);
            accepted(decide(given, addSms(CONVERSATION, "MB-new", "+17770001", "+15559999")), ParticipantAdded.class);
            assertThat(decide(given, addChat(CONVERSATION, "MB-new", "newcomer"))).isInstanceOf(Decision.AwaitIdentity.class);
        }

        @Test
        void stopsApplyingOnceTheLastGroupMmsMemberLeft() {
            Given given = Given.conversation().groupMmsMembers(1).chatParticipants(9)
                    .fold(TestEvents.participantRemoved(CONVERSATION, "MB-mms-0", null))
                    .chatParticipants(1);
            assertThat(decide(given, addChat(CONVERSATION, "MB-new", "newcomer"))).isInstanceOf(Decision.AwaitIdentity.class);
        }
    }

    @Nested
    class ParticipantExists {

        private final Given given = Given.conversation().chat("MB1", "alice").sms("MB2", "+15550001", "+15559999")
                .sms("MB3", "+15550003", null);

        @Test
        void rejectsAParticipantSidThatIsIn() {
            assertRejected(rejection(decide(given, addChat(CONVERSATION, "MB2", "zoe"))),
                    RejectionCode.PARTICIPANT_EXISTS, null, "participant MB2 is already in conversation CH1");
        }

        @Test
        void rejectsAnIdentityThatIsIn() {
            assertRejected(rejection(decide(given, addChat(CONVERSATION, "MB9", "alice"))),
                    RejectionCode.PARTICIPANT_EXISTS, null, "identity alice is already in conversation CH1");
        }

        @Test
        void rejectsABindingThatIsInWithTwilioCode50416() {
            assertRejected(rejection(decide(given, addSms(CONVERSATION, "MB9", "+15550001", "+15559999"))),
                    RejectionCode.PARTICIPANT_EXISTS, 50416,
                    "a binding with address +15550001 and proxy address +15559999 is already in conversation CH1");
            assertRejected(rejection(decide(given, addSms(CONVERSATION, "MB9", "+15550003", null))),
                    RejectionCode.PARTICIPANT_EXISTS, 50416, "address +15550003 and proxy address null");
        }

        @Test
        void namesTheParticipantThatJoinedFirstWhenSeveralClash() {
            // MB2's sid and alice's identity (MB1, joined first) both clash
            assertRejected(rejection(decide(given, addChat(CONVERSATION, "MB2", "alice"))),
                    RejectionCode.PARTICIPANT_EXISTS, null, "identity alice is already in conversation CH1");
        }

        @Test
        void aRemovedParticipantMayJoinAgain() {
            Given left = given.fold(TestEvents.participantRemoved(CONVERSATION, "MB1", "alice"),
                    TestEvents.participantRemoved(CONVERSATION, "MB2", null));
            assertThat(decide(left, addChat(CONVERSATION, "MB1", "alice"))).isEqualTo(new Decision.AwaitIdentity("alice"));
            accepted(decide(left, addSms(CONVERSATION, "MB2", "+15550001", "+15559999")), ParticipantAdded.class);
        }
    }

    @Nested
    class AddingAndL9 {

        @Test
        void aChatParticipantAwaitsItsIdentitysMembership() {
            assertThat(decide(Given.conversation(), addChat(CONVERSATION, "MB1", "alice")))
                    .isEqualTo(new Decision.AwaitIdentity("alice"));
        }

        @Test
        void aNonChatParticipantIsAddedAtOnce() {
            AddParticipant add = AddParticipant.newBuilder(addWhatsapp(CONVERSATION, "MB1", "whatsapp:+1555", "whatsapp:+1999"))
                    .setRoleSid("RL1").setAttributes("{\"a\":1}").build();
            ParticipantAdded added = accepted(decide(Given.conversation(), add), ParticipantAdded.class);
            assertThat(added.getChannel()).isEqualTo(Channel.whatsapp);
            assertThat(added.getParticipantSid()).isEqualTo("MB1");
            assertThat(added.getIdentity()).isNull();
            assertThat(added.getMessagingBinding()).isEqualTo(new MessagingBinding(io.convo.model.BindingType.whatsapp,
                    "whatsapp:+1555", "whatsapp:+1999"));
            assertThat(added.getRoleSid()).isEqualTo("RL1");
            assertThat(added.getAttributes()).isEqualTo("{\"a\":1}");
            assertThat(added.getCommandId()).isEqualTo(add.getCommandId());
        }

        @Test
        void aGrantedChatParticipantIsAddedWithEverythingItsCommandSaid() {
            AddParticipant add = AddParticipant.newBuilder(addProjectedChat(CONVERSATION, "MB1", "alice", "+15551234"))
                    .setRoleSid("RL1").setAttributes("{}").build();
            ParticipantAdded added = (ParticipantAdded) rules.granted(add).events().get(0);
            assertThat(added.getChannel()).isEqualTo(Channel.chat);
            assertThat(added.getIdentity()).isEqualTo("alice");
            assertThat(added.getProjectedAddress()).isEqualTo("+15551234");
            assertThat(added.getMessagingBinding()).isNull();
            assertThat(added.getRoleSid()).isEqualTo("RL1");
            assertThat(added.getAttributes()).isEqualTo("{}");
            assertThat(added.getConversationSid()).isEqualTo(CONVERSATION);
            assertThat(added.getServiceSid()).isEqualTo(add.getServiceSid());
            assertThat(added.getTimestamp()).isEqualTo(add.getTimestamp());
        }

        @Test
        void aRefusedMembershipIsRejectedWithTheIdentityLimit() {
            Rejection r = rules.identityLimit(addChat(CONVERSATION, "MB1", "alice"), 1000).rejection();
            assertLimit(r, RejectionCode.IDENTITY_CONVERSATION_LIMIT, 50214, 1000,
                    "identity alice belongs to 1000 conversations", "limit is 1000");
        }

        @Test
        void theIdentityLimitFollowsItsConfiguration() {
            ConversationRules three = new ConversationRules(Limits.from(Map.of("convo.limits.conversations-per-identity", "3")));
            assertLimit(three.identityLimit(addChat(CONVERSATION, "MB1", "bob"), 3).rejection(),
                    RejectionCode.IDENTITY_CONVERSATION_LIMIT, 50214, 3, "identity bob belongs to 3 conversations",
                    "limit is 3");
        }
    }

    @Nested
    class ReadHorizon {

        private final Given given = Given.conversation().chat("MB1", "alice").messages(5);

        @Test
        void movesUpToTheLastMessageIndex() {
            ParticipantUpdated updated = accepted(decide(given, readUpTo(CONVERSATION, "MB1", 4)), ParticipantUpdated.class);
            assertThat(updated.getLastReadMessageIndex()).isEqualTo(4);
        }

        @Test
        void rejectsAnIndexPastTheLastMessage() {
            assertRejected(rejection(decide(given, readUpTo(CONVERSATION, "MB1", 5))), RejectionCode.MESSAGE_NOT_FOUND,
                    null, "lastReadMessageIndex 5 is past the conversation's last message index 4");
        }

        @Test
        void rejectsAnyIndexInAConversationWithoutMessages() {
            Given empty = Given.conversation().chat("MB1", "alice");
            assertRejected(rejection(decide(empty, readUpTo(CONVERSATION, "MB1", 0))), RejectionCode.MESSAGE_NOT_FOUND,
                    null, "lastReadMessageIndex 0 is past the conversation's last message index -1");
        }

        @Test
        void neverMovesBackwards() {
            Given read = given.fold(TestEvents.participantUpdated(CONVERSATION, "MB1", 3L));
            assertThat(accepted(decide(read, readUpTo(CONVERSATION, "MB1", 1)), ParticipantUpdated.class)
                    .getLastReadMessageIndex()).isEqualTo(3);
            assertThat(accepted(decide(read, readUpTo(CONVERSATION, "MB1", 4)), ParticipantUpdated.class)
                    .getLastReadMessageIndex()).isEqualTo(4);
        }

        @Test
        void anUpdateWithoutAHorizonLeavesItAlone() {
            Given read = given.fold(TestEvents.participantUpdated(CONVERSATION, "MB1", 3L));
            ParticipantUpdated updated = accepted(decide(read, io.convo.model.UpdateParticipant
                    .newBuilder(updateParticipant(CONVERSATION, "MB1")).setRoleSid("RL2").build()), ParticipantUpdated.class);
            assertThat(updated.getLastReadMessageIndex()).isNull();
            assertThat(updated.getRoleSid()).isEqualTo("RL2");
        }

        @Test
        void aRemovedMessageStillCountsForTheHorizon() {
            Given removed = given.fold(TestEvents.messageRemoved(CONVERSATION, "IM4", 4));
            assertThat(accepted(decide(removed, readUpTo(CONVERSATION, "MB1", 4)), ParticipantUpdated.class)
                    .getLastReadMessageIndex()).isEqualTo(4);
        }

        @Test
        void rejectsAnUnknownParticipant() {
            assertRejected(rejection(decide(given, readUpTo(CONVERSATION, "MB9", 1))), RejectionCode.PARTICIPANT_NOT_FOUND,
                    null, "participant MB9 is not in conversation CH1");
        }
    }

    @Nested
    class RemovingParticipants {

        @Test
        void removesAParticipantNamingItsIdentity() {
            Given given = Given.conversation().chat("MB1", "alice");
            ParticipantRemoved removed = accepted(decide(given, removeParticipant(CONVERSATION, "MB1")),
                    ParticipantRemoved.class);
            assertThat(removed.getParticipantSid()).isEqualTo("MB1");
            assertThat(removed.getIdentity()).isEqualTo("alice");
        }

        @Test
        void rejectsAnUnknownParticipant() {
            assertRejected(rejection(decide(Given.conversation(), removeParticipant(CONVERSATION, "MB1"))),
                    RejectionCode.PARTICIPANT_NOT_FOUND, null, "participant MB1 is not in conversation CH1");
        }
    }

    @Nested
    class Messages {

        @Test
        void aMessageGetsTheNextIndex() {
            Given given = Given.conversation().chat("MB1", "alice").messages(3);
            Media file = media("image/png", 10);
            MessageAdded added = accepted(decide(given, SendMessage.newBuilder(sendMessage(CONVERSATION, "IM-new", "alice",
                    "hi", file)).setAttributes("{}").build()), MessageAdded.class);
            assertThat(added.getIndex()).isEqualTo(3);
            assertThat(added.getAuthor()).isEqualTo("alice");
            assertThat(added.getBody()).isEqualTo("hi");
            assertThat(added.getMedia()).containsExactly(file);
            assertThat(added.getAttributes()).isEqualTo("{}");
        }

        @Test
        void theFirstMessageIsIndex0AndAMessageWithoutMediaHasAnEmptyList() {
            MessageAdded added = accepted(decide(Given.conversation(), sendMessage(CONVERSATION, "IM0", "alice", "hi")),
                    MessageAdded.class);
            assertThat(added.getIndex()).isZero();
            assertThat(added.getMedia()).isEmpty();
        }

        @Test
        void removingAMessageLeavesNoGapAndRenumbersNothing() {
            Given given = Given.conversation().messages(3).fold(TestEvents.messageRemoved(CONVERSATION, "IM1", 1));
            assertThat(accepted(decide(given, sendMessage(CONVERSATION, "IM-new", "alice", "hi")), MessageAdded.class)
                    .getIndex()).isEqualTo(3);
            assertThat(accepted(decide(given, updateMessage(CONVERSATION, "IM2", "x")), MessageUpdated.class).getIndex())
                    .isEqualTo(2);
        }

        @Test
        void rejectsAMessageSidThatIsIn() {
            Given given = Given.conversation().messages(2);
            assertRejected(rejection(decide(given, sendMessage(CONVERSATION, "IM1", "alice", "again"))),
                    RejectionCode.INVALID_COMMAND, null, "message IM1 already exists in conversation CH1");
        }

        @Test
        void updatesAMessage() {
            Given given = Given.conversation().messages(2);
            MessageUpdated updated = accepted(decide(given, io.convo.model.UpdateMessage
                    .newBuilder(updateMessage(CONVERSATION, "IM1", "edited")).setAttributes("{\"e\":true}").build()),
                    MessageUpdated.class);
            assertThat(updated.getIndex()).isEqualTo(1);
            assertThat(updated.getBody()).isEqualTo("edited");
            assertThat(updated.getAttributes()).isEqualTo("{\"e\":true}");
        }

        @Test
        void removesAMessage() {
            Given given = Given.conversation().messages(2);
            MessageRemoved removed = accepted(decide(given, removeMessage(CONVERSATION, "IM0")), MessageRemoved.class);
            assertThat(removed.getMessageSid()).isEqualTo("IM0");
            assertThat(removed.getIndex()).isZero();
        }

        @Test
        void rejectsUpdatingOrRemovingAnUnknownOrRemovedMessage() {
            Given given = Given.conversation().messages(2).fold(TestEvents.messageRemoved(CONVERSATION, "IM0", 0));
            for (SpecificRecord command : new SpecificRecord[] {updateMessage(CONVERSATION, "IM7", "x"),
                    removeMessage(CONVERSATION, "IM7")}) {
                assertRejected(rejection(decide(given, command)), RejectionCode.MESSAGE_NOT_FOUND, null,
                        "message IM7 is not in conversation CH1");
            }
            assertRejected(rejection(decide(given, updateMessage(CONVERSATION, "IM0", "x"))),
                    RejectionCode.MESSAGE_NOT_FOUND, null, "message IM0 is not in conversation CH1");
            assertRejected(rejection(decide(given, removeMessage(CONVERSATION, "IM0"))),
                    RejectionCode.MESSAGE_NOT_FOUND, null, "message IM0");
        }
    }

    @Nested
    class MediaLimitsByAuthorChannel {

        private final Given given = Given.conversation().chat("MB1", "alice").sms("MB2", "+15550001", "+15559999")
                .whatsapp("MB3", "whatsapp:+15550002", "whatsapp:+15559999");

        private Rejection validate(String author, int files, long size) {
            Media[] media = IntStream.range(0, files).mapToObj(i -> media("image/png", size)).toArray(Media[]::new);
            SendMessage message = sendMessage(CONVERSATION, "IM1", author, null, media);
            return rules.validate(Command.of(message), given.state()).orElse(null);
        }

        @Test
        void anSmsAuthorsMessageIsAnInboundMms() {
            assertThat(validate("+15550001", 10, 1)).isNull();
            assertLimit(validate("+15550001", 11, 1), RejectionCode.MMS_MEDIA_LIMIT, 21623, 10, "an MMS has 11 files");
        }

        @Test
        void aWhatsappAuthorsMessageHasAtMostOneFile() {
            assertThat(validate("whatsapp:+15550002", 1, 16 * Limits.MB)).isNull();
            assertLimit(validate("whatsapp:+15550002", 2, 1), RejectionCode.WHATSAPP_MEDIA_LIMIT, null, 1,
                    "a WhatsApp message has 2 files");
        }

        @Test
        void aChatAuthorOrAnAuthorWhoIsNoParticipantHasTheChatLimits() {
            assertThat(validate("alice", 11, 3 * Limits.MB)).isNull();
            assertThat(validate("someone-else", 11, 3 * Limits.MB)).isNull();
            assertLimit(validate("alice", 1, 150 * Limits.MB + 1), RejectionCode.MEDIA_TOO_LARGE, 50512, 150 * Limits.MB,
                    "157286401 bytes");
        }

        @Test
        void aConversationThatDoesNotExistHasNoAuthorChannelToLookUp() {
            SendMessage message = sendMessage("CH9", "IM1", "+15550001", null,
                    IntStream.range(0, 11).mapToObj(i -> media("image/png", 1)).toArray(Media[]::new));
            assertThat(rules.validate(Command.of(message), new ConversationAggregate(given.stores(), "CH9"))).isEmpty();
        }
    }
}
