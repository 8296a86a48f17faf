package io.convo.rules;

/**
 * The largest record convo can write under a set of limits, so that {@code convo run} can refuse limits that would
 * let a legal command produce a record Kafka refuses (issue 12: a record over the producer's {@code
 * max.request.size} fails its transaction again on every retry, and stops the whole stream thread).
 *
 * <p>Why this bound holds: no value grows with a count (participants, messages, memberships are entries of their
 * own), so each record holds the fields of at most a few commands. An event, a delivery, a check, a rejection, the
 * waiting copy of a command carry one command ({@code commandBytes}) and bounded extras (an index, counts, a reason
 * naming ids). A state value merges fields of several commands, but replaces rather than appends, so it holds one
 * command's fields plus, at most, the fields another command may replace: a message's body and attributes, a
 * conversation's friendly name and attributes, a user's attributes, a participant's identity, addresses and
 * attributes. (A role's permissions, once bounded only by the command, now name each permission at most once; the
 * bound keeps a command's worth of room for them, as it is deliberately loose.) {@link #ENVELOPE} covers envelopes, keys, counters and
 * reasons with room to spare; {@code RecordBoundsTest} builds the worst case of every record type through the
 * topology and checks each against {@link #largestRecord}.
 */
public final class RecordBounds {

    /** Bytes for what a record adds to the fields it copies: envelopes, ids in keys, counters, reasons. */
    public static final long ENVELOPE = 64 * Limits.KB;

    /** What a Kafka record adds to its key and value in a batch (headers, lengths, batch header), generously. */
    public static final long RECORD_OVERHEAD = 8 * Limits.KB;

    private RecordBounds() {
    }

    /** The most bytes any key plus value convo writes can take under {@code limits}. */
    public static long largestRecord(Limits limits) {
        long c = limits.commandBytes();
        long utf8 = 4; // bytes of the widest code point: limits in characters may be all 4-byte characters
        long replaceable = Math.max(Math.max(c, limits.bodyBytes() + (long) limits.messageAttributesBytes()),
                Math.max(limits.conversationAttributesBytes() + utf8 * limits.friendlyNameChars(),
                        Math.max(limits.userAttributesBytes(), limits.participantAttributesBytes()
                                + utf8 * (limits.identityChars() + limits.addressChars() + limits.proxyAddressChars()))));
        return c + replaceable + ENVELOPE;
    }

    /**
     * Why {@code limits} cannot run against a producer of {@code maxRequestSize} and topics of {@code
     * maxMessageBytes}, or null when they can.
     */
    public static String refusal(Limits limits, long maxRequestSize, long maxMessageBytes) {
        long needed = largestRecord(limits) + RECORD_OVERHEAD;
        long allowed = Math.min(maxRequestSize, maxMessageBytes);
        if (needed <= allowed) {
            return null;
        }
        return "convo.limits.command-bytes=" + limits.commandBytes() + " (with the field limits) lets a command produce"
                + " records of up to " + needed + " bytes, above what Kafka accepts here (producer max.request.size="
                + maxRequestSize + ", topic max.message.bytes=" + maxMessageBytes + "); lower convo.limits.command-bytes"
                + " (the default " + Limits.defaults().commandBytes() + " fits the broker default of 1048588) or raise both"
                + " Kafka limits";
    }
}
