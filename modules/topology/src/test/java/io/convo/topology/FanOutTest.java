package io.convo.topology;

import static io.convo.topology.CommandFactory.media;
import static io.convo.topology.Outcomes.accepted;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.Channel;
import io.convo.model.ConversationCreated;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import io.convo.model.DeliverySummaryUpdated;
import io.convo.model.Media;
import io.convo.model.MessageAdded;
import io.convo.model.ParticipantAdded;
import io.convo.rules.Limits;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SPEC §6: every row of the fan-out table at its boundaries. */
class FanOutTest {

    private static final String CH = "CH1";
    private static final String PROXY = "+15550000000";
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

    /** alice (chat, the author), bob (chat), an SMS participant and a WhatsApp participant. */
    private void everyChannel() {
        join(given.chat(CH, "MB-alice", "alice"));
        join(given.chat(CH, "MB-bob", "bob"));
        join(given.sms(CH, "MB-sms", "+15551111111", PROXY));
        join(given.whatsapp(CH, "MB-wa", "whatsapp:+15552222222", "whatsapp:" + PROXY));
    }

    private String lastMessageSid;

    private Map<String, List<Delivery>> send(String body, Media... media) {
        lastMessageSid = "IM-" + given.nextId();
        List<SpecificRecord> out = convo.send(given.message(CH, lastMessageSid, "alice", body, media));
        assertThat(out.get(0)).isInstanceOf(MessageAdded.class);
        return convo.deliveries();
    }

    private static Delivery only(Map<String, List<Delivery>> deliveries, String topic) {
        assertThat(deliveries.get(topic)).as(topic).hasSize(1);
        return deliveries.get(topic).get(0);
    }

    @Test
    void theChatAudienceGetsOneRecordWithTheBodyAndEveryFileAndTheAuthorGetsNothing() {
        everyChannel();
        join(given.chat(CH, "MB-carol", "carol"));
        Map<String, List<Delivery>> out = send("hello", media("image/gif", 10), media("video/quicktime", 150 * Limits.MB));
        Delivery chat = only(out, "delivery-chat");
        assertThat(chat.getTo()).as("bob and carol read it from one record").isNull();
        assertThat(chat.getParticipantSid()).isNull();
        assertThat(chat.getFrom()).isEqualTo("alice");
        assertThat(chat.getChannel()).isEqualTo(Channel.chat);
        assertThat(chat.getBody()).isEqualTo("hello");
        assertThat(chat.getMedia()).hasSize(2);
        assertThat(chat.getBodyDropped()).isFalse();
        assertThat(out.values().stream().flatMap(List::stream)).noneMatch(d -> "alice".equals(d.getTo()));
    }

    @Test
    void sendsABodyOf1600CharactersAsSmsAndFailsOneOf1601() {
        everyChannel();
        Delivery sms = only(send("x".repeat(1600)), "delivery-sms");
        assertThat(sms.getBody()).hasSize(1600);
        assertThat(sms.getTo()).isEqualTo("+15551111111");
        assertThat(sms.getFrom()).isEqualTo(PROXY);
        assertThat(convo.receipts()).isEmpty();

        Map<String, List<Delivery>> tooLong = send("\uD83D\uDE00".repeat(1601));
        assertThat(tooLong.get("delivery-sms")).isEmpty();
        assertThat(tooLong.get("delivery-whatsapp")).isEmpty();
        assertThat(tooLong.get("delivery-chat")).as("chat recipients still get it").hasSize(1);
        List<DeliveryReceipt> failed = convo.receipts();
        assertThat(failed).extracting(DeliveryReceipt::getParticipantSid).containsExactly("MB-sms", "MB-wa");
        assertThat(failed).allSatisfy(r -> {
            assertThat(r.getStatus()).isEqualTo(DeliveryStatus.failed);
            assertThat(r.getCode()).isEqualTo("OUTBOUND_BODY_TOO_LONG");
            assertThat(r.getReason()).contains("1601").contains("1600");
        });
    }

