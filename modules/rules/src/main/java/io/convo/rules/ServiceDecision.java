package io.convo.rules;

import org.apache.avro.specific.SpecificRecord;

/** What step 3 of SPEC §3 decided for one user or role command. */
public sealed interface ServiceDecision {

    record Rejected(Rejection rejection) implements ServiceDecision {
    }

    /**
     * @param event the service event to append
     * @param key   the store key changed: the identity for users, the roleSid for roles
     * @param state the user's or role's state after the event, null when deleted
     */
    record Accepted(SpecificRecord event, String key, SpecificRecord state) implements ServiceDecision {
    }
}
