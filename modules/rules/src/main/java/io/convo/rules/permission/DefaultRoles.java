package io.convo.rules.permission;

import static io.convo.rules.permission.Permission.*;

import io.convo.internal.RoleState;
import io.convo.model.RoleType;
import io.convo.model.Sha256;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Twilio's four default roles, which every service has from its first command on: no command creates them, so their
 * sids are derived from the service's ({@link #sid}), and a role command may change them like any role (an
 * {@code UpdateRole} replaces the default) but not delete them. A chat participant without a role has the channel
 * user's; a user without one, the service user's.
 */
public enum DefaultRoles {
    CHANNEL_USER("channel user", RoleType.conversation, EnumSet.of(sendMessage, sendMediaMessage, leaveConversation,
            editNotificationLevel, editOwnMessage, editOwnMessageAttributes, deleteOwnMessage,
            editOwnParticipantAttributes)),
    CHANNEL_ADMIN("channel admin", RoleType.conversation, EnumSet.range(sendMessage, deleteConversation)),
    SERVICE_USER("service user", RoleType.service, EnumSet.of(createConversation, joinConversation, editOwnUserInfo)),
    SERVICE_ADMIN("service admin", RoleType.service, EnumSet.range(createConversation, editAnyUserInfo));

    private final String friendlyName;
    private final RoleType type;
    private final Set<Permission> permissions;

    DefaultRoles(String friendlyName, RoleType type, Set<Permission> permissions) {
        this.friendlyName = friendlyName;
        this.type = type;
        this.permissions = permissions;
    }

    public String friendlyName() {
        return friendlyName;
    }

    public Set<Permission> permissions() {
        return permissions;
    }

    /** Whom it is for: participants ({@code conversation}) or users ({@code service}). */
    public RoleType type() {
        return type;
    }

    /**
     * The role's sid in {@code serviceSid}: {@code RL} and the first 32 hex digits of the SHA-256 of the service's sid,
     * a line feed and the role's friendly name, so that every instance, `simulate` and a backend compute the same.
     */
    public String sid(String serviceSid) {
        return "RL" + Sha256.hex(serviceSid + "\n" + friendlyName, 32);
    }

    /** The role as a service has it before any command changes it. */
    public RoleState role(String serviceSid) {
        List<String> names = new ArrayList<>();
        permissions.forEach(p -> names.add(p.name()));
        return new RoleState(sid(serviceSid), friendlyName, type, names);
    }

    /** The default role with this sid in {@code serviceSid}, or null when it is not one. */
    public static DefaultRoles withSid(String serviceSid, String roleSid) {
        if (roleSid == null || !roleSid.startsWith("RL")) {
            return null;
        }
        for (DefaultRoles d : values()) {
            if (d.sid(serviceSid).equals(roleSid)) {
                return d;
            }
        }
        return null;
    }
}
