package io.convo.operate;

import io.convo.internal.Conversation;
import io.convo.internal.DeliverySummary;
import io.convo.internal.Membership;
import io.convo.internal.MembershipCount;
import io.convo.internal.MessageState;
import io.convo.internal.ParticipantRef;
import io.convo.internal.ParticipantState;
import io.convo.internal.RecipientStatus;
import io.convo.internal.RoleState;
import io.convo.internal.UserState;
import io.convo.topology.StoreNames;
import org.apache.avro.specific.SpecificRecord;

/**
 * The stores that the event log determines, which {@code convo replay} rebuilds and compares. The other stores
 * (pending checks, parked commands, action windows, command outcomes) hold work in flight, rate-limit windows and
 * idempotency memory, which no event records, so they are not compared.
 */
public enum VerifiedStore {
    CONVERSATIONS(StoreNames.CONVERSATIONS, Conversation.class),
    PARTICIPANTS(StoreNames.PARTICIPANTS, ParticipantState.class),
    PARTICIPANT_INDEX(StoreNames.PARTICIPANT_INDEX, ParticipantRef.class),
    MESSAGES(StoreNames.MESSAGES, MessageState.class),
    DELIVERY_SUMMARIES(StoreNames.DELIVERY_SUMMARIES, DeliverySummary.class),
    DELIVERY_STATUSES(StoreNames.DELIVERY_STATUSES, RecipientStatus.class),
    IDENTITY_MEMBERSHIP_COUNTS(StoreNames.IDENTITY_MEMBERSHIP_COUNTS, MembershipCount.class),
    IDENTITY_MEMBERSHIPS(StoreNames.IDENTITY_MEMBERSHIPS, Membership.class),
    USERS(StoreNames.USERS, UserState.class),
    ROLES(StoreNames.ROLES, RoleState.class);

    private final String storeName;
    private final Class<? extends SpecificRecord> valueType;

    VerifiedStore(String storeName, Class<? extends SpecificRecord> valueType) {
        this.storeName = storeName;
        this.valueType = valueType;
    }

    public String storeName() {
        return storeName;
    }

    public Class<? extends SpecificRecord> valueType() {
        return valueType;
    }

    /** Kafka Streams' name for the store's changelog topic. */
    public String changelogTopic(String applicationId) {
        return applicationId + "-" + storeName + "-changelog";
    }
}
