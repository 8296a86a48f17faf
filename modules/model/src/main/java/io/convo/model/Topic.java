package io.convo.model;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A topic convo reads or writes: its name and the serdes of its keys (always UTF-8 strings) and values, so that
 * every source and sink is typed by what the topic carries.
 */
public record Topic<V>(String name, Serde<String> keySerde, Serde<V> valueSerde) {

    public static <V> Topic<V> of(String name, Serde<V> valueSerde) {
        return new Topic<>(name, Serdes.String(), valueSerde);
    }
}
