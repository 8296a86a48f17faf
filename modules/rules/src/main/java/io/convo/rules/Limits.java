package io.convo.rules;

import java.util.Map;
import java.util.function.Function;

/**
 * Every limit of SPEC §2 and the outbound channel limits of SPEC §6 as data, with the SPEC's defaults. Sizes are
 * bytes (KB = 1,024, MB = 1,048,576); lengths are Unicode code points. An outbound MMS file must be smaller than
 * {@code outboundMmsFileBytes}; a WhatsApp file may be as large as {@code outboundWhatsappFileBytes}.
 */
public record Limits(
        int friendlyNameChars,
        int bodyBytes,
        int identityChars,
        int addressChars,
        int proxyAddressChars,
        int conversationAttributesBytes,
        int participantAttributesBytes,
        int messageAttributesBytes,
        int userAttributesBytes,
        int participantsPerConversation,
        int nonChatParticipantsPerConversation,
        int groupMmsParticipants,
        int conversationsPerIdentity,
        int actionsPerSecond,
        long chatMediaFileBytes,
        int mmsFiles,
        long mmsTotalBytes,
        long mmsFileBytes,
        int whatsappFiles,
        long whatsappFileBytes,
        int outboundTextChars,
        long outboundMmsFileBytes,
        long outboundWhatsappFileBytes) {

    public static final long KB = 1_024;
    public static final long MB = 1_048_576;

    /** Prefix of the configuration keys that override a default, e.g. {@code convo.limits.participants-per-conversation=1000}. */
    public static final String CONFIG_PREFIX = "convo.limits.";

    public static Limits defaults() {
        return new Limits(256, (int) (32 * KB), 256, 256, 256,
                (int) (16 * KB), (int) (4 * KB), (int) (4 * KB), (int) (16 * KB),
                1000, 50, 10, 1000, 30,
                150 * MB, 10, 5 * MB, 2 * MB, 1, 16 * MB,
                1600, 5 * MB, 16 * MB);
    }

    /**
     * The defaults overridden by any {@code convo.limits.<name>} key of {@code config}; names are the record's
     * components in kebab case ({@code convo.limits.actions-per-second}). An unknown {@code convo.limits.} key is an error,
     * so a typo never silently leaves a default in force.
     */
    public static Limits from(Map<String, String> config) {
        Limits d = defaults();
        Function<String, Long> get = name -> {
            String v = config.get(CONFIG_PREFIX + name);
            return v == null ? null : Long.parseLong(v.trim());
        };
        for (String key : config.keySet()) {
            if (key.startsWith(CONFIG_PREFIX) && !KEYS.contains(key.substring(CONFIG_PREFIX.length()))) {
                throw new IllegalArgumentException("unknown limit '" + key + "'; known: " + KEYS);
            }
        }
        return new Limits(
                intOr(get.apply("friendly-name-chars"), d.friendlyNameChars),
                intOr(get.apply("body-bytes"), d.bodyBytes),
                intOr(get.apply("identity-chars"), d.identityChars),
                intOr(get.apply("address-chars"), d.addressChars),
                intOr(get.apply("proxy-address-chars"), d.proxyAddressChars),
                intOr(get.apply("conversation-attributes-bytes"), d.conversationAttributesBytes),
                intOr(get.apply("participant-attributes-bytes"), d.participantAttributesBytes),
                intOr(get.apply("message-attributes-bytes"), d.messageAttributesBytes),
                intOr(get.apply("user-attributes-bytes"), d.userAttributesBytes),
                intOr(get.apply("participants-per-conversation"), d.participantsPerConversation),
                intOr(get.apply("non-chat-participants-per-conversation"), d.nonChatParticipantsPerConversation),
                intOr(get.apply("group-mms-participants"), d.groupMmsParticipants),
                intOr(get.apply("conversations-per-identity"), d.conversationsPerIdentity),
                intOr(get.apply("actions-per-second"), d.actionsPerSecond),
                longOr(get.apply("chat-media-file-bytes"), d.chatMediaFileBytes),
                intOr(get.apply("mms-files"), d.mmsFiles),
                longOr(get.apply("mms-total-bytes"), d.mmsTotalBytes),
                longOr(get.apply("mms-file-bytes"), d.mmsFileBytes),
                intOr(get.apply("whatsapp-files"), d.whatsappFiles),
                longOr(get.apply("whatsapp-file-bytes"), d.whatsappFileBytes),
                intOr(get.apply("outbound-text-chars"), d.outboundTextChars),
                longOr(get.apply("outbound-mms-file-bytes"), d.outboundMmsFileBytes),
                longOr(get.apply("outbound-whatsapp-file-bytes"), d.outboundWhatsappFileBytes));
    }

    /** The configuration key names, in the order of the record's components. */
    public static final java.util.List<String> KEYS = java.util.List.of(
            "friendly-name-chars", "body-bytes", "identity-chars", "address-chars", "proxy-address-chars",
            "conversation-attributes-bytes", "participant-attributes-bytes", "message-attributes-bytes",
            "user-attributes-bytes", "participants-per-conversation", "non-chat-participants-per-conversation",
            "group-mms-participants", "conversations-per-identity", "actions-per-second", "chat-media-file-bytes",
            "mms-files", "mms-total-bytes", "mms-file-bytes", "whatsapp-files", "whatsapp-file-bytes",
            "outbound-text-chars", "outbound-mms-file-bytes", "outbound-whatsapp-file-bytes");

    private static int intOr(Long v, int d) {
        return v == null ? d : Math.toIntExact(v);
    }

    private static long longOr(Long v, long d) {
        return v == null ? d : v;
    }
}
