package io.convo.rules.conversation;

import io.convo.internal.ParticipantState;
import io.convo.model.SendMessage;
import io.convo.rules.Command;
import io.convo.rules.Rejection;
import io.convo.rules.permission.Authorization;
import io.convo.rules.permission.Permission;

/**
 * The participant a conversation command acts as (SPEC §9): the one with the command's {@code actingIdentity}, or for
 * a message without one, the participant its author names. A command with neither is a backend's, and allowed.
 *
 * @param identity    the acting identity (for an author, the identity or address it gave)
 * @param participant the participant acting, or null when the identity is not one
 */
record Actor(String identity, ParticipantState participant, ConversationAggregate state) {

    /** The actor of {@code command}, or null for a backend's command. */
    static Actor of(Command command, ConversationAggregate state) {
        String acting = command.actingIdentity();
        if (acting != null) {
            return new Actor(acting, state.withIdentity(acting), state);
        }
        if (command.body() instanceof SendMessage m && m.getAuthor() != null) {
            ParticipantState author = state.author(m.getAuthor());
            return author == null ? null : new Actor(m.getAuthor(), author, state);
        }
        return null;
    }

    /** Whether {@code target} is the acting participant itself. */
    boolean is(ParticipantState target) {
        return participant.getParticipantSid().equals(target.getParticipantSid());
    }

    /** Null when the actor's role grants {@code needed}; else the refusal. */
    Rejection check(Permission needed, String action) {
        return Authorization.check(identity, state.roleOf(participant), needed, action);
    }
}
