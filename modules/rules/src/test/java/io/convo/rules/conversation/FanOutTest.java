package io.convo.rules.conversation;

import static io.convo.rules.TestCommands.CONVERSATION;
import static io.convo.rules.TestCommands.media;
import static io.convo.rules.TestCommands.times;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.Channel;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import io.convo.model.Media;
import io.convo.model.MessageAdded;
import io.convo.rules.Limits;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SPEC §6 per channel: one chat record per message for the whole chat audience, one record per non-chat recipient,
 * one group MMS for all non-chat recipients of a group MMS conversation; the author gets nothing.
 */
class FanOutTest {

    private static final long MB = Limits.MB;
    private static final String EMOJI = "\uD83D\uDE00";

    private final FanOut fanOut = new FanOut(Limits.defaults());

    /** Chat alice, bob and carol; SMS MB4 with a proxy; WhatsApp MB5: no group MMS. */
    private final Given given = Given.conversation()
            .chat("MB1", "alice").chat("MB2", "bob").chat("MB3", "carol")
            .sms("MB4", "+15550004", "+15559000")
            .whatsapp("MB5", "whatsapp:+15550005", "whatsapp:+15559001");

    /** Accepts the message into {@code conversation} (as Acceptance does) and plans its fan-out. */
    private FanOut.Plan send(Given conversation, String author, String body, Media... media) {
        long index = conversation.state().conversation().getNextMessageIndex();
        MessageAdded message = TestEvents.messageAdded(CONVERSATION, "IM" + index, index, author, body, media);
        conversation.fold(message);
        return fanOut.plan(message, conversation.state());
    }

    private FanOut.Plan send(String author, String body, Media... media) {
        return send(given, author, body, media);
    }

    private static List<Delivery> to(FanOut.Plan plan, String participantSid) {
        return plan.deliveries().stream().filter(d -> participantSid.equals(d.getParticipantSid())).toList();
    }

    private static Delivery onlyTo(FanOut.Plan plan, String participantSid) {
        List<Delivery> deliveries = to(plan, participantSid);
        assertThat(deliveries).as("deliveries to " + participantSid).hasSize(1);
        return deliveries.get(0);
    }

    private static DeliveryReceipt failureOf(FanOut.Plan plan, String participantSid) {
        List<DeliveryReceipt> failures = plan.failures().stream()
                .filter(f -> f.getParticipantSid().equals(participantSid)).toList();
        assertThat(failures).as("failures of " + participantSid).hasSize(1);
        return failures.get(0);
    }

    @Nested
    class Chat {

        private Delivery onlyOne(List<Delivery> deliveries) {
            assertThat(deliveries).hasSize(1);
            return deliveries.get(0);
        }

        private List<Delivery> chat(FanOut.Plan plan) {
            return plan.deliveries().stream().filter(d -> d.getChannel() == Channel.chat).toList();
        }

        @Test
        void theChatAudienceGetsOneRecordWithTheBodyAndEveryFileNamingNoRecipient() {
            Media big = media("video/quicktime", 150 * MB);
            Media small = media("image/gif", 10);
            FanOut.Plan plan = send("alice", "hi", big, small);
            Delivery toAll = onlyOne(chat(plan));
            assertThat(toAll.getParticipantSid()).isNull();
            assertThat(toAll.getTo()).isNull();
            assertThat(toAll.getRecipients()).isEmpty();
            assertThat(toAll.getFrom()).isEqualTo("alice");
            assertThat(toAll.getAuthor()).isEqualTo("alice");
            assertThat(toAll.getBody()).isEqualTo("hi");
            assertThat(toAll.getMedia()).containsExactly(big, small);
            assertThat(toAll.getBodyDropped()).isFalse();
            assertThat(toAll.getMediaDropped()).isZero();
            assertThat(toAll.getMessageSid()).isEqualTo("IM0");
            assertThat(toAll.getIndex()).isZero();
            assertThat(toAll.getConversationSid()).isEqualTo(CONVERSATION);
            assertThat(toAll).isEqualTo(FanOut.chatAudience(TestEvents.messageAdded(CONVERSATION, "IM0", 0, "alice",
                    "hi", big, small)));
        }

