package io.convo.rules.conversation;

import static io.convo.rules.Rejections.assertRejected;
import static io.convo.rules.Rejections.rejection;
import static io.convo.rules.TestCommands.CONVERSATION;
import static io.convo.rules.TestCommands.SERVICE;
import static io.convo.rules.TestCommands.addChat;
import static io.convo.rules.TestCommands.addSms;
import static io.convo.rules.TestCommands.media;
import static io.convo.rules.TestCommands.readUpTo;
import static io.convo.rules.TestCommands.removeMessage;
import static io.convo.rules.TestCommands.removeParticipant;
import static io.convo.rules.TestCommands.renameConversation;
import static io.convo.rules.TestCommands.sendMessage;
import static io.convo.rules.TestCommands.updateConversation;
import static io.convo.rules.TestCommands.updateMessage;
import static io.convo.rules.TestCommands.updateParticipant;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.AddParticipant;
import io.convo.model.ConversationState;
import io.convo.model.MessageAdded;
import io.convo.model.RejectionCode;
import io.convo.model.UpdateMessage;
import io.convo.model.UpdateParticipant;
import io.convo.rules.Command;
import io.convo.rules.Decision;
import io.convo.rules.Limits;
import io.convo.rules.TestCommands;
import io.convo.rules.permission.DefaultRoles;
import io.convo.rules.permission.Permission;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/**
 * SPEC §9: a conversation command naming an acting identity (or a message whose author is a participant) is checked
 * against the acting participant's role, Twilio's defaults unless a role says otherwise; a backend's command, with
 * neither, is allowed. Each permission is tested both ways: refused without it, accepted with it.
 */
class ConversationPermissionsTest {

    private static final String ADMIN_ROLE = DefaultRoles.CHANNEL_ADMIN.sid(SERVICE);

    private final ConversationRules rules = new ConversationRules(Limits.defaults());

    /** alice (MB1) and bob (MB2) are channel users, carol (MB3) a channel admin; IMa is alice's, IMb bob's. */
    private final Given given = Given.conversation()
            .chat("MB1", "alice")
            .chat("MB2", "bob")
            .chat("MB3", "carol", ADMIN_ROLE)
            .message("IMa", "alice", "from alice")
            .message("IMb", "bob", "from bob");

    private Decision decide(SpecificRecordBase command) {
        return rules.decide(Command.of(command), given.state());
    }

    /** {@code command} as the user {@code identity} sends it (the gateway and REST name the acting identity). */
    private static <C extends SpecificRecordBase> C as(String identity, C command) {
        command.put("actingIdentity", identity);
        return command;
    }

    private static void assertAccepted(Decision decision) {
        assertThat(decision).isInstanceOf(Decision.Accepted.class);
    }

    /** Past the permission check, a chat participant's add waits for its identity's membership count (L9). */
    private static void assertAwaitsIdentity(Decision decision) {
        assertThat(decision).isInstanceOf(Decision.AwaitIdentity.class);
    }

    private static void assertNotAuthorized(Decision decision, String... reasonParts) {
        assertRejected(rejection(decision), RejectionCode.NOT_AUTHORIZED, 50107, reasonParts);
    }

    // editOwnParticipantAttributes / editAnyParticipantAttributes

    @Test
    void aChannelUserMayNotMoveAnotherParticipantsReadHorizon() {
        assertNotAuthorized(decide(as("alice", readUpTo(CONVERSATION, "MB2", 1))),
                "alice may not change participant MB2", "editAnyParticipantAttributes", "channel user");
    }

    @Test
    void aChannelUserMovesItsOwnReadHorizon() {
        assertAccepted(decide(as("alice", readUpTo(CONVERSATION, "MB1", 1))));
    }

    @Test
    void aChannelAdminMovesAnyonesReadHorizon() {
        assertAccepted(decide(as("carol", readUpTo(CONVERSATION, "MB2", 1))));
    }

