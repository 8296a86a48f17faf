package io.convo.rules;

import io.convo.internal.ConversationAggregate;
import io.convo.internal.MessageState;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** What step 3 of SPEC §3 decided for one conversation command. */
public sealed interface ConversationDecision {

    /** Rejected: nothing changes. */
    record Rejected(Rejection rejection) implements ConversationDecision {
    }

    /**
     * The local checks passed; the command now needs the identity's membership count (L9), which lives under
     * the identity's key. On a grant, {@link ConversationRules#acceptParticipant} applies it.
     */
    record AwaitIdentity(String identity) implements ConversationDecision {
    }

    /**
     * Accepted.
     *
     * @param event            the event to append (one of the conversation events)
     * @param next             the conversation's state after the event, null when it was deleted
     * @param releasedIdentities chat identities whose membership (L9) this event ends
     * @param message          the message store change, or null
     */
    record Accepted(SpecificRecord event, ConversationAggregate next, List<String> releasedIdentities,
                    MessageChange message) implements ConversationDecision {
    }

    /** A change to the message store, keyed by messageSid within the conversation. */
    sealed interface MessageChange {
        record Put(MessageState message) implements MessageChange {
        }

        record Remove(String messageSid) implements MessageChange {
        }

        /** The conversation was deleted: all its messages go. */
        record RemoveAll() implements MessageChange {
        }
    }
}
