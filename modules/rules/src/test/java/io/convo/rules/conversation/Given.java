package io.convo.rules.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.RoleState;
import io.convo.internal.UserState;
import io.convo.model.ConversationState;
import io.convo.model.Media;
import io.convo.model.ParticipantAdded;
import io.convo.model.RoleType;
import io.convo.rules.TestCommands;
import io.convo.rules.identity.MembershipChange;
import io.convo.rules.permission.Permission;
import io.convo.rules.state.StateKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * A conversation's state built the only way state is built: by folding the events that would have happened
 * through {@link ConversationFold#evolve} into in-memory stores. Participants added in bulk are named
 * {@code MB-chat-<i>} / identity {@code user-<i>}, {@code MB-sms-<i>} / {@code +1555000<i>}, and so on.
 */
public final class Given {

    private final ConversationAggregate.Stores stores = ConversationAggregate.Stores.inMemory();
    private final ConversationAggregate state;
    private final List<MembershipChange> memberships = new ArrayList<>();
    private int chats;
    private int bindings;

    private Given(String conversationSid) {
        this.state = new ConversationAggregate(stores, conversationSid);
    }

    /** No conversation (nothing folded). */
    public static Given noConversation() {
        return new Given(TestCommands.CONVERSATION);
    }

    /** An active conversation {@link TestCommands#CONVERSATION}. */
    public static Given conversation() {
        return conversation(ConversationState.active);
    }

    public static Given conversation(ConversationState state) {
        return new Given(TestCommands.CONVERSATION).fold(TestEvents.created(TestCommands.CONVERSATION, state));
    }

    public String sid() {
        return state.conversationSid();
    }

    /** Folds {@code events} in order; each must fit the state. */
    public Given fold(SpecificRecord... events) {
        for (SpecificRecord event : events) {
            ConversationFold.Evolution evolution = ConversationFold.evolve(state, event);
            assertThat(evolution.anomaly()).as("anomaly folding " + event).isNull();
            memberships.addAll(evolution.memberships());
        }
        return this;
    }

    public Given chat(String participantSid, String identity) {
        return fold(TestEvents.chatAdded(sid(), participantSid, identity));
    }

    /** A chat participant acting with the role {@code roleSid}. */
    public Given chat(String participantSid, String identity, String roleSid) {
        return fold(ParticipantAdded.newBuilder(TestEvents.chatAdded(sid(), participantSid, identity))
                .setRoleSid(roleSid).build());
    }

    /** A role of the service, as the role directory keeps it from {@code service-events}. */
    public Given role(String roleSid, Permission... permissions) {
        return role(roleSid, Arrays.stream(permissions).map(Permission::name).toArray(String[]::new));
    }

    /** A role listing {@code names} as written, aliases included. */
    public Given role(String roleSid, String... names) {
        return role(roleSid, RoleType.conversation, names);
    }

    /** A service role (for users) with {@code permissions}. */
    public Given serviceRole(String roleSid, Permission... permissions) {
        return role(roleSid, RoleType.service, Arrays.stream(permissions).map(Permission::name).toArray(String[]::new));
    }

    private Given role(String roleSid, RoleType type, String... names) {
        stores.services().roles().put(StateKeys.key(TestCommands.SERVICE, roleSid), new RoleState(roleSid,
                "role " + roleSid, type, List.of(names)));
        return this;
    }

    /** A user of the service with the role {@code roleSid}, as the service directory keeps it. */
    public Given user(String identity, String roleSid) {
        stores.services().users().put(StateKeys.key(TestCommands.SERVICE, identity),
                new UserState(identity, null, null, roleSid));
        return this;
    }

    public Given projectedChat(String participantSid, String identity, String projectedAddress) {
        return fold(TestEvents.projectedChatAdded(sid(), participantSid, identity, projectedAddress));
    }

    public Given sms(String participantSid, String address, String proxyAddress) {
        return fold(TestEvents.smsAdded(sid(), participantSid, address, proxyAddress));
    }

    public Given whatsapp(String participantSid, String address, String proxyAddress) {
        return fold(TestEvents.whatsappAdded(sid(), participantSid, address, proxyAddress));
    }

    /** {@code n} more chat participants. */
    public Given chatParticipants(int n) {
        for (int i = 0; i < n; i++) {
            int k = chats++;
            chat("MB-chat-" + k, "user-" + k);
        }
        return this;
    }

    /** {@code n} more SMS participants with a proxy address (no group MMS). */
    public Given smsParticipants(int n) {
        for (int i = 0; i < n; i++) {
            int k = bindings++;
            sms("MB-sms-" + k, "+1555000" + k, "+15559999");
        }
        return this;
    }

    /** {@code n} more WhatsApp participants. */
    public Given whatsappParticipants(int n) {
        for (int i = 0; i < n; i++) {
            int k = bindings++;
            whatsapp("MB-wa-" + k, "whatsapp:+1555000" + k, "whatsapp:+15559999");
        }
        return this;
    }

    /** {@code n} more SMS participants without a proxy address: group MMS members. */
    public Given groupMmsMembers(int n) {
        for (int i = 0; i < n; i++) {
            int k = bindings++;
            sms("MB-mms-" + k, "+1666000" + k, null);
        }
        return this;
    }

    /** {@code n} more messages {@code IM<index>} by {@code system}, at the next indexes. */
    public Given messages(int n) {
        for (int i = 0; i < n; i++) {
            long index = state.conversation().getNextMessageIndex();
            fold(TestEvents.messageAdded(sid(), "IM" + index, index, "system", "message " + index));
        }
        return this;
    }

    /** The message {@code messageSid} at the next index. */
    public Given message(String messageSid, String author, String body, Media... media) {
        long index = state.conversation().getNextMessageIndex();
        return fold(TestEvents.messageAdded(sid(), messageSid, index, author, body, media));
    }

    public Given closed() {
        return fold(TestEvents.updated(sid(), ConversationState.closed));
    }

    public ConversationAggregate state() {
        return state;
    }

    public ConversationAggregate.Stores stores() {
        return stores;
    }

    /** The membership changes (L9) the folded events implied, in order. */
    public List<MembershipChange> memberships() {
        return memberships;
    }
}
