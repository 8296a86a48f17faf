package io.convo.rules;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** What step 3 of SPEC §3 decided for one command, against its aggregate's state, which it never changes. */
public sealed interface Decision {

    /** Accepted: the events to append, which {@code evolve} folds into the state. */
    record Accepted(List<SpecificRecord> events) implements Decision {

        public static Accepted of(SpecificRecord event) {
            return new Accepted(List.of(event));
        }
    }

    /** Rejected: nothing changes. */
    record Rejected(Rejection rejection) implements Decision {
    }

    /**
     * The local checks passed; the command now needs a chat identity's membership count (L9), which lives under
     * the identity's key. The answer decides it: a grant accepts it, a refusal rejects it.
     */
    record AwaitIdentity(String identity) implements Decision {
    }
}
