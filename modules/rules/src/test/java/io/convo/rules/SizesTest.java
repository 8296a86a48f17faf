package io.convo.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "é", "日本語", "\uD83D\uDE00 emoji", "mixed é 日 \uD83D\uDE00 a"})
    void countsUtf8BytesAsTheEncoderDoes(String s) {
        assertThat(Sizes.utf8Bytes(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void countsCharactersAsCodePoints() {
        assertThat(Sizes.chars("\uD83D\uDE00\uD83D\uDE00")).isEqualTo(2);
    }

    @Test
    void acceptsOnlyOneWholeJsonValueAsAttributes() {
        assertThat(CommandValidator.isJson("{\"a\":[1,2,{\"b\":null}]}")).isTrue();
        assertThat(CommandValidator.isJson("\"text\"")).isTrue();
        assertThat(CommandValidator.isJson("{\"a\":1} {\"b\":2}")).isFalse();
        assertThat(CommandValidator.isJson("{\"a\":")).isFalse();
        assertThat(CommandValidator.isJson("")).isFalse();
    }
}
