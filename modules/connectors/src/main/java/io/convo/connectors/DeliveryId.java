package io.convo.connectors;

import io.convo.model.Channel;
import io.convo.model.Delivery;
import java.util.Objects;

/**
 * A delivery's identity: one message to one recipient on one channel. Its {@link #key()} is the key of the
 * processed-delivery log and the webhook's {@code Idempotency-Key}, so every attempt and every redelivery of a
 * delivery carries the same key and a provider can recognise a repeat.
 */
public record DeliveryId(String messageSid, String participantSid, Channel channel) {

    /**
     * The participantSid part of a {@code delivery-chat} record's id: one record per message goes to the whole chat
     * audience and names no participant (SPEC §6).
     */
    public static final String AUDIENCE = "*";

    public DeliveryId {
        Objects.requireNonNull(messageSid, "messageSid");
        Objects.requireNonNull(participantSid, "participantSid");
        Objects.requireNonNull(channel, "channel");
    }

    public static DeliveryId of(Delivery delivery) {
        String participantSid = delivery.getParticipantSid();
        return new DeliveryId(delivery.getMessageSid(), participantSid == null ? AUDIENCE : participantSid,
                delivery.getChannel());
    }

    /**
     * {@code messageSid/participantSid/channel}, e.g. {@code IM00…/MB00…/sms} or <code>IM00…/&#42;/chat</code> (a
     * chat audience): readable, and ASCII for a header.
     */
    public String key() {
        return messageSid + "/" + participantSid + "/" + channel.name();
    }

    /** Whether a log key belongs to {@code channel}: several channels share the processed-delivery log. */
    static boolean keyOf(String key, Channel channel) {
        return key != null && key.endsWith("/" + channel.name());
    }

    /** Whether this delivery goes to a whole chat audience rather than to one participant. */
    public boolean toAudience() {
        return AUDIENCE.equals(participantSid);
    }

    @Override
    public String toString() {
        return key();
    }
}
