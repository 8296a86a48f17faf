package io.convo.rules.conversation;

import io.convo.internal.Conversation;
import io.convo.model.AddParticipant;
import io.convo.rules.Command;
import io.convo.rules.Limits;
import java.util.List;
import java.util.Objects;

/**
 * Which command of a conversation may start its own identity check while older ones are still out (issue 12, point
 * 4), so that adding 1000 chat participants costs about one check round trip per 32 of them rather than per one.
 *
 * <p>The rule: a later command may run ahead only when its whole decision is the same whatever the checks in flight
 * answer, so that deciding it now equals deciding it after them, as {@code simulate} (where every check answers at
 * once) does. That holds for a chat {@code AddParticipant} when every command in flight is one too and none of them
 * shares its commandId (a duplicate's answer is the original's outcome), participantSid or identity (the conflict
 * check, and L9 for the same identity), when L6 admits it even if every add in flight is granted, and when neither
 * it nor the conversation is part of a group MMS (L8 counts chat participants too). Its outcome still waits for
 * theirs: the engine sends its check now but decides and emits in command order. Anything else — a message (its
 * audience depends on the joins), a removal, a rename, a service check — waits until nothing is in flight.
 */
public final class PipelinedChecks {

    private final Limits limits;
    private final int maxInFlight;

    /** @param maxInFlight how many checks of one conversation may be out at once */
    public PipelinedChecks(Limits limits, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("at least one check must be allowed in flight, not " + maxInFlight);
        }
        this.limits = limits;
        this.maxInFlight = maxInFlight;
    }

    /**
     * Whether {@code next} may start its check ahead of {@code inFlight}, the conversation's commands whose checks
     * are out, oldest first. The caller then still runs it through the pipeline and sends it only if it asks for an
     * identity check; any other result is decided later, in order.
     */
    public boolean mayRunAhead(Command next, List<Command> inFlight, ConversationAggregate state) {
        if (inFlight.isEmpty() || inFlight.size() >= maxInFlight || !(next.body() instanceof AddParticipant add)
                || !isPlainChatAdd(add)) {
            return false;
        }
        Conversation conversation = state.conversation();
        if (conversation == null || conversation.getGroupMmsMembers() > 0
                || conversation.getParticipants() + inFlight.size() + 1 > limits.participantsPerConversation()) {
            return false;
        }
        for (Command earlier : inFlight) {
            if (!(earlier.body() instanceof AddParticipant other) || !isPlainChatAdd(other)
                    || earlier.commandId().equals(next.commandId())
                    || other.getIdentity().equals(add.getIdentity())
                    || Objects.equals(other.getParticipantSid(), add.getParticipantSid())) {
                return false;
            }
        }
        return true;
    }

    /** A chat participant that does not make the conversation a group MMS. */
    private static boolean isPlainChatAdd(AddParticipant add) {
        return add.getIdentity() != null && add.getMessagingBinding() == null && add.getProjectedAddress() == null;
    }
}
