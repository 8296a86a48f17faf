package io.convo.model;

/** The rejection codes of SPEC §2 with Twilio's numeric code where the SPEC gives one. */
public enum RejectionCode {
    FRIENDLY_NAME_TOO_LONG(50003),
    BODY_TOO_LONG(50504),
    IDENTITY_TOO_LONG(50207),
    ADDRESS_TOO_LONG(null),
    PROXY_ADDRESS_TOO_LONG(null),
    ATTRIBUTES_TOO_LONG(50303),
    PARTICIPANT_LIMIT(50417),
    NON_CHAT_PARTICIPANT_LIMIT(50418),
    GROUP_MMS_PARTICIPANT_LIMIT(50436),
    IDENTITY_CONVERSATION_LIMIT(50214),
    RATE_LIMITED(50063),
    MEDIA_TOO_LARGE(50512),
    MMS_MEDIA_LIMIT(null),
    WHATSAPP_MEDIA_LIMIT(null),
    INVALID_COMMAND(null),
    CONVERSATION_NOT_FOUND(null),
    CONVERSATION_EXISTS(null),
    CONVERSATION_CLOSED(50377),
    PARTICIPANT_NOT_FOUND(null),
    PARTICIPANT_EXISTS(null),
    USER_EXISTS(null),
    USER_NOT_FOUND(null),
    ROLE_EXISTS(null),
    ROLE_NOT_FOUND(null),
    MESSAGE_NOT_FOUND(null),
    /** The acting identity's role lacks the command's permission, or the identity is not a participant (SPEC §9). */
    NOT_AUTHORIZED(50107),
    /** A command above convo.limits.command-bytes: its outcome records could outgrow what Kafka accepts. */
    COMMAND_TOO_LARGE(null),
    DUPLICATE_COMMAND(null);

    /** Twilio's code for more than ten MMS files; other MMS violations have none (SPEC §2, L12). */
    public static final int MMS_TOO_MANY_FILES_TWILIO_CODE = 21623;
    /** Twilio's code for a binding already in the conversation (SPEC §2). */
    public static final int DUPLICATE_BINDING_TWILIO_CODE = 50416;

    private final Integer twilioCode;

    RejectionCode(Integer twilioCode) {
        this.twilioCode = twilioCode;
    }

    /** Twilio's code, or null where the SPEC gives none. */
    public Integer twilioCode() {
        return twilioCode;
    }
}