    @Test
    void ownParticipantAttributesTakeEditOwnParticipantAttributes() {
        UpdateParticipant attributes = UpdateParticipant.newBuilder(updateParticipant(CONVERSATION, "MB4"))
                .setAttributes("{\"a\":1}").build();
        given.role("RLquiet", Permission.sendMessage).chat("MB4", "dave", "RLquiet");
        assertNotAuthorized(decide(as("dave", attributes)), "editOwnParticipantAttributes");

        given.role("RLquiet", "editOwnParticipant");
        assertAccepted(decide(as("dave", UpdateParticipant.newBuilder(attributes)
                .setCommandId(TestCommands.nextCommandId()).build())));
    }

    @Test
    void aParticipantMayNotGiveItselfARole() {
        UpdateParticipant promote = UpdateParticipant.newBuilder(updateParticipant(CONVERSATION, "MB1"))
                .setRoleSid(ADMIN_ROLE).build();
        assertNotAuthorized(decide(as("alice", promote)), "editAnyParticipantAttributes");
        assertAccepted(decide(as("carol", UpdateParticipant.newBuilder(promote)
                .setCommandId(TestCommands.nextCommandId()).build())));
    }

    // editOwnMessage / editAnyMessage, editOwnMessageAttributes / editAnyMessageAttributes

    @Test
    void aChannelUserEditsItsOwnMessageButNotAnothers() {
        assertAccepted(decide(as("alice", updateMessage(CONVERSATION, "IMa", "edited"))));
        assertNotAuthorized(decide(as("alice", updateMessage(CONVERSATION, "IMb", "edited"))),
                "alice may not edit message IMb of bob", "editAnyMessage");
        assertAccepted(decide(as("carol", updateMessage(CONVERSATION, "IMb", "moderated"))));
    }

    @Test
    void messageAttributesTakeTheirOwnPermissions() {
        UpdateMessage own = UpdateMessage.newBuilder(updateMessage(CONVERSATION, "IMa", null))
                .setAttributes("{\"pinned\":true}").build();
        UpdateMessage others = UpdateMessage.newBuilder(own).setCommandId(TestCommands.nextCommandId())
                .setMessageSid("IMb").build();
        assertAccepted(decide(as("alice", own)));
        assertNotAuthorized(decide(as("alice", others)), "editAnyMessageAttributes");

        given.role("RLtext", Permission.sendMessage, Permission.editOwnMessage).chat("MB4", "dave", "RLtext")
                .message("IMd", "dave", "from dave");
        UpdateMessage daves = UpdateMessage.newBuilder(own).setCommandId(TestCommands.nextCommandId())
                .setMessageSid("IMd").build();
        assertNotAuthorized(decide(as("dave", daves)), "editOwnMessageAttributes");
    }

    // deleteOwnMessage / deleteAnyMessage

    @Test
    void aChannelUserDeletesItsOwnMessageButNotAnothers() {
        assertAccepted(decide(as("alice", removeMessage(CONVERSATION, "IMa"))));
        assertNotAuthorized(decide(as("alice", removeMessage(CONVERSATION, "IMb"))), "deleteAnyMessage");
        assertAccepted(decide(as("carol", removeMessage(CONVERSATION, "IMb"))));
    }

    @Test
    void deletingItsOwnMessageTakesDeleteOwnMessage() {
        given.role("RLtext", Permission.sendMessage).chat("MB4", "dave", "RLtext").message("IMd", "dave", "mine");
        assertNotAuthorized(decide(as("dave", removeMessage(CONVERSATION, "IMd"))), "deleteOwnMessage");
    }

    // leaveConversation / removeParticipant (removeMember)

    @Test
    void aChannelUserLeavesButMayNotRemoveAnother() {
        assertAccepted(decide(as("alice", removeParticipant(CONVERSATION, "MB1"))));
        assertNotAuthorized(decide(as("alice", removeParticipant(CONVERSATION, "MB2"))),
                "alice may not remove participant MB2", "removeParticipant");
        assertAccepted(decide(as("carol", removeParticipant(CONVERSATION, "MB2"))));
    }

