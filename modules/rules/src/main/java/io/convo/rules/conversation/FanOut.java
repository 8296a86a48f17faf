package io.convo.rules.conversation;

import io.convo.internal.Conversation;
import io.convo.internal.ParticipantState;
import io.convo.model.Channel;
import io.convo.model.Delivery;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import io.convo.model.Media;
import io.convo.model.MessageAdded;
import io.convo.rules.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * SPEC §6: what each recipient of an accepted message gets, and a failed receipt where a channel cannot carry the
 * message. Non-chat recipients get one delivery record each (one group MMS for all non-chat recipients of a group
 * MMS conversation, so at most L7 records); the chat audience gets one record for the whole message, whatever its
 * size (fan-out on read: a chat consumer resolves who was there from the log, see {@link #chatAudience}). The author
 * gets nothing; participants are those of the moment the message was accepted.
 */
public final class FanOut {

    /** Delivery failure codes (receipts, not command rejections). */
    public static final String OUTBOUND_BODY_TOO_LONG = "OUTBOUND_BODY_TOO_LONG";
    public static final String MEDIA_NOT_DELIVERABLE = "MEDIA_NOT_DELIVERABLE";

    /** The media an SMS (as MMS) or WhatsApp recipient can receive, by MIME type, and by file extension. */
    private static final Set<String> DELIVERABLE_TYPES = Set.of("image/jpeg", "image/jpg", "image/png", "audio/mpeg",
            "audio/mp3", "audio/amr", "video/mp4", "audio/mp4", "application/pdf");
    private static final Set<String> DELIVERABLE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "mp3", "amr", "mp4", "pdf");

    /** The records one message fans out to. */
    public record Plan(List<Delivery> deliveries, List<DeliveryReceipt> failures) {
    }

    private final Limits limits;

    public FanOut(Limits limits) {
        this.limits = limits;
    }

    /** @param conversation the conversation with the message accepted */
    public Plan plan(MessageAdded message, ConversationAggregate conversation) {
        List<Delivery> deliveries = new ArrayList<>();
        List<DeliveryReceipt> failures = new ArrayList<>();
        ParticipantState author = conversation.author(message.getAuthor());
        Conversation counts = conversation.conversation();
        if (counts.getNonChatParticipants() == 0) {
            // Chat only: the counts say whether anyone but the author is there, without reading every participant
            // (a 1000-member chat would decode them all for each message).
            boolean authorInChat = author != null && author.getChannel() == Channel.chat;
            if (counts.getParticipants() - (authorInChat ? 1 : 0) > 0) {
                deliveries.add(chatAudience(message));
            }
            return new Plan(deliveries, failures);
        }
        boolean groupMms = counts.getGroupMmsMembers() > 0;
        List<ParticipantState> groupRecipients = new ArrayList<>();
        boolean chatAudience = false;
        for (ParticipantState p : conversation.participants()) {
            if (author != null && p.getParticipantSid().equals(author.getParticipantSid())) {
                continue;
            }
            if (p.getChannel() == Channel.chat) {
                chatAudience = true;
            } else if (groupMms) {
                groupRecipients.add(p);
            } else {
                single(message, p, deliveries, failures);
            }
        }
        if (chatAudience) {
            deliveries.add(0, chatAudience(message));
        }
        if (!groupRecipients.isEmpty()) {
            deliveries.add(groupMms(message, author, groupRecipients));
        }
        return new Plan(deliveries, failures);
    }

    /**
     * The one {@code delivery-chat} record of {@code message}, written when at least one chat participant other than
     * the author is there: the body and every file, no recipient named. Its recipients are the conversation's chat
     * participants at the message's place in {@code conversation-events} (after every participant change before its
     * {@code MessageAdded}, before every one after it), minus the author: what a consumer of that log resolves.
     */
    public static Delivery chatAudience(MessageAdded m) {
        return delivery(m, null, Channel.chat, null, m.getAuthor(), m.getBody(), media(m), false);
    }

    /** An SMS or WhatsApp recipient outside a group MMS: one file without the body, else the body as text. */
    private void single(MessageAdded m, ParticipantState p, List<Delivery> deliveries, List<DeliveryReceipt> failures) {
        boolean whatsapp = p.getChannel() == Channel.whatsapp;
        List<Media> media = media(m);
        if (!media.isEmpty()) {
            Media file = firstDeliverable(media, whatsapp);
            if (file != null) {
                Channel channel = whatsapp ? Channel.whatsapp : Channel.mms;
                Delivery d = delivery(m, p.getParticipantSid(), channel, p.getAddress(), p.getProxyAddress(), null, List.of(file),
                        hasBody(m));
                d.setMediaDropped(media.size() - 1);
                deliveries.add(d);
                return;
            }
        }
        if (!hasBody(m)) {
            failures.add(failure(m, p, MEDIA_NOT_DELIVERABLE, "none of the message's " + media.size()
                    + " media files can go to " + p.getChannel() + " and the message has no body"));
            return;
        }
        int chars = m.getBody().codePointCount(0, m.getBody().length());
        if (chars > limits.outboundTextChars()) {
            failures.add(failure(m, p, OUTBOUND_BODY_TOO_LONG, "the body is " + chars + " characters; "
                    + p.getChannel() + " carries at most " + limits.outboundTextChars()));
            return;
        }
        Delivery d = delivery(m, p.getParticipantSid(), p.getChannel(), p.getAddress(), p.getProxyAddress(), m.getBody(), List.of(), false);
        d.setMediaDropped(media.size());
        deliveries.add(d);
    }

    /** One MMS to every non-chat recipient of a group MMS conversation: the body and as many files as fit. */
    private Delivery groupMms(MessageAdded m, ParticipantState author, List<ParticipantState> recipients) {
        List<Media> carried = new ArrayList<>();
        long total = 0;
        for (Media file : media(m)) {
            if (carried.size() < limits.mmsFiles() && total + file.getSize() <= limits.mmsTotalBytes()) {
                carried.add(file);
                total += file.getSize();
            }
        }
        String from = author == null ? null
                : author.getProjectedAddress() != null ? author.getProjectedAddress() : author.getAddress();
        ParticipantState first = recipients.get(0);
        Delivery d = delivery(m, first.getParticipantSid(), Channel.mms, first.getAddress(), from, m.getBody(), carried, false);
        d.setMediaDropped(media(m).size() - carried.size());
        d.setRecipients(recipients.stream().map(ParticipantState::getAddress).toList());
        return d;
    }

    private Media firstDeliverable(List<Media> media, boolean whatsapp) {
        for (Media file : media) {
            boolean fits = whatsapp
                    ? file.getSize() <= limits.outboundWhatsappFileBytes()
                    : file.getSize() < limits.outboundMmsFileBytes();
            if (fits && deliverableType(file)) {
                return file;
            }
        }
        return null;
    }

    static boolean deliverableType(Media file) {
        String type = file.getContentType() == null ? "" : file.getContentType().toLowerCase(Locale.ROOT).trim();
        int parameters = type.indexOf(';');
        if (DELIVERABLE_TYPES.contains(parameters < 0 ? type : type.substring(0, parameters).trim())) {
            return true;
        }
        String name = file.getFilename();
        int dot = name == null ? -1 : name.lastIndexOf('.');
        return type.equals("application/octet-stream") && dot >= 0
                && DELIVERABLE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean hasBody(MessageAdded m) {
        return m.getBody() != null && !m.getBody().isEmpty();
    }

    private static List<Media> media(MessageAdded m) {
        return m.getMedia() == null ? List.of() : m.getMedia();
    }

    /** @param participantSid the recipient, or null for the chat audience */
    private static Delivery delivery(MessageAdded m, String participantSid, Channel channel, String to, String from,
                                     String body, List<Media> media, boolean bodyDropped) {
        return Delivery.newBuilder()
                .setMessageSid(m.getMessageSid())
                .setConversationSid(m.getConversationSid())
                .setServiceSid(m.getServiceSid())
                .setIndex(m.getIndex())
                .setParticipantSid(participantSid)
                .setChannel(channel)
                .setTo(to)
                .setFrom(from)
                .setAuthor(m.getAuthor())
                .setBody(body)
                .setMedia(new ArrayList<>(media))
                .setBodyDropped(bodyDropped)
                .setMediaDropped(0)
                .setRecipients(new ArrayList<>())
                .setTimestamp(m.getTimestamp())
                .build();
    }

    private static DeliveryReceipt failure(MessageAdded m, ParticipantState recipient, String code, String reason) {
        return DeliveryReceipt.newBuilder()
                .setMessageSid(m.getMessageSid())
                .setConversationSid(m.getConversationSid())
                .setParticipantSid(recipient.getParticipantSid())
                .setStatus(DeliveryStatus.failed)
                .setChannel(recipient.getChannel())
                .setCode(code)
                .setReason(reason)
                .setTimestamp(m.getTimestamp())
                .build();
    }
}
