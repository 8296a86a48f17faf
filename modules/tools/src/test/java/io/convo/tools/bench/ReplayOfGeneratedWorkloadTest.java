package io.convo.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.ConversationEvent;
import io.convo.model.ServiceEvent;
import io.convo.operate.EventProjection;
import io.convo.operate.Simulator;
import io.convo.operate.StateComparison;
import io.convo.operate.StoreSnapshot;
import io.convo.operate.VerifiedStore;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Replay's projection of the event log and the topology's own stores, on a generated workload: equal, store by store. */
class ReplayOfGeneratedWorkloadTest {

    private final EventProjection projection = new EventProjection();

    @Test
    void projectingTheEventsOfAGeneratedWorkloadGivesExactlyTheTopologysStores() {
        CommandGenerator.Settings settings = CommandGenerator.Settings.defaults(3).withMaxConversations(200)
                .withChurnShare(0.03);
        try (Simulator convo = new Simulator(new Properties())) {
            for (CommandGenerator.Generated g : CommandGenerator.generate(settings, 15_000)) {
                for (Simulator.Output o : convo.pipe(g.command())) {
                    if (o.value() instanceof ConversationEvent e) {
                        projection.apply(o.key(), e);
                    } else if (o.value() instanceof ServiceEvent e) {
                        projection.apply(o.key(), e);
                    }
                }
            }
            StoreSnapshot live = convo.stores();
            StateComparison.Result result = StateComparison.compare(live, projection.state(), 20);
            assertThat(result.differences()).isEmpty();
            assertThat(projection.anomalyCount()).isZero();
            assertThat(live.size(VerifiedStore.CONVERSATIONS)).isGreaterThan(100);
            assertThat(live.size(VerifiedStore.MESSAGES)).isGreaterThan(5_000);
            assertThat(live.size(VerifiedStore.IDENTITY_MEMBERSHIPS)).isGreaterThan(100);
            assertThat(live.size(VerifiedStore.PARTICIPANTS)).isGreaterThan(100);
            assertThat(live.size(VerifiedStore.USERS)).isPositive();
        }
    }
}
