package io.convo.topology;

import static io.convo.topology.Outcomes.accepted;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.RecipientStatus;
import io.convo.rules.state.StateKeys;
import io.convo.model.ConversationCreated;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import io.convo.model.DeliverySummaryUpdated;
import io.convo.model.MessageAdded;
import io.convo.model.ParticipantAdded;
import io.convo.model.ParticipantRemoved;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue 19: a message's delivery summary counts its real recipients only, once each, whoever sends a receipt. */
class DeliverySummaryRecipientsTest {

    private static final String CH = "CH1";
    private final CommandFactory given = new CommandFactory();
    private ConvoDriver convo;

    @BeforeEach
    void start() {
        convo = new ConvoDriver();
        accepted(convo.outcome(given.create(CH)), ConversationCreated.class);
    }

    @AfterEach
    void stop() {
        convo.close();
    }

    private void join(SpecificRecord add) {
        accepted(convo.outcome(add), ParticipantAdded.class);
    }

    private void send(String messageSid, String author) {
        assertThat(convo.send(given.message(CH, messageSid, author, "hello")).get(0)).isInstanceOf(MessageAdded.class);
        convo.deliveries();
    }

    private List<SpecificRecord> receipt(String messageSid, String participantSid, DeliveryStatus status) {
        convo.receipt(DeliveryReceipt.newBuilder().setMessageSid(messageSid).setConversationSid(CH)
                .setParticipantSid(participantSid).setStatus(status).setTimestamp(given.now()).build());
        return convo.outcomes();
    }

    /** The participants with a status for the message. */
    private List<String> reported(String messageSid) {
        List<String> reported = new java.util.ArrayList<>();
        String prefix = StateKeys.prefix(CH, messageSid);
        try (var all = convo.<RecipientStatus>store(StoreNames.DELIVERY_STATUSES).prefixScan(prefix,
                new org.apache.kafka.common.serialization.StringSerializer())) {
            all.forEachRemaining(kv -> reported.add(kv.key.substring(prefix.length())));
        }
        return reported;
    }

    @Test
    void aReceiptForSomeoneWhoIsNotARecipientIsIgnored() {
        join(given.chat(CH, "MB-alice", "alice"));
        join(given.chat(CH, "MB-bob", "bob"));
        join(given.sms(CH, "MB-sms", "+15551111111", "+15550000000"));
        send("IM1", "alice");
        join(given.chat(CH, "MB-carol", "carol"));

        assertThat(receipt("IM1", "MBNOPE", DeliveryStatus.delivered)).as("never a participant").isEmpty();
        assertThat(receipt("IM1", "MB-alice", DeliveryStatus.read)).as("the author").isEmpty();
        assertThat(receipt("IM1", "MB-carol", DeliveryStatus.read)).as("joined after the message").isEmpty();
        assertThat(receipt("IM1", "MB-sms", DeliveryStatus.delivered)).singleElement()
                .isInstanceOfSatisfying(DeliverySummaryUpdated.class, s -> assertThat(s.getDelivered()).isEqualTo(1));
        assertThat(receipt("IM1", "MB-bob", DeliveryStatus.read)).singleElement()
                .isInstanceOfSatisfying(DeliverySummaryUpdated.class, s -> assertThat(s.getRead()).isEqualTo(1));

        assertThat(reported("IM1")).containsExactlyInAnyOrder("MB-sms", "MB-bob");
    }

    @Test
    void aRecipientRemovedAfterItsSentReceiptStillCounts() {
        join(given.chat(CH, "MB-alice", "alice"));
        join(given.chat(CH, "MB-bob", "bob"));
        send("IM1", "alice");
        assertThat(receipt("IM1", "MB-bob", DeliveryStatus.sent)).hasSize(1);
        accepted(convo.outcome(given.remove(CH, "MB-bob")), ParticipantRemoved.class);

        assertThat(receipt("IM1", "MB-bob", DeliveryStatus.read)).singleElement()
                .isInstanceOfSatisfying(DeliverySummaryUpdated.class, s -> assertThat(s.getRead()).isEqualTo(1));
    }

    @Test
    void everyRecipientOfAGroupMmsCountsThoughItsDeliveryNamesOnlyTheFirst() {
        join(given.projectedChat(CH, "MB-alice", "alice", "+15550000000"));
        join(given.sms(CH, "MB-s1", "+15551111111", null));
        join(given.sms(CH, "MB-s2", "+15552222222", null));
        send("IM1", "alice");

        assertThat(receipt("IM1", "MB-s1", DeliveryStatus.sent)).hasSize(1);
        assertThat(receipt("IM1", "MB-s2", DeliveryStatus.delivered)).hasSize(1);
        assertThat(reported("IM1")).containsExactlyInAnyOrder("MB-s1", "MB-s2");
    }
}
