package io.convo.topology;

import io.convo.rules.conversation.ConversationAggregate;
import io.convo.rules.identity.IdentityAggregate;
import io.convo.rules.service.ServiceAggregate;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/** The rules' view of a task's stores: each aggregate's state over the stores that keep it. */
final class TaskStores {

    private TaskStores() {
    }

    static ConversationAggregate.Stores conversations(ProcessorContext<?, ?> context) {
        return new ConversationAggregate.Stores(kv(context, StoreNames.CONVERSATIONS), kv(context, StoreNames.PARTICIPANTS),
                kv(context, StoreNames.PARTICIPANT_INDEX), kv(context, StoreNames.MESSAGES),
                kv(context, StoreNames.DELIVERY_SUMMARIES), kv(context, StoreNames.DELIVERY_STATUSES),
                ServiceDirectory.stores(context.getStateStore(StoreNames.SERVICE_DIRECTORY)));
    }

    static IdentityAggregate.Stores identities(ProcessorContext<?, ?> context) {
        return new IdentityAggregate.Stores(kv(context, StoreNames.IDENTITY_MEMBERSHIP_COUNTS),
                kv(context, StoreNames.IDENTITY_MEMBERSHIPS));
    }

    static ServiceAggregate.Stores services(ProcessorContext<?, ?> context) {
        return new ServiceAggregate.Stores(kv(context, StoreNames.USERS), kv(context, StoreNames.ROLES));
    }

    private static <V> KafkaKeyValues<V> kv(ProcessorContext<?, ?> context, String store) {
        KeyValueStore<String, V> s = context.getStateStore(store);
        return new KafkaKeyValues<>(s);
    }
}
