package io.convo.rules;

import io.convo.internal.RoleState;
import io.convo.internal.UserState;
import org.apache.avro.specific.SpecificRecord;

/** What step 3 of SPEC §3 decided for one user or role command. */
public sealed interface ServiceDecision {

    record Rejected(Rejection rejection) implements ServiceDecision {
    }

    /** A user command was accepted; {@code next} is the user afterwards, null when deleted. */
    record UserAccepted(SpecificRecord event, String identity, UserState next) implements ServiceDecision {
    }

    /** A role command was accepted; {@code next} is the role afterwards, null when deleted. */
    record RoleAccepted(SpecificRecord event, String roleSid, RoleState next) implements ServiceDecision {
    }
}
