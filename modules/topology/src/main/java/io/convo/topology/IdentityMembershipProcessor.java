package io.convo.topology;

import io.convo.internal.CheckKind;
import io.convo.internal.CheckReply;
import io.convo.internal.CheckRequest;
import io.convo.internal.IdentityMemberships;
import io.convo.rules.IdentityRules;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * L9 under the identity's key: reserves or releases one conversation's membership. Requests for one identity
 * arrive in one partition, in order, so concurrent conversations racing for the last slot are decided one by one.
 */
final class IdentityMembershipProcessor implements Processor<String, CheckRequest, String, CheckReply> {

    private final int limit;
    private ProcessorContext<String, CheckReply> context;
    private KeyValueStore<String, IdentityMemberships> memberships;

    IdentityMembershipProcessor(int conversationsPerIdentity) {
        this.limit = conversationsPerIdentity;
    }

    @Override
    public void init(ProcessorContext<String, CheckReply> context) {
        this.context = context;
        this.memberships = context.getStateStore(StoreNames.IDENTITY_MEMBERSHIPS);
    }

    @Override
    public void process(Record<String, CheckRequest> record) {
        CheckRequest request = record.value();
        IdentityMemberships held = memberships.get(record.key());
        if (held == null) {
            held = IdentityRules.empty();
        }
        if (request.getKind() == CheckKind.IDENTITY_RELEASE) {
            if (IdentityRules.release(held, request.getConversationSid())) {
                save(record.key(), held);
            }
            return;
        }
        IdentityRules.Reservation r = IdentityRules.reserve(held, request.getConversationSid(), limit);
        if (r.granted()) {
            save(record.key(), held);
        }
        CheckReply reply = new CheckReply(request.getKind(), request.getCommandId(), request.getConversationSid(),
                r.granted(), null, r.count(), null);
        context.forward(new Record<>(request.getConversationSid(), reply, record.timestamp()));
    }

    private void save(String key, IdentityMemberships held) {
        if (held.getConversations().isEmpty()) {
            memberships.delete(key);
        } else {
            memberships.put(key, held);
        }
    }
}
