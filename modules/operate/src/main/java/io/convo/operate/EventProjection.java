package io.convo.operate;

import io.convo.model.ConversationEvent;
import io.convo.model.ServiceEvent;
import io.convo.rules.conversation.ConversationAggregate;
import io.convo.rules.conversation.ConversationFold;
import io.convo.rules.identity.IdentityAggregate;
import io.convo.rules.identity.IdentityRules;
import io.convo.rules.identity.MembershipChange;
import io.convo.rules.service.ServiceAggregate;
import io.convo.rules.service.ServiceFold;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds the event log into the stores the live application keeps (SPEC §4: replaying {@code conversation-events}
 * and {@code service-events} from offset 0 rebuilds the same state), through the very folds the topology applies its
 * decisions with: {@link ConversationFold}, {@link IdentityRules#evolve} for the memberships an event reserves or
 * releases, and {@link ServiceFold}. Equal state is then a matter of equal events.
 *
 * <p>Events of one conversation must be applied in log order; events of different conversations commute, so
 * partitions may interleave. An event the state cannot take (e.g. for a conversation the log never created, as
 * after retention deleted its start) is skipped and counted as an anomaly.
 */
public final class EventProjection {

    private static final int KEPT_ANOMALIES = 100;

    private final StoreSnapshot state = new StoreSnapshot();
    private final ConversationAggregate.Stores conversations = state.conversationStores();
    private final IdentityAggregate.Stores identities = state.identityStores();
    private final ServiceAggregate.Stores services = state.serviceStores();
    private final List<String> anomalies = new ArrayList<>();
    private long anomalyCount;
    private long applied;

    public StoreSnapshot state() {
        return state;
    }

    /** Events that could not be applied, described (the first hundred). */
    public List<String> anomalies() {
        return anomalies;
    }

    public long anomalyCount() {
        return anomalyCount;
    }

    public long applied() {
        return applied;
    }

    /** Applies a {@code conversation-events} record; {@code key} is its record key, the conversationSid. */
    public void apply(String key, ConversationEvent event) {
        applied++;
        ConversationFold.Evolution evolution = ConversationFold.evolve(new ConversationAggregate(conversations, key), event);
        if (evolution.anomaly() != null) {
            anomaly("conversation-events", key, evolution.anomaly());
        }
        for (MembershipChange change : evolution.memberships()) {
            IdentityRules.evolve(new IdentityAggregate(identities,
                    IdentityAggregate.key(change.serviceSid(), change.identity())), change);
        }
    }

    /** Applies a {@code service-events} record; {@code key} is its record key, the serviceSid. */
    public void apply(String key, ServiceEvent event) {
        applied++;
        if (ServiceFold.evolve(new ServiceAggregate(services, key), event) == null) {
            anomaly("service-events", key, "unknown event " + event.getEvent().getClass().getName());
        }
    }

    private void anomaly(String topic, String key, String what) {
        anomalyCount++;
        if (anomalies.size() < KEPT_ANOMALIES) {
            anomalies.add(topic + " key " + key + ": " + what);
        }
    }
}
