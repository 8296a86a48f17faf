package io.convo.rules;

import io.convo.model.CreateConversation;
import io.convo.model.CreateRole;
import io.convo.model.CreateUser;
import io.convo.model.DeleteConversation;
import io.convo.model.DeleteRole;
import io.convo.model.DeleteUser;
import io.convo.model.UpdateRole;
import io.convo.model.UpdateUser;
import io.convo.model.RateLimitScope;
import org.apache.avro.generic.GenericRecord;

/**
 * Uniform access to the fields every command has (SPEC §8), over the generated Avro classes, which share no
 * interface, and the APS scope each command type counts against (SPEC §2, L10).
 */
public final class Commands {

    private Commands() {
    }

    public static String type(Object command) {
        return ((GenericRecord) command).getSchema().getName();
    }

    public static String commandId(Object command) {
        return (String) ((GenericRecord) command).get("commandId");
    }

    public static String serviceSid(Object command) {
        return (String) ((GenericRecord) command).get("serviceSid");
    }

    public static long timestamp(Object command) {
        return (Long) ((GenericRecord) command).get("timestamp");
    }

    /** The conversationSid of a conversation command, null for a service command. */
    public static String conversationSid(Object command) {
        GenericRecord r = (GenericRecord) command;
        return r.getSchema().getField("conversationSid") == null ? null : (String) r.get("conversationSid");
    }

    /**
     * Conversation create/delete and user and role commands count per service; every other mutation counts per
     * conversation (the seed's APS table).
     */
    public static RateLimitScope actionScope(Object command) {
        return command instanceof CreateConversation || command instanceof DeleteConversation
                || command instanceof CreateUser || command instanceof UpdateUser || command instanceof DeleteUser
                || command instanceof CreateRole || command instanceof UpdateRole || command instanceof DeleteRole
                ? RateLimitScope.service
                : RateLimitScope.conversation;
    }
}
