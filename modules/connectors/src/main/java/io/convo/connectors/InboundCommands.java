package io.convo.connectors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convo.model.json.CommandLine;
import io.convo.model.json.JsonLineException;
import io.convo.model.json.JsonLines;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Turns an inbound message from a known sender into the {@code SendMessage} command the topology checks (L12/L13
 * for MMS and WhatsApp media): author = the sender's address. The command is built through the model's JSON-lines
 * parser, so media and body are validated exactly as a command line's are. Its ids derive from the provider's
 * message id when there is one: {@code commandId} {@code inbound-<uuid>} and {@code messageSid} {@code IM<hex>} of
 * a name-based UUID of (serviceSid, messageId), so a provider's retry is recognised as a duplicate command.
 */
final class InboundCommands {

    private InboundCommands() {
    }

    /** @throws InvalidRequestException when the message does not make a valid command (e.g. {@code media[0].size}) */
    static CommandLine sendMessage(InboundMessage message, BindingDirectory.Found sender, long now) {
        UUID id = message.messageId() == null ? UUID.randomUUID()
                : UUID.nameUUIDFromBytes((message.serviceSid() + "\n" + message.messageId()).getBytes(StandardCharsets.UTF_8));
        ObjectNode command = JsonBodies.MAPPER.createObjectNode();
        command.put("type", "SendMessage");
        command.put("commandId", "inbound-" + id);
        command.put("serviceSid", message.serviceSid());
        command.put("timestamp", now);
        command.put("conversationSid", sender.conversationSid());
        command.put("messageSid", "IM" + id.toString().replace("-", ""));
        command.put("author", message.from());
        if (message.body() != null) {
            command.set("body", message.body());
        }
        if (message.media() != null) {
            command.set("media", message.media());
        }
        try {
            return JsonLines.parseCommand(command.toString(), 1);
        } catch (JsonLineException e) {
            throw new InvalidRequestException(e.field(), e.problem());
        }
    }
}
