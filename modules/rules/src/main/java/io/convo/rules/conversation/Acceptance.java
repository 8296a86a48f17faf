package io.convo.rules.conversation;

import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliverySummaryUpdated;
import io.convo.model.MessageAdded;
import io.convo.rules.Decision;
import io.convo.rules.Limits;
import io.convo.rules.identity.MembershipChange;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * What an accepted conversation command does, in order: each event folded into the conversation's state, the
 * memberships it releases (L9), and for a message its fan-out (SPEC §6), whose failed deliveries are folded into the
 * message's summary at once, so that a conversation's events follow from its commands alone, the same on a broker as
 * in {@code simulate}.
 */
public final class Acceptance {

    /**
     * @param events     to append to {@code conversation-events}, in order
     * @param deliveries to the delivery topics of their channels
     * @param failures   failed deliveries, as receipts for {@code delivery-receipts}
     * @param releases   memberships the events end, for the identities' keys
     */
    public record Outcome(List<SpecificRecord> events, List<Delivery> deliveries, List<DeliveryReceipt> failures,
                          List<MembershipChange> releases) {
    }

    private final FanOut fanOut;

    public Acceptance(Limits limits) {
        this.fanOut = new FanOut(limits);
    }

    /** Applies {@code accepted} to {@code conversation} and returns what it produces. */
    public Outcome accept(Decision.Accepted accepted, ConversationAggregate conversation) {
        List<SpecificRecord> events = new ArrayList<>();
        List<Delivery> deliveries = new ArrayList<>();
        List<DeliveryReceipt> failures = new ArrayList<>();
        List<MembershipChange> releases = new ArrayList<>();
        for (SpecificRecord event : accepted.events()) {
            ConversationFold.Evolution evolution = ConversationFold.evolve(conversation, event);
            if (evolution.anomaly() != null) {
                throw new IllegalStateException("conversation " + conversation.conversationSid()
                        + ": an accepted event does not fit the state: " + evolution.anomaly());
            }
            for (MembershipChange change : evolution.memberships()) {
                // Reservations were granted before the event: only releases remain to be sent.
                if (change.kind() == MembershipChange.Kind.RELEASE) {
                    releases.add(change);
                }
            }
            events.add(event);
            if (event instanceof MessageAdded message) {
                FanOut.Plan plan = fanOut.plan(message, conversation);
                deliveries.addAll(plan.deliveries());
                for (DeliveryReceipt failed : plan.failures()) {
                    failures.add(failed);
                    DeliverySummaryUpdated summary = DeliverySummaries.decide(failed,
                            conversation.message(message.getMessageSid()), conversation);
                    if (summary != null) {
                        ConversationFold.evolve(conversation, summary);
                        events.add(summary);
                    }
                }
            }
        }
        return new Outcome(events, deliveries, failures, releases);
    }
}