        @Test
        void aThousandMemberChatGetsOneRecordPerMessage() {
            Given big = Given.conversation().chatParticipants(1_000);
            assertThat(chat(send(big, "user-0", times(32 * 1024, "x")))).hasSize(1);
        }

        @Test
        void noRecordInAChatOnlyConversationWhereTheAuthorIsAlone() {
            assertThat(send(Given.conversation().chat("MB1", "alice"), "alice", "hi").deliveries()).isEmpty();
        }

        @Test
        void aChatOnlyConversationGetsItsRecordWhenAnyoneButTheAuthorIsThere() {
            assertThat(chat(send(Given.conversation().chat("MB1", "alice").chat("MB2", "bob"), "alice", "hi")))
                    .hasSize(1);
            assertThat(chat(send(Given.conversation().chat("MB1", "alice"), "a backend", "hi")))
                    .as("an author who is no participant").hasSize(1);
        }

        @Test
        void noChatRecordWhenTheAuthorIsTheOnlyChatParticipant() {
            Given alone = Given.conversation().chat("MB1", "alice").sms("MB4", "+15550004", "+15559000");
            FanOut.Plan plan = send(alone, "alice", "hi");
            assertThat(chat(plan)).isEmpty();
            assertThat(plan.deliveries()).extracting(Delivery::getParticipantSid).containsExactly("MB4");
        }

        @Test
        void chatRecipientsStillGetAMessageOtherChannelsCannotCarry() {
            FanOut.Plan plan = send("alice", times(1_601, "x"));
            assertThat(chat(plan)).singleElement().extracting(Delivery::getBody).isEqualTo(times(1_601, "x"));
            assertThat(plan.failures()).extracting(DeliveryReceipt::getParticipantSid).containsExactly("MB4", "MB5");
        }

        @Test
        void aMessageFromNoParticipantGoesToEveryone() {
            FanOut.Plan plan = send("system", "hi");
            assertThat(plan.deliveries()).extracting(Delivery::getParticipantSid)
                    .containsExactlyInAnyOrder(null, "MB4", "MB5");
        }

        @Test
        void goesToTheParticipantsOfTheMomentTheMessageWasAccepted() {
            given.fold(TestEvents.participantRemoved(CONVERSATION, "MB4", "+15550004"))
                    .whatsapp("MB6", "whatsapp:+15550006", "whatsapp:+15559001");
            assertThat(send("alice", "hi").deliveries()).extracting(Delivery::getParticipantSid)
                    .containsExactlyInAnyOrder(null, "MB5", "MB6");
        }
    }

    @Nested
    class SmsWithoutMedia {

        @Test
        void getsTheBodyFromItsProxyAddress() {
            Delivery sms = onlyTo(send("alice", "hi"), "MB4");
            assertThat(sms.getChannel()).isEqualTo(Channel.sms);
            assertThat(sms.getTo()).isEqualTo("+15550004");
            assertThat(sms.getFrom()).isEqualTo("+15559000");
            assertThat(sms.getBody()).isEqualTo("hi");
            assertThat(sms.getMedia()).isEmpty();
            assertThat(sms.getBodyDropped()).isFalse();
        }

        @Test
        void carries1600CharactersCountedAsCodePoints() {
            // 1,600 emoji are 3,200 UTF-16 chars
            assertThat(onlyTo(send("alice", times(1_600, EMOJI)), "MB4").getBody()).isEqualTo(times(1_600, EMOJI));
        }

        @Test
        void aBodyOver1600CharactersIsAFailedDelivery() {
            FanOut.Plan plan = send("alice", times(1_601, EMOJI));
            assertThat(to(plan, "MB4")).isEmpty();
            DeliveryReceipt failed = failureOf(plan, "MB4");
            assertThat(failed.getStatus()).isEqualTo(DeliveryStatus.failed);
            assertThat(failed.getCode()).isEqualTo(FanOut.OUTBOUND_BODY_TOO_LONG);
            assertThat(failed.getChannel()).isEqualTo(Channel.sms);
            assertThat(failed.getMessageSid()).isEqualTo("IM0");
            assertThat(failed.getReason()).contains("1601 characters", "at most 1600");
        }

