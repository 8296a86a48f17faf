package io.convo.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.DeadLetterHeaders;
import io.convo.model.Sha256;
import io.convo.topology.RecordFailures.Source;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** Dead letters fit in one produce request whatever the record's size, and say what was cut. */
class DeadLettersTest {

    private static final int MAX_REQUEST_SIZE = 1_048_576;
    private static final Source SOURCE = new Source("conversation-commands", 1, 42);
    private final DeadLetters letters = new DeadLetters(MAX_REQUEST_SIZE);

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static String header(Record<String, byte[]> letter, String name) {
        Header h = letter.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static int size(Record<String, byte[]> letter) {
        return DeadLetters.size(letter.key() == null ? null : letter.key().getBytes(StandardCharsets.UTF_8),
                letter.value(), Arrays.asList(letter.headers().toArray()), List.of());
    }

    @Test
    void keepsARecordThatFitsWholeWithItsReasonAndOrigin() {
        Record<String, byte[]> record = new Record<>("CH1", new byte[] {1, 2, 3}, 7L,
                new RecordHeaders().add("trace", "t1".getBytes(StandardCharsets.UTF_8)));

        Record<String, byte[]> letter = letters.of(record, SOURCE, "wrong magic", new IllegalStateException(), 0);

        assertThat(letter.key()).isEqualTo("CH1");
        assertThat(letter.value()).containsExactly(1, 2, 3);
        assertThat(letter.timestamp()).isEqualTo(7L);
        assertThat(header(letter, "trace")).isEqualTo("t1");
        assertThat(header(letter, DeadLetterHeaders.REASON)).isEqualTo("wrong magic");
        assertThat(header(letter, DeadLetterHeaders.EXCEPTION)).isEqualTo(IllegalStateException.class.getName());
        assertThat(header(letter, DeadLetterHeaders.TOPIC)).isEqualTo("conversation-commands");
        assertThat(header(letter, DeadLetterHeaders.PARTITION)).isEqualTo("1");
        assertThat(header(letter, DeadLetterHeaders.OFFSET)).isEqualTo("42");
        assertThat(header(letter, DeadLetterHeaders.TRUNCATED)).isNull();
        assertThat(header(letter, DeadLetterHeaders.ATTEMPTS)).isNull();
    }

    @Test
    void cutsAValueJustUnderTheBrokersLimitToFitTheProducersAndKeepsItsSizeAndDigest() {
        byte[] value = random(1_048_400); // accepted by the broker (1,048,588), over the producer's limit with headers
        Record<String, byte[]> record = new Record<>("CHX1", value, 1L);
        assertThat(DeadLetters.size("CHX1".getBytes(StandardCharsets.UTF_8), value, List.of(), List.of()))
                .isLessThanOrEqualTo(MAX_REQUEST_SIZE);

        Record<String, byte[]> letter = letters.of(record, SOURCE, "wrong magic byte 0x3A", null, 0);

        assertThat(size(letter)).isLessThanOrEqualTo(MAX_REQUEST_SIZE).isGreaterThan(MAX_REQUEST_SIZE - 100);
        assertThat(header(letter, DeadLetterHeaders.TRUNCATED)).isEqualTo("value");
        assertThat(header(letter, DeadLetterHeaders.ORIGINAL_SIZE)).isEqualTo("1048400");
        assertThat(header(letter, DeadLetterHeaders.ORIGINAL_SHA256)).isEqualTo(Sha256.hex(value)).hasSize(64);
        assertThat(letter.value()).isEqualTo(Arrays.copyOf(value, letter.value().length));
        assertThat(letter.key()).isEqualTo("CHX1");
    }

    @Test
    void dropsOriginalHeadersThatLeaveNoRoomAndSaysSo() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("big", random(MAX_REQUEST_SIZE));
        Record<String, byte[]> record = new Record<>("CH1", new byte[] {9}, 1L, headers);

        Record<String, byte[]> letter = letters.of(record, SOURCE, "null key", null, 0);

        assertThat(size(letter)).isLessThanOrEqualTo(MAX_REQUEST_SIZE);
        assertThat(letter.headers().lastHeader("big")).isNull();
        assertThat(letter.value()).containsExactly(9); // the value was small: only the headers went
        assertThat(header(letter, DeadLetterHeaders.TRUNCATED)).isEqualTo("headers");
    }

