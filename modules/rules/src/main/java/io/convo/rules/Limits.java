package io.convo.rules;

import io.convo.model.config.RecordConfig;
import java.util.List;
import java.util.Map;

/**
 * Every limit of SPEC §2 and the outbound channel limits of SPEC §6 as data, with the SPEC's defaults. Sizes are
 * bytes (KB = 1,024, MB = 1,048,576); lengths are Unicode code points. An outbound MMS file must be smaller than
 * {@code outboundMmsFileBytes}; a WhatsApp file may be as large as {@code outboundWhatsappFileBytes}.
 *
 * <p>Two limits are not the seed's: {@code idChars} bounds every id (conversation, participant, message, service,
 * role and command ids; Twilio's sids are 34 characters), which keys and an identity's memberships carry, and
 * {@code commandBytes} bounds a whole command (its Avro binary encoding), which bounds what the limits leave open, such
 * as how many media files a chat message lists. Together with the field limits they bound every record convo writes
 * ({@link RecordBounds}).
 *
 * <p>The record's components are the limits' only list: each one's configuration key is its name in kebab case
 * under {@value #CONFIG_PREFIX} ({@code participantsPerConversation} ← {@code convo.limits.participants-per-conversation}).
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
        long outboundWhatsappFileBytes,
        int idChars,
        int commandBytes) {

    public static final long KB = 1_024;
    public static final long MB = 1_048_576;

    /** Prefix of the configuration keys that override a default, e.g. {@code convo.limits.participants-per-conversation=1000}. */
    public static final String CONFIG_PREFIX = "convo.limits.";

    private static final RecordConfig<Limits> CONFIG = new RecordConfig<>(Limits.class, CONFIG_PREFIX);

    /** The configuration key names (without the prefix), in the order of the record's components. */
    public static final List<String> KEYS = CONFIG.names();

    public static Limits defaults() {
        return new Limits(256, (int) (32 * KB), 256, 256, 256,
                (int) (16 * KB), (int) (4 * KB), (int) (4 * KB), (int) (16 * KB),
                1000, 50, 10, 1000, 30,
                150 * MB, 10, 5 * MB, 2 * MB, 1, 16 * MB,
                1600, 5 * MB, 16 * MB,
                256, (int) (256 * KB));
    }

    /**
     * The defaults overridden by any {@code convo.limits.<name>} key of {@code config}. An unknown
     * {@code convo.limits.} key is an error, so a typo never silently leaves a default in force.
     *
     * @throws IllegalArgumentException for an unknown key or a value that is not a whole number of the limit's range
     */
    public static Limits from(Map<String, String> config) {
        return CONFIG.from(config, defaults());
    }
}