    @Test
    void leavingTakesLeaveConversationAndTheChatApisAliasesGrantTheSamePermissions() {
        given.role("RLstay", Permission.sendMessage).chat("MB4", "dave", "RLstay");
        assertNotAuthorized(decide(as("dave", removeParticipant(CONVERSATION, "MB4"))), "leaveConversation");

        given.role("RLmod", "removeMember", "addMember");
        given.chat("MB5", "erin", "RLmod");
        assertAccepted(decide(as("erin", removeParticipant(CONVERSATION, "MB2"))));
        assertAwaitsIdentity(decide(as("erin", addChat(CONVERSATION, "MB9", "zoe"))));
    }

    // addParticipant (addMember) / addNonChatParticipant

    @Test
    void addingAChatParticipantTakesAddParticipant() {
        assertNotAuthorized(decide(as("alice", addChat(CONVERSATION, "MB9", "zoe"))), "addParticipant");
        assertAwaitsIdentity(decide(as("carol", addChat(CONVERSATION, "MB9", "zoe"))));
    }

    @Test
    void addingAnSmsParticipantTakesAddNonChatParticipant() {
        given.role("RLinvite", Permission.addParticipant).chat("MB4", "dave", "RLinvite");
        assertAwaitsIdentity(decide(as("dave", addChat(CONVERSATION, "MB9", "zoe"))));
        assertNotAuthorized(decide(as("dave", addSms(CONVERSATION, "MB8", "+15550001", "+15559999"))),
                "addNonChatParticipant");
        assertAccepted(decide(as("carol", addSms(CONVERSATION, "MB8", "+15550001", "+15559999"))));
    }

    // editConversationName / editConversationAttributes / deleteConversation

    @Test
    void renamingTakesEditConversationNameAndClosingEditConversationAttributes() {
        assertNotAuthorized(decide(as("alice", renameConversation(CONVERSATION, "ours"))), "editConversationName");
        assertNotAuthorized(decide(as("alice", updateConversation(CONVERSATION, ConversationState.closed))),
                "editConversationAttributes");

        given.role("RLnamer", Permission.editConversationName).chat("MB4", "dave", "RLnamer");
        assertAccepted(decide(as("dave", renameConversation(CONVERSATION, "ours"))));
        assertNotAuthorized(decide(as("dave", updateConversation(CONVERSATION, ConversationState.closed))),
                "editConversationAttributes");
        assertAccepted(decide(as("carol", updateConversation(CONVERSATION, ConversationState.closed))));
    }

    @Test
    void deletingTheConversationTakesDeleteConversation() {
        assertNotAuthorized(decide(as("alice", TestCommands.deleteConversation(CONVERSATION))), "deleteConversation");
        assertAccepted(decide(as("carol", TestCommands.deleteConversation(CONVERSATION))));
    }

    // sendMessage / sendMediaMessage

    @Test
    void sendingTakesSendMessageAndMediaSendMediaMessage() {
        assertAccepted(decide(as("alice", sendMessage(CONVERSATION, "IM1", "alice", "hi", media("image/png", 100)))));

        given.role("RLtext", Permission.sendMessage).chat("MB4", "dave", "RLtext")
                .role("RLmute", Permission.leaveConversation).chat("MB5", "erin", "RLmute");
        assertAccepted(decide(as("dave", sendMessage(CONVERSATION, "IM1", "dave", "hi"))));
        assertNotAuthorized(decide(as("dave", sendMessage(CONVERSATION, "IM1", "dave", "hi", media("image/png", 100)))),
                "sendMediaMessage");
        assertNotAuthorized(decide(as("erin", sendMessage(CONVERSATION, "IM1", "erin", "hi"))), "sendMessage");
    }

    @Test
    void aMessagesAuthorActsWithoutAnActingIdentity() {
        given.role("RLmute", Permission.leaveConversation).chat("MB5", "erin", "RLmute");
        assertNotAuthorized(decide(sendMessage(CONVERSATION, "IM1", "erin", "hi")), "erin may not send", "sendMessage");
    }

