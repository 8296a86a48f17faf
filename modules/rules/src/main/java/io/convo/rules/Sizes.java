package io.convo.rules;

import io.convo.model.serde.AvroSize;

/** How the SPEC measures text: characters are Unicode code points, sizes are UTF-8 bytes. */
final class Sizes {

    private Sizes() {
    }

    static int chars(String s) {
        return s.codePointCount(0, s.length());
    }

    /** UTF-8 length, as the value is written (see {@link AvroSize#utf8Bytes}). */
    static long utf8Bytes(String s) {
        return AvroSize.utf8Bytes(s);
    }
}