        @Test
        void anSmsAuthorGetsNothing() {
            FanOut.Plan plan = send("+15550004", "from my phone");
            assertThat(to(plan, "MB4")).isEmpty();
            assertThat(plan.failures()).isEmpty();
            assertThat(plan.deliveries()).extracting(Delivery::getParticipantSid)
                    .as("the chat audience, and MB5").containsExactlyInAnyOrder(null, "MB5");
        }
    }

    @Nested
    class SmsWithMedia {

        @Test
        void getsOneMmsWithTheFirstDeliverableFileUnder5MbAndNoBody() {
            Media gif = media("image/gif", 1_000);
            Media png5 = media("image/png", 5 * MB);
            Media jpeg = media("image/jpeg", 5 * MB - 1);
            Media pdf = media("application/pdf", 1_000);
            Delivery mms = onlyTo(send("alice", "look", gif, png5, jpeg, pdf), "MB4");
            assertThat(mms.getChannel()).isEqualTo(Channel.mms);
            assertThat(mms.getTo()).isEqualTo("+15550004");
            assertThat(mms.getFrom()).isEqualTo("+15559000");
            assertThat(mms.getMedia()).containsExactly(jpeg);
            assertThat(mms.getBody()).isNull();
            assertThat(mms.getBodyDropped()).isTrue();
            assertThat(mms.getMediaDropped()).isEqualTo(3);
        }

        @Test
        void aFileWithoutABodyIsNoDroppedBody() {
            Delivery mms = onlyTo(send("alice", null, media("image/png", 10)), "MB4");
            assertThat(mms.getBodyDropped()).isFalse();
            assertThat(mms.getMediaDropped()).isZero();
        }

        @Test
        void withoutADeliverableFileGetsTheBodyAsSms() {
            Delivery sms = onlyTo(send("alice", "see the app", media("image/gif", 10), media("image/png", 6 * MB)), "MB4");
            assertThat(sms.getChannel()).isEqualTo(Channel.sms);
            assertThat(sms.getBody()).isEqualTo("see the app");
            assertThat(sms.getMedia()).isEmpty();
            assertThat(sms.getMediaDropped()).isEqualTo(2);
        }

        @Test
        void withoutADeliverableFileOrABodyIsAFailedDelivery() {
            FanOut.Plan plan = send("alice", null, media("image/png", 5 * MB));
            assertThat(to(plan, "MB4")).isEmpty();
            DeliveryReceipt failed = failureOf(plan, "MB4");
            assertThat(failed.getCode()).isEqualTo(FanOut.MEDIA_NOT_DELIVERABLE);
            assertThat(failed.getStatus()).isEqualTo(DeliveryStatus.failed);
            assertThat(failed.getReason()).contains("none of the message's 1 media files can go to sms");
        }

        @Test
        void withoutADeliverableFileAndWithABodyOver1600CharactersIsAFailedDelivery() {
            FanOut.Plan plan = send("alice", times(1_601, "x"), media("image/gif", 10));
            assertThat(failureOf(plan, "MB4").getCode()).isEqualTo(FanOut.OUTBOUND_BODY_TOO_LONG);
        }

        @Test
        void aDeliverableFileGoesEvenWhenTheBodyIsOver1600Characters() {
            FanOut.Plan plan = send("alice", times(5_000, "x"), media("image/png", 10));
            assertThat(onlyTo(plan, "MB4").getChannel()).isEqualTo(Channel.mms);
            assertThat(plan.failures().stream().filter(f -> f.getParticipantSid().equals("MB4"))).isEmpty();
        }

