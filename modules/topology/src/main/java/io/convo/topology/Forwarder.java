package io.convo.topology;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Forwards records to named sinks, typed by each sink's topic. A processor's children share one output type in the
 * Processor API, so the untyped context stays in here.
 */
final class Forwarder {

    private final ProcessorContext<String, Object> context;

    Forwarder(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    <V> void forward(Sink<V> sink, String key, V value, long timestamp) {
        context.forward(new Record<String, Object>(key, value, timestamp), sink.node());
    }

    /** Forwards a record as it is, headers included. */
    <V> void forward(Sink<V> sink, Record<String, V> record) {
        context.forward(new Record<String, Object>(record.key(), record.value(), record.timestamp(), record.headers()),
                sink.node());
    }
}
