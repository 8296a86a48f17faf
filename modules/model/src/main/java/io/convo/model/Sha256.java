package io.convo.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 in hex, for the names convo derives from other names (a default role's sid, a dead letter's checksum, an
 * instance id, the REST front's sids): every instance, {@code simulate} and a backend compute the same.
 */
public final class Sha256 {

    private Sha256() {
    }

    /** The digest of {@code bytes}, all 64 hex digits. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(digest(bytes));
    }

    /** The first {@code digits} hex digits (even, at most 64) of the digest of {@code text} in UTF-8. */
    public static String hex(String text, int digits) {
        if (digits % 2 != 0 || digits < 0 || digits > 64) {
            throw new IllegalArgumentException("an even number of hex digits up to 64: " + digits);
        }
        return HexFormat.of().formatHex(digest(text.getBytes(StandardCharsets.UTF_8)), 0, digits / 2);
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