        @ParameterizedTest(name = "{0} {1}: {2}")
        @CsvSource(nullValues = "null", value = {
                "image/jpeg, null, true", "image/jpg, null, true", "image/png, null, true", "audio/mpeg, null, true",
                "audio/mp3, null, true", "audio/amr, null, true", "video/mp4, null, true", "audio/mp4, null, true",
                "application/pdf, null, true", "IMAGE/PNG, null, true", "'image/jpeg; name=a.jpg', null, true",
                "application/octet-stream, scan.PDF, true", "application/octet-stream, clip.mp4, true",
                "application/octet-stream, notes.txt, false", "application/octet-stream, null, false",
                "image/gif, a.png, false", "text/plain, null, false", "video/quicktime, null, false"})
        void deliversJpgPngMp3AmrMp4AndPdfOnly(String contentType, String filename, boolean deliverable) {
            assertThat(FanOut.deliverableType(media(contentType, 1, filename))).isEqualTo(deliverable);
        }
    }

    @Nested
    class Whatsapp {

        @Test
        void withoutMediaGetsTheBodyUpTo1600Characters() {
            Delivery wa = onlyTo(send("alice", times(1_600, "w")), "MB5");
            assertThat(wa.getChannel()).isEqualTo(Channel.whatsapp);
            assertThat(wa.getTo()).isEqualTo("whatsapp:+15550005");
            assertThat(wa.getFrom()).isEqualTo("whatsapp:+15559001");
            DeliveryReceipt failed = failureOf(send("alice", times(1_601, "w")), "MB5");
            assertThat(failed.getCode()).isEqualTo(FanOut.OUTBOUND_BODY_TOO_LONG);
            assertThat(failed.getChannel()).isEqualTo(Channel.whatsapp);
            assertThat(failed.getReason()).contains("1601 characters", "whatsapp carries at most 1600");
        }

        @Test
        void getsOneFileUpTo16MbAndNoBody() {
            Media gif = media("image/gif", 10);
            Media video = media("video/mp4", 16 * MB);
            Delivery wa = onlyTo(send("alice", "watch", gif, video), "MB5");
            assertThat(wa.getChannel()).isEqualTo(Channel.whatsapp);
            assertThat(wa.getMedia()).containsExactly(video);
            assertThat(wa.getBody()).isNull();
            assertThat(wa.getBodyDropped()).isTrue();
            assertThat(wa.getMediaDropped()).isEqualTo(1);
        }

        @Test
        void aFileOver16MbIsNotDeliverable() {
            FanOut.Plan withBody = send("alice", "too big", media("video/mp4", 16 * MB + 1));
            Delivery wa = onlyTo(withBody, "MB5");
            assertThat(wa.getBody()).isEqualTo("too big");
            assertThat(wa.getMedia()).isEmpty();
            FanOut.Plan withoutBody = send("alice", null, media("video/mp4", 16 * MB + 1));
            assertThat(failureOf(withoutBody, "MB5").getCode()).isEqualTo(FanOut.MEDIA_NOT_DELIVERABLE);
        }

        @Test
        void aWhatsappAuthorGetsNothing() {
            assertThat(to(send("whatsapp:+15550005", "hi"), "MB5")).isEmpty();
        }
    }

    @Nested
    class GroupMms {

        /** Chat alice and bob, SMS MB3 without a proxy (a group MMS member), SMS MB4 and WhatsApp MB5. */
        private final Given group = Given.conversation()
                .chat("MB1", "alice").chat("MB2", "bob")
                .sms("MB3", "+16660003", null)
                .sms("MB4", "+16660004", "+15559000")
                .whatsapp("MB5", "whatsapp:+16660005", "whatsapp:+15559001");

        private static Media[] files(int n, long size) {
            return IntStream.range(0, n).mapToObj(i -> media("image/png", size, "f" + i + ".png")).toArray(Media[]::new);
        }

        @Test
        void allNonChatRecipientsGetOneMmsWithTheBodyAndTheChatAudienceItsOwnRecord() {
            FanOut.Plan plan = send(group, "alice", "hello all", files(2, 1_000));
            List<Delivery> mms = plan.deliveries().stream().filter(d -> d.getChannel() == Channel.mms).toList();
            assertThat(mms).hasSize(1);
            Delivery d = mms.get(0);
            assertThat(d.getRecipients()).containsExactly("+16660003", "+16660004", "whatsapp:+16660005");
            assertThat(d.getBody()).isEqualTo("hello all");
            assertThat(d.getBodyDropped()).isFalse();
            assertThat(d.getMedia()).hasSize(2);
            assertThat(d.getMediaDropped()).isZero();
            assertThat(plan.deliveries()).hasSize(2);
            assertThat(plan.deliveries().get(0).getChannel()).as("bob's chat audience record").isEqualTo(Channel.chat);
            assertThat(plan.failures()).isEmpty();
        }

