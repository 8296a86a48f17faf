package io.convo.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** The memory store of simulate and the topology tests answers as Kafka Streams' sorted memory store would. */
class HashKeyValueStoreTest {

    private final KeyValueStore<Bytes, byte[]> store = HashKeyValueStore.supplier("test").get();

    private static Bytes key(String k) {
        return Bytes.wrap(k.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] value(String v) {
        return v.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> keys(KeyValueIterator<Bytes, byte[]> it) {
        List<String> keys = new ArrayList<>();
        try (it) {
            it.forEachRemaining(kv -> keys.add(new String(kv.key.get(), StandardCharsets.UTF_8)));
        }
        return keys;
    }

    @Test
    void getsWhatWasPutAndForgetsWhatWasDeletedOrPutAsNull() {
        store.put(key("a"), value("1"));
        store.put(key("b"), value("2"));
        store.put(key("a"), value("3"));
        store.put(key("b"), null);

        assertThat(store.get(key("a"))).isEqualTo(value("3"));
        assertThat(store.get(key("b"))).isNull();
        assertThat(store.delete(key("a"))).isEqualTo(value("3"));
        assertThat(store.approximateNumEntries()).isZero();
        assertThat(keys(store.all())).isEmpty();
    }

    @Test
    void putIfAbsentKeepsAnExistingValue() {
        assertThat(store.putIfAbsent(key("a"), value("1"))).isNull();
        assertThat(store.putIfAbsent(key("a"), value("2"))).isEqualTo(value("1"));
        assertThat(store.get(key("a"))).isEqualTo(value("1"));
    }

    @Test
    void iteratesInRocksDbsOrderOfUnsignedBytesWithAPrefixFirst() {
        // "é" is 0xC3 0xA9 in UTF-8: after every ASCII byte, where a signed comparison would put it first.
        for (String k : List.of("b", "é", "a", "ab", "A")) {
            store.put(key(k), value(k));
        }
        assertThat(keys(store.all())).containsExactly("A", "a", "ab", "b", "é");
        assertThat(keys(store.reverseAll())).containsExactly("é", "b", "ab", "a", "A");
    }

    @Test
    void scansAPrefixAndARangeWithBothEndsIncluded() {
        putAll(List.of("CH1|MB1", "CH1|MB2", "CH10|MB1", "CH2|MB1", "CH1"));
        // '0' (0x30) sorts before '|' (0x7C): CH10's entries come between CH1 itself and CH1's entries.
        assertThat(keys(store.all())).containsExactly("CH1", "CH10|MB1", "CH1|MB1", "CH1|MB2", "CH2|MB1");

        assertThat(keys(store.prefixScan("CH1|", new StringSerializer()))).containsExactly("CH1|MB1", "CH1|MB2");
        assertThat(keys(store.range(key("CH1|MB2"), key("CH2|MB1")))).containsExactly("CH1|MB2", "CH2|MB1");
        assertThat(keys(store.reverseRange(key("CH10|MB1"), key("CH1|MB2"))))
                .containsExactly("CH1|MB2", "CH1|MB1", "CH10|MB1");
        assertThat(keys(store.range(key("CH2"), key("CH1")))).as("from past to: nothing").isEmpty();
        assertThat(keys(store.range(null, key("CH1|MB1")))).containsExactly("CH1", "CH10|MB1", "CH1|MB1");
    }

    @Test
    void anIteratorGoesOverTheKeysThereWhenItWasMadeAndSkipsTheOnesDeletedSince() {
        putAll(List.of("k1", "k2", "k3"));
        KeyValueIterator<Bytes, byte[]> it = store.all();
        store.delete(key("k2"));
        store.put(key("k3"), value("changed"));
        store.put(key("k4"), value("new"));

        List<KeyValue<Bytes, byte[]>> seen = new ArrayList<>();
        it.forEachRemaining(seen::add);

        assertThat(seen).extracting(kv -> new String(kv.key.get(), StandardCharsets.UTF_8)).containsExactly("k1", "k3");
        assertThat(seen.get(1).value).isEqualTo(value("changed"));
    }

    private void putAll(List<String> keys) {
        keys.forEach(k -> store.put(key(k), value(k)));
    }
}
