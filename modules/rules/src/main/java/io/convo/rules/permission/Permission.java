package io.convo.rules.permission;

import java.util.Map;

/**
 * Twilio's permission names (SPEC §9), as a role lists them. Conversation-scoped permissions are granted by a
 * participant's role, service-scoped ones by a user's. The names of Twilio's older chat API that the SPEC also uses
 * are accepted in a role as the same permission ({@link #named}).
 */
public enum Permission {
    sendMessage, sendMediaMessage, leaveConversation, editNotificationLevel,
    editOwnMessage, editAnyMessage, editOwnMessageAttributes, editAnyMessageAttributes,
    deleteOwnMessage, deleteAnyMessage,
    addParticipant, addNonChatParticipant, removeParticipant,
    editOwnParticipantAttributes, editAnyParticipantAttributes,
    editConversationName, editConversationAttributes, deleteConversation,
    createConversation, joinConversation, editOwnUserInfo, editAnyUserInfo;

    /** Earlier names (Twilio's chat API, SPEC §9) for the same permission. */
    private static final Map<String, Permission> ALIASES = Map.of(
            "addMember", addParticipant,
            "removeMember", removeParticipant,
            "editOwnParticipant", editOwnParticipantAttributes,
            "editAnyParticipant", editAnyParticipantAttributes);

    /** The permission a role's entry grants: its own name or an alias; null for a name that grants nothing. */
    public static Permission named(String name) {
        Permission alias = ALIASES.get(name);
        if (alias != null) {
            return alias;
        }
        for (Permission p : values()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }
}
