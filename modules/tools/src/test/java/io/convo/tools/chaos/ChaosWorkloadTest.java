package io.convo.tools.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.RateLimitScope;
import io.convo.model.json.JsonLines;
import io.convo.rules.ActionWindows;
import io.convo.rules.Command;
import io.convo.rules.Limits;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class ChaosWorkloadTest {

    /**
     * A service's action window is filled by commands of many conversations, which reach it in no defined order: if
     * such a window were crowded past the limit, which command is refused would depend on timing, and no oracle could
     * check it. Only a service's own commands (one partition, one order) may crowd it. A million commands, because
     * the first version of the generator kept this only while its window bookkeeping stayed small.
     */
    @Test
    void neverCrowdsAServiceWindowThatCommandsOfSeveralConversationsShare() {
        Limits limits = Limits.from(ChaosWorkload.smallLimits());
        ChaosWorkload workload = new ChaosWorkload(42L, 1_000_000, 1_800_000_000_000L, limits);
        Set<String> commandIds = new HashSet<>();
        Map<String, Window> windows = new HashMap<>();
        long commands = 0;
        long crowdedByServiceCommandsOnly = 0;
        long currentWindowStart = Long.MIN_VALUE;
        for (ChaosWorkload.Phase phase = workload.next(); phase != null; phase = workload.next()) {
            for (SpecificRecord command : phase.commands()) {
                commands++;
                Command header = Command.of(command);
                if (!commandIds.add(header.commandId()) || header.scope() != RateLimitScope.service) {
                    continue; // a duplicate takes no action; conversation windows have one key, hence one order
                }
                long commandWindow = ActionWindows.windowStart(header.timestamp());
                if (commandWindow != currentWindowStart) {
                    crowdedByServiceCommandsOnly += closeWindows(windows, limits.actionsPerSecond());
                    currentWindowStart = commandWindow;
                }
                Window window = windows.computeIfAbsent(header.serviceSid(), s -> new Window());
                window.actions++;
                window.fromConversations |= !JsonLines.commandOf(command).key().equals(header.serviceSid());
            }
        }
        crowdedByServiceCommandsOnly += closeWindows(windows, limits.actionsPerSecond());

        assertThat(commands).isGreaterThanOrEqualTo(1_000_000);
        assertThat(crowdedByServiceCommandsOnly).as("service bursts, which must still happen").isPositive();
    }

    private static final class Window {
        int actions;
        boolean fromConversations;
    }

    /** Checks the windows of the second that ended; returns how many were crowded by the service's own commands. */
    private static int closeWindows(Map<String, Window> windows, int limit) {
        int crowded = 0;
        for (Map.Entry<String, Window> w : windows.entrySet()) {
            if (w.getValue().actions > limit) {
                assertThat(w.getValue().fromConversations)
                        .as("%s has %d actions in one second, some from conversations", w.getKey(), w.getValue().actions)
                        .isFalse();
                crowded++;
            }
        }
        windows.clear();
        return crowded;
    }
}
