package io.convo.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.RejectionCode;
import java.util.Optional;

/** Assertions on rejections: the code, Twilio's code, the limit and the figures the reason must state. */
public final class Rejections {

    private Rejections() {
    }

    /** The rejection of a decision that must be one. */
    public static Rejection rejection(Decision decision) {
        assertThat(decision).isInstanceOf(Decision.Rejected.class);
        return ((Decision.Rejected) decision).rejection();
    }

    /** The rejection of an optional that must hold one. */
    public static Rejection rejection(Optional<Rejection> rejection) {
        assertThat(rejection).as("rejection").isPresent();
        return rejection.get();
    }

    /**
     * Asserts a rejection for a limit.
     *
     * @param twilioCode  null where SPEC §2 gives none
     * @param reasonParts what the reason must state, e.g. the offending size and the limit
     */
    public static void assertLimit(Rejection r, RejectionCode code, Integer twilioCode, long limit, String... reasonParts) {
        assertThat(r.code()).as("code").isEqualTo(code);
        assertThat(r.twilioCode()).as("twilioCode").isEqualTo(twilioCode);
        assertThat(r.limit()).as("limit").isEqualTo(limit);
        assertThat(r.reason()).as("reason").contains(reasonParts);
    }

    /** Asserts a rejection that is no limit: its code, Twilio's code and what its reason states. */
    public static void assertRejected(Rejection r, RejectionCode code, Integer twilioCode, String... reasonParts) {
        assertThat(r.code()).as("code").isEqualTo(code);
        assertThat(r.twilioCode()).as("twilioCode").isEqualTo(twilioCode);
        assertThat(r.limit()).as("limit").isNull();
        assertThat(r.reason()).as("reason").contains(reasonParts);
    }

    /** Asserts an {@code INVALID_COMMAND} whose reason states {@code reasonParts}. */
    public static void assertInvalid(Optional<Rejection> r, String... reasonParts) {
        assertRejected(rejection(r), RejectionCode.INVALID_COMMAND, null, reasonParts);
    }
}
