package io.convo.topology;

/**
 * Every state store, named once. Composite keys are built by the rules' {@code StateKeys}; the rules' aggregates
 * say what each entry is.
 */
public final class StoreNames {

    /** Per conversation: its own value (state, counts, next message index). */
    public static final String CONVERSATIONS = "conversations";
    /** Per conversation and participantSid: the participant. */
    public static final String PARTICIPANTS = "participants";
    /** Per conversation and identity, or binding: which participant holds it. */
    public static final String PARTICIPANT_INDEX = "participant-index";
    /** Per conversation and messageSid: the message's index and author. */
    public static final String MESSAGES = "messages";
    /** Per conversation: the ranges of its commands in flight and parked (see WaitingCommands). */
    public static final String CHECK_QUEUES = "check-queues";
    /** Per conversation and sequence number: a command whose check is in flight, and its reply once it came. */
    public static final String PENDING_CHECKS = "pending-checks";
    /** Per conversation and sequence number: batches of the commands parked behind the checks in flight, oldest first. */
    public static final String PARKED_COMMANDS = "parked-commands";
    /** Per conversation and messageSid: how many recipients have each latest delivery status. */
    public static final String DELIVERY_SUMMARIES = "delivery-summaries";
    /** Per conversation, messageSid and participantSid: a recipient's latest delivery status. */
    public static final String DELIVERY_STATUSES = "delivery-statuses";
    /** Per conversation, 1-second windows: actions counted for L10. */
    public static final String CONVERSATION_ACTIONS = "conversation-action-windows";
    /** Per commandId of a conversation command: its first outcome, for DUPLICATE_COMMAND. */
    public static final String CONVERSATION_OUTCOMES = "conversation-command-outcomes";
    /** Per service and identity: how many conversations the identity belongs to (L9). */
    public static final String IDENTITY_MEMBERSHIP_COUNTS = "identity-membership-counts";
    /** Per service, identity and conversation: one conversation the identity belongs to. */
    public static final String IDENTITY_MEMBERSHIPS = "identity-memberships";
    /** Per service, 1-second windows: actions counted for L10. */
    public static final String SERVICE_ACTIONS = "service-action-windows";
    /** Per commandId of a service command: its first outcome, for DUPLICATE_COMMAND. */
    public static final String SERVICE_OUTCOMES = "service-command-outcomes";
    /** Per service and identity: users. */
    public static final String USERS = "users";
    /** Per service and roleSid: roles. */
    public static final String ROLES = "roles";
    /**
     * Per service: its users and roles again, as a global store every instance keeps from {@code service-events}, for
     * the conversations' permission checks (no changelog: the topic is its source).
     */
    public static final String SERVICE_DIRECTORY = "service-directory";

    private StoreNames() {
    }
}
