package io.convo.rules;

import io.convo.model.ConversationCreated;
import io.convo.model.ConversationDeleted;
import io.convo.model.ConversationUpdated;
import io.convo.model.MessageAdded;
import io.convo.model.MessageRemoved;
import io.convo.model.MessageUpdated;
import io.convo.model.ParticipantAdded;
import io.convo.model.ParticipantRemoved;
import io.convo.model.ParticipantUpdated;
import io.convo.model.RoleCreated;
import io.convo.model.RoleDeleted;
import io.convo.model.RoleUpdated;
import io.convo.model.UserCreated;
import io.convo.model.UserDeleted;
import io.convo.model.UserUpdated;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/** The command that caused an event (SPEC §8: every event carries it), through each event class's own getter. */
public final class Events {

    private static final Map<Class<?>, Function<SpecificRecord, String>> COMMAND_IDS = Map.ofEntries(
            entry(ConversationCreated.class, ConversationCreated::getCommandId),
            entry(ConversationUpdated.class, ConversationUpdated::getCommandId),
            entry(ConversationDeleted.class, ConversationDeleted::getCommandId),
            entry(ParticipantAdded.class, ParticipantAdded::getCommandId),
            entry(ParticipantUpdated.class, ParticipantUpdated::getCommandId),
            entry(ParticipantRemoved.class, ParticipantRemoved::getCommandId),
            entry(MessageAdded.class, MessageAdded::getCommandId),
            entry(MessageUpdated.class, MessageUpdated::getCommandId),
            entry(MessageRemoved.class, MessageRemoved::getCommandId),
            entry(UserCreated.class, UserCreated::getCommandId),
            entry(UserUpdated.class, UserUpdated::getCommandId),
            entry(UserDeleted.class, UserDeleted::getCommandId),
            entry(RoleCreated.class, RoleCreated::getCommandId),
            entry(RoleUpdated.class, RoleUpdated::getCommandId),
            entry(RoleDeleted.class, RoleDeleted::getCommandId));

    private Events() {
    }

    /** The commandId of the command that caused {@code event}; null for an event no command causes (a summary). */
    public static String commandId(SpecificRecord event) {
        Function<SpecificRecord, String> getter = COMMAND_IDS.get(event.getClass());
        return getter == null ? null : getter.apply(event);
    }

    private static <E extends SpecificRecord> Map.Entry<Class<?>, Function<SpecificRecord, String>> entry(
            Class<E> type, Function<E, String> getter) {
        return Map.entry(type, event -> getter.apply(type.cast(event)));
    }
}
