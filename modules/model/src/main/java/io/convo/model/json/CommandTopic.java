package io.convo.model.json;

/** The input topic a command belongs to, which also decides its record key. */
public enum CommandTopic {
    /** conversation-commands, keyed by conversationSid; the value is a {@code ConversationCommand}. */
    CONVERSATION,
    /** service-commands, keyed by serviceSid; the value is a {@code ServiceCommand}. */
    SERVICE
}