        @Test
        void carriesAtMost10Files() {
            Delivery d = send(group, "alice", "many", files(11, 1_000)).deliveries().stream()
                    .filter(x -> x.getChannel() == Channel.mms).findFirst().orElseThrow();
            assertThat(d.getMedia()).hasSize(10);
            assertThat(d.getMediaDropped()).isEqualTo(1);
        }

        @Test
        void carriesAtMost5MbInTotal() {
            Media[] exactly5Mb = {media("image/png", 2 * MB), media("image/png", 2 * MB), media("image/png", MB)};
            Delivery full = send(group, "alice", "5 MB", exactly5Mb).deliveries().stream()
                    .filter(x -> x.getChannel() == Channel.mms).findFirst().orElseThrow();
            assertThat(full.getMedia()).hasSize(3);

            Media[] oneByteMore = {media("image/png", 2 * MB), media("image/png", 2 * MB), media("image/png", MB + 1)};
            Delivery over = send(group, "alice", "5 MB + 1", oneByteMore).deliveries().stream()
                    .filter(x -> x.getChannel() == Channel.mms).findFirst().orElseThrow();
            assertThat(over.getMedia()).hasSize(2);
            assertThat(over.getMedia().stream().mapToLong(Media::getSize).sum()).isLessThanOrEqualTo(5 * MB);
            assertThat(over.getMediaDropped()).isEqualTo(1);
        }

        @Test
        void anSmsAuthorIsNoRecipientAndIsTheSender() {
            FanOut.Plan plan = send(group, "+16660003", "from the group");
            Delivery d = plan.deliveries().stream().filter(x -> x.getChannel() == Channel.mms).findFirst().orElseThrow();
            assertThat(d.getRecipients()).containsExactly("+16660004", "whatsapp:+16660005");
            assertThat(d.getFrom()).isEqualTo("+16660003");
            assertThat(plan.deliveries().stream().filter(x -> x.getChannel() == Channel.chat))
                    .as("alice and bob: one record").singleElement().extracting(Delivery::getParticipantSid).isNull();
        }

        @Test
        void aChatAuthorWithAProjectedAddressSendsFromIt() {
            group.projectedChat("MB6", "pat", "+16660006");
            Delivery d = send(group, "pat", "hi").deliveries().stream().filter(x -> x.getChannel() == Channel.mms)
                    .findFirst().orElseThrow();
            assertThat(d.getFrom()).isEqualTo("+16660006");
        }

        @Test
        void theOnlyNonChatParticipantAsAuthorGetsNoMms() {
            Given small = Given.conversation().chat("MB1", "alice").sms("MB2", "+16660002", null);
            FanOut.Plan plan = send(small, "+16660002", "hi");
            assertThat(plan.deliveries()).extracting(Delivery::getChannel).containsExactly(Channel.chat);
        }

        @Test
        @Disabled("bug: in a group MMS conversation FanOut.groupMms always sends the group MMS, even when the message "
                + "has no body and none of its files fits (e.g. one 6 MB file): an MMS with neither body nor media goes "
                + "to every non-chat recipient, where SPEC §6 sends no MMS without a file and reports a failed "
                + "delivery MEDIA_NOT_DELIVERABLE when there is no body either")
        void aMessageWithoutBodyWhoseFilesDoNotFitIsNotDeliverableAsAnEmptyMms() {
            FanOut.Plan plan = send(group, "alice", null, media("image/png", 6 * MB));
            assertThat(plan.deliveries().stream().filter(x -> x.getChannel() == Channel.mms)).isEmpty();
            assertThat(plan.failures()).extracting(DeliveryReceipt::getCode).isNotEmpty()
                    .containsOnly(FanOut.MEDIA_NOT_DELIVERABLE);
        }
    }
}
