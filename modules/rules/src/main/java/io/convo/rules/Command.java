package io.convo.rules;

import io.convo.model.AddParticipant;
import io.convo.model.ConversationCommand;
import io.convo.model.CreateConversation;
import io.convo.model.CreateRole;
import io.convo.model.CreateUser;
import io.convo.model.DeleteConversation;
import io.convo.model.DeleteRole;
import io.convo.model.DeleteUser;
import io.convo.model.RateLimitScope;
import io.convo.model.RemoveMessage;
import io.convo.model.RemoveParticipant;
import io.convo.model.SendMessage;
import io.convo.model.ServiceCommand;
import io.convo.model.UpdateConversation;
import io.convo.model.UpdateMessage;
import io.convo.model.UpdateParticipant;
import io.convo.model.UpdateRole;
import io.convo.model.UpdateUser;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * A command with the fields every command has (SPEC §8) read once, through the generated getters of its own
 * Avro class (the classes share no interface), and the APS scope its type counts against (SPEC §2, L10).
 *
 * @param body            the generated command record
 * @param type            its record name, e.g. {@code AddParticipant}
 * @param conversationSid the conversation of a conversation command; null for a user or role command
 */
public record Command(SpecificRecord body, String type, String commandId, String serviceSid, long timestamp,
                      String conversationSid, RateLimitScope scope) {

    private static final Map<Class<?>, Function<SpecificRecord, Command>> READERS = new HashMap<>();
    private static final String ACTING_IDENTITY = "actingIdentity";

    static {
        // Conversation create/delete and user and role commands count per service; every other mutation per
        // conversation (the seed's APS table).
        conversation(CreateConversation.class, CreateConversation::getCommandId, CreateConversation::getServiceSid,
                CreateConversation::getTimestamp, CreateConversation::getConversationSid, RateLimitScope.service);
        conversation(UpdateConversation.class, UpdateConversation::getCommandId, UpdateConversation::getServiceSid,
                UpdateConversation::getTimestamp, UpdateConversation::getConversationSid, RateLimitScope.conversation);
        conversation(DeleteConversation.class, DeleteConversation::getCommandId, DeleteConversation::getServiceSid,
                DeleteConversation::getTimestamp, DeleteConversation::getConversationSid, RateLimitScope.service);
        conversation(AddParticipant.class, AddParticipant::getCommandId, AddParticipant::getServiceSid,
                AddParticipant::getTimestamp, AddParticipant::getConversationSid, RateLimitScope.conversation);
        conversation(UpdateParticipant.class, UpdateParticipant::getCommandId, UpdateParticipant::getServiceSid,
                UpdateParticipant::getTimestamp, UpdateParticipant::getConversationSid, RateLimitScope.conversation);
        conversation(RemoveParticipant.class, RemoveParticipant::getCommandId, RemoveParticipant::getServiceSid,
                RemoveParticipant::getTimestamp, RemoveParticipant::getConversationSid, RateLimitScope.conversation);
        conversation(SendMessage.class, SendMessage::getCommandId, SendMessage::getServiceSid,
                SendMessage::getTimestamp, SendMessage::getConversationSid, RateLimitScope.conversation);
        conversation(UpdateMessage.class, UpdateMessage::getCommandId, UpdateMessage::getServiceSid,
                UpdateMessage::getTimestamp, UpdateMessage::getConversationSid, RateLimitScope.conversation);
        conversation(RemoveMessage.class, RemoveMessage::getCommandId, RemoveMessage::getServiceSid,
                RemoveMessage::getTimestamp, RemoveMessage::getConversationSid, RateLimitScope.conversation);
        service(CreateUser.class, CreateUser::getCommandId, CreateUser::getServiceSid, CreateUser::getTimestamp);
        service(UpdateUser.class, UpdateUser::getCommandId, UpdateUser::getServiceSid, UpdateUser::getTimestamp);
        service(DeleteUser.class, DeleteUser::getCommandId, DeleteUser::getServiceSid, DeleteUser::getTimestamp);
        service(CreateRole.class, CreateRole::getCommandId, CreateRole::getServiceSid, CreateRole::getTimestamp);
        service(UpdateRole.class, UpdateRole::getCommandId, UpdateRole::getServiceSid, UpdateRole::getTimestamp);
        service(DeleteRole.class, DeleteRole::getCommandId, DeleteRole::getServiceSid, DeleteRole::getTimestamp);
    }

    /** @throws IllegalArgumentException when {@code body} is not one of the commands of SPEC §8 */
    public static Command of(SpecificRecord body) {
        Function<SpecificRecord, Command> reader = body == null ? null : READERS.get(body.getClass());
        if (reader == null) {
            throw new IllegalArgumentException("not a command: " + (body == null ? "null" : body.getSchema().getFullName()));
        }
        return reader.apply(body);
    }

    /** The command a {@code conversation-commands} record carries. */
    public static Command of(ConversationCommand envelope) {
        return of((SpecificRecord) envelope.getCommand());
    }

    /** The command a {@code service-commands} record carries. */
    public static Command of(ServiceCommand envelope) {
        return of((SpecificRecord) envelope.getCommand());
    }

    /** The command in the envelope of its topic, as it is kept while it waits on a check. */
    public ConversationCommand conversationEnvelope() {
        return new ConversationCommand(body);
    }

    /**
     * The identity a user acts as (SPEC §9), as the chat gateway sets it from the connection's token; null for a
     * backend's command, and for the command types that have no such field (only a backend manages roles).
     */
    public String actingIdentity() {
        Schema.Field field = body.getSchema().getField(ACTING_IDENTITY);
        Object value = field == null ? null : body.get(field.pos());
        return value == null ? null : value.toString();
    }

    /** The body as its own class; the caller has dispatched on it. */
    public <C extends SpecificRecord> C as(Class<C> type) {
        return type.cast(body);
    }

    private static <C extends SpecificRecord> void conversation(Class<C> type, Function<C, String> commandId,
                                                                Function<C, String> serviceSid, ToLongFunction<C> timestamp,
                                                                Function<C, String> conversationSid, RateLimitScope scope) {
        String name = schemaName(type);
        READERS.put(type, body -> {
            C c = type.cast(body);
            return new Command(c, name, commandId.apply(c), serviceSid.apply(c), timestamp.applyAsLong(c),
                    conversationSid.apply(c), scope);
        });
    }

    private static <C extends SpecificRecord> void service(Class<C> type, Function<C, String> commandId,
                                                           Function<C, String> serviceSid, ToLongFunction<C> timestamp) {
        String name = schemaName(type);
        READERS.put(type, body -> {
            C c = type.cast(body);
            return new Command(c, name, commandId.apply(c), serviceSid.apply(c), timestamp.applyAsLong(c), null,
                    RateLimitScope.service);
        });
    }

    /** Generated classes are named as their records. */
    private static String schemaName(Class<? extends SpecificRecord> type) {
        return type.getSimpleName();
    }
}
