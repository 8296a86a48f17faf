package io.convo.rules;

/** How the SPEC measures text: characters are Unicode code points, sizes are UTF-8 bytes. */
final class Sizes {

    private Sizes() {
    }

    static int chars(String s) {
        return s.codePointCount(0, s.length());
    }

    /** UTF-8 length without allocating the encoded bytes. */
    static long utf8Bytes(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
