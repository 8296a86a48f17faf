package io.convo.topology;

import io.convo.model.CommandRejected;
import io.convo.rules.Commands;
import io.convo.rules.Rejection;

/** Builds the {@link CommandRejected} record of SPEC §2 for a command and a rejection. */
final class Rejections {

    private Rejections() {
    }

    static CommandRejected of(Object command, String key, Rejection r) {
        return CommandRejected.newBuilder()
                .setCommandId(Commands.commandId(command))
                .setCommandType(Commands.type(command))
                .setKey(key)
                .setServiceSid(Commands.serviceSid(command))
                .setConversationSid(Commands.conversationSid(command))
                .setCode(r.code().name())
                .setTwilioCode(r.twilioCode())
                .setReason(r.reason())
                .setScope(r.scope())
                .setLimit(r.limit())
                .setRetryAfterMs(r.retryAfterMs())
                .setOriginalOutcome(r.originalOutcome())
                .setTimestamp(Commands.timestamp(command))
                .build();
    }
}
