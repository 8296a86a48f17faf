package io.convo.rest;

import io.convo.model.Sha256;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Sids of Twilio's shape: two letters and 32 hex digits. Those of a resource a command creates are derived from the
 * command's id, so that a retried POST (same {@code Idempotency-Key}, hence same command) names the same resource;
 * those of resources convo keys by name (a user by identity, a receipt by message and recipient) are derived from the
 * name, so that every instance computes the same.
 */
final class TwilioSids {

    static final String CONVERSATION = "CH";
    static final String PARTICIPANT = "MB";
    static final String MESSAGE = "IM";
    static final String USER = "US";
    static final String ROLE = "RL";
    static final String SERVICE = "IS";
    static final String RECEIPT = "DY";

    private static final SecureRandom RANDOM = new SecureRandom();

    private TwilioSids() {
    }

    /** {@code prefix} and 32 hex digits of the SHA-256 of {@code name}. */
    static String derived(String prefix, String name) {
        return prefix + Sha256.hex(name, 32);
    }

    static String random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The default conversation service of an account: where {@code /v1/Conversations} (without a service) lives. */
    static String defaultService(String accountSid) {
        return derived(SERVICE, "default service\n" + accountSid);
    }

    static String user(String serviceSid, String identity) {
        return derived(USER, serviceSid + "\n" + identity);
    }

    static String receipt(String messageSid, String participantSid) {
        return derived(RECEIPT, messageSid + "\n" + participantSid);
    }

    /** Whether {@code text} is a sid with {@code prefix}. */
    static boolean is(String prefix, String text) {
        return text != null && text.length() == 34 && text.startsWith(prefix)
                && text.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }
}