    @Test
    void sendsA4Point9MbJpgToSmsAsAnMmsWithoutTheBodyButNotA5MbOne() {
        everyChannel();
        long justUnder = 5 * Limits.MB - 1;
        Map<String, List<Delivery>> out = send("caption", media("image/gif", 10), media("image/jpeg", justUnder),
                media("image/png", 10));
        Delivery mms = only(out, "delivery-mms");
        assertThat(mms.getChannel()).isEqualTo(Channel.mms);
        assertThat(mms.getMedia()).singleElement().satisfies(m -> assertThat(m.getSize()).isEqualTo(justUnder));
        assertThat(mms.getBody()).isNull();
        assertThat(mms.getBodyDropped()).isTrue();
        assertThat(mms.getMediaDropped()).isEqualTo(2);
        assertThat(out.get("delivery-sms")).isEmpty();

        Map<String, List<Delivery>> fiveMb = send("caption", media("image/jpeg", 5 * Limits.MB));
        assertThat(fiveMb.get("delivery-mms")).isEmpty();
        Delivery text = only(fiveMb, "delivery-sms");
        assertThat(text.getBody()).isEqualTo("caption");
        assertThat(text.getMedia()).isEmpty();
        assertThat(text.getMediaDropped()).isEqualTo(1);
    }

    @Test
    void aGifToSmsWithoutABodyIsAFailedDelivery() {
        join(given.chat(CH, "MB-alice", "alice"));
        join(given.sms(CH, "MB-sms", "+15551111111", PROXY));
        List<SpecificRecord> outcomes = convo.send(given.message(CH, "IM-gif", "alice", null, media("image/gif", 1000)));
        assertThat(convo.deliveries().values()).allSatisfy(list -> assertThat(list).isEmpty());
        DeliveryReceipt failed = convo.receipts().get(0);
        assertThat(failed.getCode()).isEqualTo("MEDIA_NOT_DELIVERABLE");
        assertThat(failed.getParticipantSid()).isEqualTo("MB-sms");
        assertThat(outcomes).hasSize(2);
        assertThat(outcomes.get(0)).isInstanceOf(MessageAdded.class);
        assertThat(outcomes.get(1)).isInstanceOfSatisfying(DeliverySummaryUpdated.class,
                s -> assertThat(s.getFailed()).isEqualTo(1));
    }

    @Test
    void aGifWithABodyGoesToSmsAsText() {
        join(given.chat(CH, "MB-alice", "alice"));
        join(given.sms(CH, "MB-sms", "+15551111111", PROXY));
        Delivery sms = only(send("look", media("image/gif", 1000)), "delivery-sms");
        assertThat(sms.getBody()).isEqualTo("look");
    }

    @Test
    void sendsA16MbFileToWhatsappButNotOneByteMore() {
        everyChannel();
        Delivery wa = only(send("hi", media("video/mp4", 16 * Limits.MB)), "delivery-whatsapp");
        assertThat(wa.getMedia()).singleElement().satisfies(m -> assertThat(m.getSize()).isEqualTo(16 * Limits.MB));
        assertThat(wa.getBodyDropped()).isTrue();
        assertThat(wa.getFrom()).isEqualTo("whatsapp:" + PROXY);

        Map<String, List<Delivery>> tooBig = send("hi", media("video/mp4", 16 * Limits.MB + 1));
        Delivery text = only(tooBig, "delivery-whatsapp");
        assertThat(text.getMedia()).isEmpty();
        assertThat(text.getBody()).isEqualTo("hi");
        assertThat(tooBig.get("delivery-mms")).as("the SMS recipient cannot take 16 MB either").isEmpty();
    }

    @Test
    void threeImagesAndTextToWhatsappBecomeOneImageWithoutTheBody() {
        everyChannel();
        Delivery wa = only(send("three", media("image/png", 100), media("image/jpeg", 200), media("image/png", 300)),
                "delivery-whatsapp");
        assertThat(wa.getMedia()).singleElement().satisfies(m -> assertThat(m.getSize()).isEqualTo(100));
        assertThat(wa.getBody()).isNull();
        assertThat(wa.getBodyDropped()).isTrue();
        assertThat(wa.getMediaDropped()).isEqualTo(2);
    }

