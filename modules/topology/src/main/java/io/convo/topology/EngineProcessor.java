package io.convo.topology;

import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A processor that hands each record to an engine built in {@code init} from its context: the engines hold the
 * logic of a key space, and several processors (commands, check replies) share one engine's stores.
 */
final class EngineProcessor<V, E> implements Processor<String, V, String, Object> {

    private final Function<ProcessorContext<String, Object>, E> engineFactory;
    private final BiConsumer<E, Record<String, V>> handler;
    private E engine;

    EngineProcessor(Function<ProcessorContext<String, Object>, E> engineFactory, BiConsumer<E, Record<String, V>> handler) {
        this.engineFactory = engineFactory;
        this.handler = handler;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        engine = engineFactory.apply(context);
    }

    @Override
    public void process(Record<String, V> record) {
        handler.accept(engine, record);
    }
}
