package io.convo.topology;

import io.convo.model.DeadLetterHeaders;
import io.convo.model.Sha256;
import io.convo.topology.RecordFailures.Source;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Builds the dead letters of {@code commands-dlq}: the record as it was, with the reason and its origin in
 * {@code convo.dlq.*} headers, cut to fit one produce request when the whole would not (a value just under the
 * broker's limit plus the reason headers is over the producer's {@code max.request.size}, and a dead letter that
 * cannot be written stops the task that writes it). What was cut is said in {@value DeadLetterHeaders#TRUNCATED},
 * with the original size and SHA-256; the original itself stays on its topic, at the offset the headers name,
 * until retention removes it.
 */
public final class DeadLetters {

    /** A reason longer than this is cut: exception messages may quote whole schemas. */
    static final int MAX_REASON_CHARS = 2_000;
    private static final int DEFAULT_MAX_REQUEST_SIZE = 1_048_576;

    private final int maxRecordBytes;

    /** @param maxRecordBytes the largest record the task's producer sends ({@code max.request.size}) */
    DeadLetters(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The producer's {@code max.request.size} in a Streams config (with or without the {@code producer.} prefix). */
    public static int maxRecordBytes(Map<String, ?> appConfigs) {
        Object value = appConfigs.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        if (value == null) {
            value = appConfigs.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        }
        return value == null ? DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(value.toString().trim());
    }

    /**
     * The most bytes a dead letter may take under a Streams config: {@link #maxRecordBytes}, less what compressing
     * an incompressible value may add when the producer compresses (the broker checks the batch compressed against
     * its {@code message.max.bytes}, and random bytes grow under lz4 by up to a 255th and a few bytes). A letter cut to
     * this size still fits after compression; one that does not fit even so becomes a pointer.
     */
    public static int letterBytes(Map<String, ?> appConfigs) {
        int max = maxRecordBytes(appConfigs);
        Object type = appConfigs.get(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG));
        if (type == null) {
            type = appConfigs.get(ProducerConfig.COMPRESSION_TYPE_CONFIG);
        }
        boolean compressed = type != null && !type.toString().trim().equals("none");
        return compressed ? max - (max / 255 + 1_024) : max;
    }

    /**
     * The dead letter of {@code record}: its key, value and headers plus the reason, cut to fit.
     *
     * @param attempts how many times processing it failed, or 0 when it was never processed (unreadable)
     */
    Record<String, byte[]> of(Record<String, byte[]> record, Source source, String reason, Throwable failure,
                              int attempts) {
        List<Header> ours = ours(source, reason, failure, attempts);
        List<Header> theirs = Arrays.asList(record.headers().toArray());
        byte[] key = utf8(record.key());
        byte[] value = record.value();
        if (fits(key, value, theirs, ours)) {
            return letter(record, record.key(), value, theirs, ours);
        }
        // Cut in this order, least telling first: the value (a prefix stays), the original headers, the key.
        ours.addAll(original(value));
        List<String> cut = new ArrayList<>(List.of("value"));
        List<Header> kept = theirs;
        if (!fits(key, new byte[0], kept, withCut(ours, cut))) {
            kept = List.of();
            cut.add("headers");
        }
        String letterKey = record.key();
        if (!fits(key, new byte[0], kept, withCut(ours, cut))) {
            cut.add("key");
            letterKey = cutKey(record.key(), kept, withCut(ours, cut));
            key = utf8(letterKey);
        }
        byte[] prefix = value == null ? null : longestPrefixThatFits(key, value, kept, withCut(ours, cut));
        if (prefix != null && prefix.length == value.length) {
            cut.remove("value"); // dropping the headers was enough
        }
        return letter(record, letterKey, prefix, kept, withCut(ours, cut));
    }

    /**
     * A dead letter without the value and the original headers, for a record whose full dead letter could not be
     * written either: it points at the original on its topic.
     */
    Record<String, byte[]> pointer(Record<String, byte[]> record, Source source, String reason, int attempts) {
        List<Header> ours = ours(source, reason, null, attempts);
        ours.addAll(original(record.value()));
        List<String> cut = new ArrayList<>(List.of("value", "headers"));
        String letterKey = record.key();
        byte[] key = utf8(letterKey);
        if (!fits(key, null, List.of(), withCut(ours, cut))) {
            cut.add("key");
            letterKey = cutKey(record.key(), List.of(), withCut(ours, cut));
        }
        return letter(record, letterKey, null, List.of(), withCut(ours, cut));
    }

    private List<Header> ours(Source source, String reason, Throwable failure, int attempts) {
        List<Header> headers = new ArrayList<>();
        String text = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) + "…" : reason;
        headers.add(header(DeadLetterHeaders.REASON, text));
        if (failure != null) {
            headers.add(header(DeadLetterHeaders.EXCEPTION, failure.getClass().getName()));
        }
        if (attempts > 0) {
            headers.add(header(DeadLetterHeaders.ATTEMPTS, String.valueOf(attempts)));
        }
        if (source != null) {
            headers.add(header(DeadLetterHeaders.TOPIC, source.topic()));
            headers.add(header(DeadLetterHeaders.PARTITION, String.valueOf(source.partition())));
            headers.add(header(DeadLetterHeaders.OFFSET, String.valueOf(source.offset())));
        }
        return headers;
    }

    private static List<Header> original(byte[] value) {
        int size = value == null ? 0 : value.length;
        return List.of(header(DeadLetterHeaders.ORIGINAL_SIZE, String.valueOf(size)),
                header(DeadLetterHeaders.ORIGINAL_SHA256, value == null ? "" : Sha256.hex(value)));
    }

    private static List<Header> withCut(List<Header> ours, List<String> cut) {
        List<Header> headers = new ArrayList<>(ours);
        headers.add(header(DeadLetterHeaders.TRUNCATED, String.join(",", cut)));
        return headers;
    }

    /**
     * The largest prefix of {@code value} with which the record fits. The size grows by at least one byte per value
     * byte, so taking the overflow off the length fits at once; the loop is a guard.
     */
    private byte[] longestPrefixThatFits(byte[] key, byte[] value, List<Header> theirs, List<Header> ours) {
        int length = value.length;
        int over = size(key, value, theirs, ours) - maxRecordBytes;
        while (over > 0 && length > 0) {
            length = Math.max(0, length - over);
            over = size(key, Arrays.copyOf(value, length), theirs, ours) - maxRecordBytes;
        }
        return length == value.length ? value : Arrays.copyOf(value, length);
    }

    private String cutKey(String key, List<Header> theirs, List<Header> ours) {
        int budget = maxRecordBytes - size(new byte[0], new byte[0], theirs, ours) - 8; // 8: the key length's varint
        StringBuilder kept = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < key.length(); ) {
            int cp = key.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > budget) {
                break;
            }
            kept.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return kept.toString();
    }

    private boolean fits(byte[] key, byte[] value, List<Header> theirs, List<Header> ours) {
        return size(key, value, theirs, ours) <= maxRecordBytes;
    }

    /** The size the producer checks against {@code max.request.size}: its own upper bound for one record's batch. */
    static int size(byte[] key, byte[] value, List<Header> theirs, List<Header> ours) {
        List<Header> all = new ArrayList<>(theirs);
        all.addAll(ours);
        return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE,
                key, value, all.toArray(new Header[0]));
    }

    private static Record<String, byte[]> letter(Record<String, byte[]> record, String key, byte[] value,
                                                 List<Header> theirs, List<Header> ours) {
        Headers headers = new RecordHeaders();
        theirs.forEach(headers::add);
        ours.forEach(headers::add);
        return new Record<>(key, value, record.timestamp(), headers);
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

}
