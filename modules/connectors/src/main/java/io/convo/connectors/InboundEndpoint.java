package io.convo.connectors;

import io.convo.model.ConversationCommand;
import io.convo.model.SendMessage;
import io.convo.model.json.CommandLine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/inbound}: a message a provider received becomes a {@code SendMessage} on
 * {@code conversation-commands}, keyed by conversationSid, authored by the sender's address; answered 202 with the
 * command's ids once Kafka holds it. An unknown sender is 404, a sender bound in several conversations 409, a
 * malformed body 400, and 503 while the bindings are still loading.
 */
final class InboundEndpoint implements JsonEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(InboundEndpoint.class);

    private final String commandsTopic;
    private final Serializer<ConversationCommand> serializer;
    private final BindingDirectory directory;
    private final BooleanSupplier ready;
    private final AckedPublisher publisher;
    private final LongSupplier clock;

    InboundEndpoint(String commandsTopic, Serializer<ConversationCommand> serializer, BindingDirectory directory,
            BooleanSupplier ready, AckedPublisher publisher, LongSupplier clock) {
        this.commandsTopic = commandsTopic;
        this.serializer = serializer;
        this.directory = directory;
        this.ready = ready;
        this.publisher = publisher;
        this.clock = clock;
    }

    @Override
    public JsonReply handle(byte[] body) throws InterruptedException {
        InboundMessage message = InboundMessage.parse(body);
        if (!ready.getAsBoolean()) {
            return JsonReply.unavailable("NOT_READY", "the connector is still reading the conversations' bindings; retry");
        }
        BindingDirectory.Match match = directory.find(message.serviceSid(), message.conversationSid(), message.channel(),
                message.from(), message.to());
        if (match instanceof BindingDirectory.NotFound notFound) {
            LOG.info("Inbound {} message from {} to {}: unknown sender", message.channel(), message.from(), message.to());
            return JsonReply.error(404, "UNKNOWN_SENDER", notFound.reason());
        }
        if (match instanceof BindingDirectory.Ambiguous ambiguous) {
            JsonReply reply = JsonReply.error(409, "AMBIGUOUS_SENDER", "address " + message.from() + " reached at "
                    + message.to() + " is bound in several conversations; post the conversationSid");
            reply.body().put("conversationSids", ambiguous.conversationSids());
            return reply;
        }
        BindingDirectory.Found sender = (BindingDirectory.Found) match;
        CommandLine command = InboundCommands.sendMessage(message, sender, clock.getAsLong());
        try {
            publisher.publish(new ProducerRecord<>(commandsTopic, null, command.timestamp(), command.key(),
                    serializer.serialize(commandsTopic, (ConversationCommand) command.envelope())));
        } catch (AckedPublisher.NotAcknowledged e) {
            LOG.warn("conversation {}: inbound message from {} not recorded: {}", sender.conversationSid(),
                    message.from(), e.getMessage());
            return JsonReply.unavailable("UNAVAILABLE", "the message could not be recorded; retry");
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        SendMessage sent = (SendMessage) command.command();
        reply.put("commandId", sent.getCommandId());
        reply.put("messageSid", sent.getMessageSid());
        reply.put("conversationSid", sender.conversationSid());
        reply.put("participantSid", sender.participantSid());
        LOG.info("conversation {}: inbound {} message from {} → command {}", sender.conversationSid(), message.channel(),
                message.from(), sent.getCommandId());
        return JsonReply.of(202, reply);
    }
}
