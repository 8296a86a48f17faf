package io.convo.topology;

/** Every state store, named once. Keys that join two ids use {@link #SEPARATOR}, which ids may not contain. */
public final class StoreNames {

    /** Per conversation: existence, state, participants with their channel, next message index. */
    public static final String CONVERSATIONS = "conversations";
    /** Per conversation and messageSid: the message's index and author. */
    public static final String MESSAGES = "messages";
    /** Per conversation: the command waiting for a check reply, and the range of commands parked behind it. */
    public static final String PENDING_CHECKS = "pending-checks";
    /** Per conversation and sequence number: the commands parked behind a pending check, oldest first. */
    public static final String PARKED_COMMANDS = "parked-commands";
    /** Per conversation and messageSid: each recipient's latest delivery status. */
    public static final String DELIVERY_SUMMARIES = "delivery-summaries";
    /** Per conversation, 1-second windows: actions counted for L10. */
    public static final String CONVERSATION_ACTIONS = "conversation-action-windows";
    /** Per commandId of a conversation command: its first outcome, for DUPLICATE_COMMAND. */
    public static final String CONVERSATION_OUTCOMES = "conversation-command-outcomes";
    /** Per service and identity: the conversations the identity belongs to (L9). */
    public static final String IDENTITY_MEMBERSHIPS = "identity-memberships";
    /** Per service, 1-second windows: actions counted for L10. */
    public static final String SERVICE_ACTIONS = "service-action-windows";
    /** Per commandId of a service command: its first outcome, for DUPLICATE_COMMAND. */
    public static final String SERVICE_OUTCOMES = "service-command-outcomes";
    /** Per service and identity: users. */
    public static final String USERS = "users";
    /** Per service and roleSid: roles. */
    public static final String ROLES = "roles";

    public static final char SEPARATOR = '\u0000';

    private StoreNames() {
    }

    public static String key(String first, String second) {
        return first + SEPARATOR + second;
    }

    /** The prefix under which all keys starting with {@code first} sort together. */
    public static String prefix(String first) {
        return first + SEPARATOR;
    }
}
