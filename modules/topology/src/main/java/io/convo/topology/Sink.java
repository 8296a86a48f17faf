package io.convo.topology;

import io.convo.model.Topic;
import org.apache.kafka.streams.Topology;

/**
 * A sink node and the topic it writes: processors forward to it through {@link Forwarder}, which takes only values
 * of the topic's type, so a record bound for the wrong topic does not compile.
 */
record Sink<V>(String node, Topic<V> topic) {

    void addTo(Topology topology, String... parents) {
        topology.addSink(node, topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer(), parents);
    }
}
