package io.convo.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.CommandRejected;
import org.apache.avro.specific.SpecificRecord;

/** Assertions on one command's outcome. */
final class Outcomes {

    private Outcomes() {
    }

    static <E extends SpecificRecord> E accepted(SpecificRecord outcome, Class<E> event) {
        assertThat(outcome).as("outcome").isInstanceOf(event);
        return event.cast(outcome);
    }

    static CommandRejected rejected(SpecificRecord outcome, String code) {
        assertThat(outcome).as("outcome").isInstanceOf(CommandRejected.class);
        CommandRejected r = (CommandRejected) outcome;
        assertThat(r.getCode()).as("code of %s", r).isEqualTo(code);
        return r;
    }
}