    @Test
    void cutsAKeyThatAloneIsOverTheLimit() {
        String key = "ü".repeat(MAX_REQUEST_SIZE / 2 + 10); // two bytes each in UTF-8
        Record<String, byte[]> record = new Record<>(key, random(1000), 1L);

        Record<String, byte[]> letter = letters.of(record, SOURCE, "unreadable", null, 0);

        assertThat(size(letter)).isLessThanOrEqualTo(MAX_REQUEST_SIZE);
        assertThat(key).startsWith(letter.key());
        assertThat(letter.key()).isNotEmpty();
        assertThat(header(letter, DeadLetterHeaders.TRUNCATED)).isEqualTo("value,headers,key");
    }

    @Test
    void aPointerCarriesNoValueButSaysWhereTheOriginalIs() {
        byte[] value = random(5000);
        Record<String, byte[]> record = new Record<>("CH1", value, 1L,
                new RecordHeaders().add("trace", "t1".getBytes(StandardCharsets.UTF_8)));

        Record<String, byte[]> letter = letters.pointer(record, SOURCE, "processing failed 3 times", 3);

        assertThat(letter.value()).isNull();
        assertThat(letter.headers().lastHeader("trace")).isNull();
        assertThat(header(letter, DeadLetterHeaders.TRUNCATED)).isEqualTo("value,headers");
        assertThat(header(letter, DeadLetterHeaders.ORIGINAL_SIZE)).isEqualTo("5000");
        assertThat(header(letter, DeadLetterHeaders.ORIGINAL_SHA256)).isEqualTo(Sha256.hex(value));
        assertThat(header(letter, DeadLetterHeaders.OFFSET)).isEqualTo("42");
        assertThat(header(letter, DeadLetterHeaders.ATTEMPTS)).isEqualTo("3");
    }

    @Test
    void cutsAnOverlongReason() {
        Record<String, byte[]> letter = letters.of(new Record<>("CH1", new byte[1], 1L), SOURCE, "x".repeat(10_000),
                null, 0);

        assertThat(header(letter, DeadLetterHeaders.REASON)).hasSize(DeadLetters.MAX_REASON_CHARS + 1);
    }

    @Test
    void readsTheProducersLimitFromTheStreamsConfig() {
        assertThat(DeadLetters.maxRecordBytes(java.util.Map.of())).isEqualTo(MAX_REQUEST_SIZE);
        assertThat(DeadLetters.maxRecordBytes(java.util.Map.of("max.request.size", "2000"))).isEqualTo(2000);
        assertThat(DeadLetters.maxRecordBytes(java.util.Map.of("max.request.size", "2000",
                "producer.max.request.size", "3000"))).isEqualTo(3000);
    }

    @Test
    void aCompressingProducerLeavesRoomForWhatCompressionAddsToIncompressibleBytes() {
        assertThat(DeadLetters.letterBytes(java.util.Map.of())).isEqualTo(MAX_REQUEST_SIZE);
        assertThat(DeadLetters.letterBytes(java.util.Map.of("producer.compression.type", "none")))
                .isEqualTo(MAX_REQUEST_SIZE);
        int lz4 = DeadLetters.letterBytes(java.util.Map.of("producer.compression.type", "lz4"));
        // lz4's worst case for n bytes is n + n/255 + 16: a letter of this size still fits the request after it.
        assertThat(lz4 + lz4 / 255 + 16).isLessThan(MAX_REQUEST_SIZE);
        assertThat(lz4).isGreaterThan(MAX_REQUEST_SIZE - 8 * 1024);
    }
}