    @Test
    void aGroupMmsConversationSendsOneMmsWithTheBodyAndAtMostTenFiles() {
        join(given.projectedChat(CH, "MB-alice", "alice", "+15559999999"));
        join(given.chat(CH, "MB-bob", "bob"));
        join(given.sms(CH, "MB-s1", "+15551111111", null));
        join(given.sms(CH, "MB-s2", "+15552222222", null));
        Media[] eleven = new Media[11];
        Arrays.fill(eleven, media("image/jpeg", 100_000));
        Map<String, List<Delivery>> out = send("to the group", eleven);
        Delivery group = only(out, "delivery-mms");
        assertThat(group.getBody()).isEqualTo("to the group");
        assertThat(group.getBodyDropped()).isFalse();
        assertThat(group.getMedia()).hasSize(10);
        assertThat(group.getMediaDropped()).isEqualTo(1);
        assertThat(group.getRecipients()).containsExactly("+15551111111", "+15552222222");
        assertThat(group.getFrom()).isEqualTo("+15559999999");
        assertThat(out.get("delivery-sms")).isEmpty();
        assertThat(only(out, "delivery-chat").getMedia()).hasSize(11);
    }

    @Test
    void aGroupMmsCarriesAtMost5MbOfMedia() {
        join(given.projectedChat(CH, "MB-alice", "alice", "+15559999999"));
        join(given.sms(CH, "MB-s1", "+15551111111", null));
        Delivery group = only(send("big", media("image/jpeg", 3 * Limits.MB), media("image/jpeg", 2 * Limits.MB),
                media("image/png", 1)), "delivery-mms");
        assertThat(group.getMedia()).extracting(Media::getSize).containsExactly(3 * Limits.MB, 2 * Limits.MB);
    }

    @Test
    void participantsWhoJoinLaterAndEditsOrRemovalsGetNothing() {
        join(given.chat(CH, "MB-alice", "alice"));
        String messageSid = "IM-first";
        convo.send(given.message(CH, messageSid, "alice", "before carol"));
        assertThat(convo.deliveries().values()).allSatisfy(list -> assertThat(list).isEmpty());
        join(given.chat(CH, "MB-carol", "carol"));
        convo.send(given.editMessage(CH, messageSid, "edited"));
        convo.send(given.removeMessage(CH, messageSid));
        assertThat(convo.deliveries().values()).allSatisfy(list -> assertThat(list).isEmpty());
    }

    @Test
    void foldsConnectorReceiptsIntoTheMessagesDeliverySummary() {
        everyChannel();
        send("hello");
        long t = given.now();
        convo.receipt(receipt("MB-bob", DeliveryStatus.sent, t));
        convo.receipt(receipt("MB-sms", DeliveryStatus.delivered, t + 1));
        convo.receipt(receipt("MB-sms", DeliveryStatus.sent, t + 2)); // late: changes nothing
        convo.receipt(receipt("MB-bob", DeliveryStatus.read, t + 3));
        convo.receipt(receipt("MB-wa", DeliveryStatus.undelivered, t + 4));
        List<SpecificRecord> summaries = convo.outcomes();
        assertThat(summaries).hasSize(4).allSatisfy(s -> assertThat(s).isInstanceOf(DeliverySummaryUpdated.class));
        DeliverySummaryUpdated last = (DeliverySummaryUpdated) summaries.get(3);
        assertThat(last.getRead()).isEqualTo(1);
        assertThat(last.getDelivered()).isEqualTo(1);
        assertThat(last.getUndelivered()).isEqualTo(1);
        assertThat(last.getSent()).isZero();
        assertThat(last.getIndex()).isZero();
    }

    private DeliveryReceipt receipt(String participantSid, DeliveryStatus status, long timestamp) {
        return DeliveryReceipt.newBuilder().setMessageSid(lastMessageSid).setConversationSid(CH)
                .setParticipantSid(participantSid).setStatus(status).setTimestamp(timestamp).build();
    }
}
