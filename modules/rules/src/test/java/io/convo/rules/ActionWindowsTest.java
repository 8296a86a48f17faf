package io.convo.rules;

import static io.convo.rules.TestCommands.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.ActionWindowCounts;
import io.convo.model.RateLimitScope;
import io.convo.model.RejectionCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** L10: 30 actions per 1-second window aligned to the second; retryAfterMs; the horizon of a scope's windows. */
class ActionWindowsTest {

    private final ActionWindows conversation = new ActionWindows(RateLimitScope.conversation, 30, ActionWindows.HORIZON);

    /** Admits {@code n} actions at {@code timestamp}, each of which must be admitted; returns the counts after. */
    private ActionWindowCounts admitAll(ActionWindows windows, ActionWindowCounts counts, int n, long timestamp) {
        for (int i = 0; i < n; i++) {
            ActionWindows.Admission admission = windows.admit(counts, timestamp);
            assertThat(admission.admitted()).as("action %d at %d", i + 1, timestamp).isTrue();
            counts = admission.counted();
        }
        return counts;
    }

    @Test
    void alignsWindowsToTheSecond() {
        assertThat(ActionWindows.windowStart(1_800_000_000_999L)).isEqualTo(1_800_000_000_000L);
        assertThat(ActionWindows.windowStart(1_800_000_001_000L)).isEqualTo(1_800_000_001_000L);
        assertThat(ActionWindows.windowStart(-1)).isEqualTo(-1_000);
    }

    @Test
    void admitsWhileTheWindowHasRoom() {
        assertThat(ActionWindows.retryAfterMs(10_250, 30, start -> 29)).isZero();
    }

    @Test
    void pointsAtTheNextWindowWithRoomSkippingFullOnes() {
        Map<Long, Long> counts = Map.of(10_000L, 30L, 11_000L, 30L);
        assertThat(ActionWindows.retryAfterMs(10_250, 30, start -> counts.getOrDefault(start, 0L))).isEqualTo(1_750);
        assertThat(ActionWindows.retryAfterMs(10_999, 30, start -> start == 10_000L ? 30 : 0)).isEqualTo(1);
    }

    @Test
    void admitsThe30thActionOfASecondAndRejectsThe31st() {
        ActionWindowCounts counts = admitAll(conversation, null, 30, T0 + 100);
        assertThat(counts.getStarts()).containsExactly(T0);
        assertThat(counts.getCounts()).containsExactly(30);

        ActionWindows.Admission the31st = conversation.admit(counts, T0 + 250);
        assertThat(the31st.admitted()).isFalse();
        assertThat(the31st.counted()).isNull();
        Rejection r = the31st.rejection();
        assertThat(r.code()).isEqualTo(RejectionCode.RATE_LIMITED);
        assertThat(r.twilioCode()).isEqualTo(50063);
        assertThat(r.limit()).isEqualTo(30);
        assertThat(r.scope()).isEqualTo(RateLimitScope.conversation);
        assertThat(r.retryAfterMs()).isEqualTo(750);
        assertThat(r.reason()).contains("more than 30 actions in one second in this conversation", "retry after 750 ms");
    }

    @Test
    void theNextSecondIsANewWindow() {
        ActionWindowCounts full = admitAll(conversation, null, 30, T0 + 999);
        assertThat(conversation.admit(full, T0 + 999).rejection().retryAfterMs()).isEqualTo(1);
        ActionWindows.Admission next = conversation.admit(full, T0 + 1_000);
        assertThat(next.admitted()).isTrue();
        assertThat(next.counted().getStarts()).containsExactly(T0, T0 + 1_000);
        assertThat(next.counted().getCounts()).containsExactly(30, 1);
    }

    @Test
    void aRejectedActionIsNotCounted() {
        ActionWindowCounts full = admitAll(conversation, null, 30, T0);
        for (int i = 0; i < 5; i++) {
            assertThat(conversation.admit(full, T0 + 500).admitted()).isFalse();
        }
        assertThat(full.getCounts()).containsExactly(30);
    }

    @Test
    void neverChangesTheCountsItIsGiven() {
        ActionWindowCounts before = admitAll(conversation, null, 3, T0);
        ActionWindowCounts copy = new ActionWindowCounts(new ArrayList<>(before.getStarts()), new ArrayList<>(before.getCounts()));
        ActionWindowCounts after = conversation.admit(before, T0 + 5_000).counted();
        assertThat(before).isEqualTo(copy);
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void anOutOfOrderActionCountsInItsOwnWindowAndRetriesPastLaterFullOnes() {
        ActionWindowCounts counts = admitAll(conversation, null, 30, T0 + 1_000);
        counts = admitAll(conversation, counts, 30, T0);
        assertThat(counts.getStarts()).containsExactly(T0, T0 + 1_000);
        // its own window (T0) and the next (T0 + 1 s) are full: the first with room starts at T0 + 2 s
        assertThat(conversation.admit(counts, T0 + 400).rejection().retryAfterMs()).isEqualTo(1_600);
    }

    @Test
    void followsAConfiguredLimitAndScope() {
        ActionWindows service = new ActionWindows(RateLimitScope.service, 3, ActionWindows.HORIZON);
        ActionWindowCounts counts = admitAll(service, null, 3, T0);
        Rejection r = service.admit(counts, T0 + 10).rejection();
        assertThat(r.limit()).isEqualTo(3);
        assertThat(r.scope()).isEqualTo(RateLimitScope.service);
        assertThat(r.reason()).contains("more than 3 actions in one second in this service");
    }

    @Test
    void rejectsAnActionOlderThanTheHorizonBeforeTheLatestAsInvalid() {
        long latest = T0 + Duration.ofHours(2).toMillis();
        ActionWindowCounts counts = admitAll(conversation, null, 1, latest);
        long atHorizon = latest - ActionWindows.HORIZON.toMillis();
        assertThat(conversation.admit(counts, atHorizon).admitted()).isTrue();
        ActionWindows.Admission tooOld = conversation.admit(counts, atHorizon - 1);
        assertThat(tooOld.admitted()).isFalse();
        assertThat(tooOld.rejection().code()).isEqualTo(RejectionCode.INVALID_COMMAND);
        assertThat(tooOld.rejection().reason()).contains("timestamp " + (atHorizon - 1), "more than 3600 s before",
                "conversation's latest action");
    }

    @Test
    void dropsWindowsPastTheHorizonOfTheNewest() {
        ActionWindows shortHorizon = new ActionWindows(RateLimitScope.conversation, 30, Duration.ofSeconds(2));
        ActionWindowCounts counts = admitAll(shortHorizon, null, 1, T0);
        counts = admitAll(shortHorizon, counts, 1, T0 + 2_000);
        assertThat(counts.getStarts()).containsExactly(T0, T0 + 2_000);
        counts = admitAll(shortHorizon, counts, 1, T0 + 3_000);
        assertThat(counts.getStarts()).containsExactly(T0 + 2_000, T0 + 3_000);
        assertThat(counts.getCounts()).isEqualTo(List.of(1, 1));
    }
}
