package io.convo.topology;

import io.convo.internal.CheckKind;
import io.convo.internal.CheckReply;
import io.convo.internal.CheckRequest;
import io.convo.rules.identity.IdentityAggregate;
import io.convo.rules.identity.IdentityRules;
import io.convo.rules.identity.MembershipChange;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * L9 under the identity's key: reserves or releases one conversation's membership. Requests for one identity
 * arrive in one partition, in order, so concurrent conversations racing for the last slot are decided one by one.
 */
final class IdentityMembershipProcessor implements Processor<String, CheckRequest, String, Object> {

    private final int limit;
    private final Sink<CheckReply> replies;
    private Forwarder out;
    private IdentityAggregate.Stores stores;

    IdentityMembershipProcessor(int conversationsPerIdentity, Sink<CheckReply> replies) {
        this.limit = conversationsPerIdentity;
        this.replies = replies;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.out = new Forwarder(context);
        this.stores = TaskStores.identities(context);
    }

    @Override
    public void process(Record<String, CheckRequest> record) {
        CheckRequest request = record.value();
        IdentityAggregate identity = new IdentityAggregate(stores, record.key());
        if (request.getKind() == CheckKind.IDENTITY_RELEASE) {
            IdentityRules.evolve(identity, MembershipChange.release(request.getServiceSid(), request.getIdentity(),
                    request.getConversationSid()));
            return;
        }
        IdentityRules.Reservation r = IdentityRules.reserve(identity, request.getConversationSid(), limit);
        if (r.granted()) {
            IdentityRules.evolve(identity, MembershipChange.reserve(request.getServiceSid(), request.getIdentity(),
                    request.getConversationSid()));
        }
        CheckReply reply = new CheckReply(request.getKind(), request.getCommandId(), request.getConversationSid(),
                r.granted(), null, r.count(), null);
        out.forward(replies, request.getConversationSid(), reply, record.timestamp());
    }
}
