package io.convo.tools.bench;

import io.convo.model.ConversationCommand;
import io.convo.model.ServiceCommand;
import io.convo.model.TopicNames;
import io.convo.model.serde.ConvoSerdes;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The benchmark's baseline: a Kafka Streams application that reads convo's two command topics with convo's serdes
 * and copies every command to an output topic, deciding nothing and keeping no state. What convo costs beyond it
 * is the cost of its rules, stores and check loop.
 */
final class PassThroughTopology {

    static final String CONVERSATION_OUTPUT = "passthrough-conversation-commands";
    static final String SERVICE_OUTPUT = "passthrough-service-commands";

    private PassThroughTopology() {
    }

    /** Copies {@code inputs}' commands to {@code prefix + CONVERSATION_OUTPUT} and {@code prefix + SERVICE_OUTPUT}. */
    static Topology build(TopicNames inputs, String prefix, Map<String, Object> serdeConfig) {
        Serde<ConversationCommand> conversations = ConvoSerdes.valueSerde(ConversationCommand.class, serdeConfig);
        Serde<ServiceCommand> services = ConvoSerdes.valueSerde(ServiceCommand.class, serdeConfig);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(inputs.conversationCommands(), Consumed.with(Serdes.String(), conversations).withName("ConversationCommands"))
                .to(prefix + CONVERSATION_OUTPUT, Produced.with(Serdes.String(), conversations).withName("CopyConversationCommands"));
        builder.stream(inputs.serviceCommands(), Consumed.with(Serdes.String(), services).withName("ServiceCommands"))
                .to(prefix + SERVICE_OUTPUT, Produced.with(Serdes.String(), services).withName("CopyServiceCommands"));
        return builder.build();
    }
}