    @Test
    void aUserMayNotSendAsAnother() {
        assertNotAuthorized(decide(as("alice", sendMessage(CONVERSATION, "IM1", "bob", "hi"))),
                "alice may not send a message as bob");
    }

    // who acts

    @Test
    void anIdentityThatIsNoParticipantMayNotAct() {
        assertNotAuthorized(decide(as("zoe", readUpTo(CONVERSATION, "MB1", 1))),
                "zoe is not a participant of conversation " + CONVERSATION);
    }

    @Test
    void aBackendsCommandWithNoActingIdentityIsAllowed() {
        assertAccepted(decide(readUpTo(CONVERSATION, "MB2", 1)));
        assertAccepted(decide(removeMessage(CONVERSATION, "IMb")));
        assertAccepted(decide(sendMessage(CONVERSATION, "IM1", "system", "hi")));
    }

    // which role

    @Test
    void aParticipantWhoseRoleIsGoneActsAsAChannelUser() {
        given.chat("MB4", "dave", "RLdeleted").message("IMd", "dave", "mine");
        assertAccepted(decide(as("dave", updateMessage(CONVERSATION, "IMd", "edited"))));
        assertNotAuthorized(decide(as("dave", updateMessage(CONVERSATION, "IMb", "edited"))), "editAnyMessage");
    }

    @Test
    void aChangedDefaultRoleAppliesToEveryParticipantWithoutARole() {
        given.role(DefaultRoles.CHANNEL_USER.sid(SERVICE), Permission.leaveConversation);
        assertNotAuthorized(decide(as("alice", sendMessage(CONVERSATION, "IM1", "alice", "hi"))), "sendMessage");
    }

    // createConversation / joinConversation: the acting user's service role

    @Test
    void creatingAConversationTakesTheUsersCreateConversation() {
        Given none = Given.noConversation().serviceRole("RLguest", Permission.joinConversation).user("guest", "RLguest");
        assertAccepted(rules.decide(Command.of(as("alice", TestCommands.createConversation("CH2"))), none.state()));
        assertNotAuthorized(rules.decide(Command.of(as("guest", TestCommands.createConversation("CH2"))), none.state()),
                "guest may not create conversation CH2", "createConversation");
    }

    @Test
    void aUserAddingItselfJoinsWithJoinConversation() {
        assertAwaitsIdentity(decide(as("zoe", addChat(CONVERSATION, "MB9", "zoe"))));
        given.serviceRole("RLlurker", Permission.createConversation).user("yuri", "RLlurker");
        assertNotAuthorized(decide(as("yuri", addChat(CONVERSATION, "MB8", "yuri"))), "joinConversation");
        assertNotAuthorized(decide(as("zoe", addChat(CONVERSATION, "MB8", "yuri"))), "zoe is not a participant");
    }

    @Test
    void aUserJoiningMayNotChooseItsRole() {
        AddParticipant asAdmin = AddParticipant.newBuilder(addChat(CONVERSATION, "MB9", "zoe")).setRoleSid(ADMIN_ROLE)
                .build();
        assertNotAuthorized(decide(as("zoe", asAdmin)), "zoe may not join conversation", "role of its choosing");
    }

    @Test
    void aRoleOfTheOtherScopeGrantsNothingAndTheDefaultApplies() {
        given.chat("MB4", "dave", DefaultRoles.SERVICE_ADMIN.sid(SERVICE)).message("IMd", "dave", "mine");
        assertAccepted(decide(as("dave", updateMessage(CONVERSATION, "IMd", "edited"))));
        assertNotAuthorized(decide(as("dave", removeParticipant(CONVERSATION, "MB2"))), "channel user");
    }

    @Test
    void aUsersMessageWithoutAnAuthorIsAuthoredByTheActingIdentity() {
        MessageAdded added = (MessageAdded) ((Decision.Accepted) decide(as("alice",
                sendMessage(CONVERSATION, "IM1", null, "hi")))).events().get(0);
        assertThat(added.getAuthor()).isEqualTo("alice");
    }
}
