package io.convo.topology;

import io.convo.internal.CheckReply;
import io.convo.internal.CheckRequest;
import io.convo.model.ConversationCommand;
import io.convo.model.ServiceCommand;
import io.convo.topology.ConvoConfig.TopologySettings;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** The thin processors that feed records to the engines; each engine owns the logic of its key space. */
final class Processors {

    private Processors() {
    }

    static final class ConversationCommands implements Processor<String, ConversationCommand, String, Object> {
        private final TopologySettings settings;
        private ConversationEngine engine;

        ConversationCommands(TopologySettings settings) {
            this.settings = settings;
        }

        @Override
        public void init(ProcessorContext<String, Object> context) {
            engine = new ConversationEngine(context, settings);
        }

        @Override
        public void process(Record<String, ConversationCommand> record) {
            engine.onCommand(record.key(), record.value());
        }
    }

    static final class ConversationCheckReplies implements Processor<String, CheckReply, String, Object> {
        private final TopologySettings settings;
        private ConversationEngine engine;

        ConversationCheckReplies(TopologySettings settings) {
            this.settings = settings;
        }

        @Override
        public void init(ProcessorContext<String, Object> context) {
            engine = new ConversationEngine(context, settings);
        }

        @Override
        public void process(Record<String, CheckReply> record) {
            engine.onReply(record.key(), record.value());
        }
    }

    static final class ServiceCommands implements Processor<String, ServiceCommand, String, Object> {
        private final TopologySettings settings;
        private ServiceEngine engine;

        ServiceCommands(TopologySettings settings) {
            this.settings = settings;
        }

        @Override
        public void init(ProcessorContext<String, Object> context) {
            engine = new ServiceEngine(context, settings);
        }

        @Override
        public void process(Record<String, ServiceCommand> record) {
            engine.onCommand(record.key(), record.value());
        }
    }

    static final class ServiceActionChecks implements Processor<String, CheckRequest, String, Object> {
        private final TopologySettings settings;
        private ServiceEngine engine;

        ServiceActionChecks(TopologySettings settings) {
            this.settings = settings;
        }

        @Override
        public void init(ProcessorContext<String, Object> context) {
            engine = new ServiceEngine(context, settings);
        }

        @Override
        public void process(Record<String, CheckRequest> record) {
            engine.onActionCheck(record.key(), record.value());
        }
    }
}
