package io.convo.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Generates a deterministic mix of command JSON lines for tests and benchmarks: conversations created, chat and
 * SMS participants added (some past a small participant limit), messages (with bursts past the per-conversation
 * rate limit), read-horizon updates, removals, state changes, deletions, duplicates, over-long names, commands to
 * unknown conversations, and user/role commands (with bursts past the per-service rate limit).
 *
 * <p>The mix never makes an outcome depend on the order of commands of different keys, so a real broker, which
 * interleaves partitions freely, must give every key the same outcomes as {@code simulate}: each service sees
 * at most a handful of conversation creates and deletes per second (the service-wide rate limit is never
 * reached by them), the only service-wide bursts are in a service that has no conversations, and each identity
 * joins far fewer conversations than its limit. Timestamps never go backwards. No delivery fails (bodies are
 * short, media deliverable): a failed delivery loops back through {@code delivery-receipts} into a
 * {@code DeliverySummaryUpdated} event, which a broker appends whenever the receipt is read, not right after the
 * message as {@code simulate} does.
 *
 * <p>Run as a program to write lines for a benchmark: {@code CommandGenerator COUNT [SEED]} to standard output.
 */
final class CommandGenerator {

    /** Services that own conversations, and one that only has users and roles. */
    static final List<String> CONVERSATION_SERVICES = List.of("IS-a", "IS-b", "IS-c", "IS-d");
    static final String DIRECTORY_SERVICE = "IS-directory";
    /** Larger than the per-second action limit of 30, so every burst has rejected commands. */
    static final int BURST = 36;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IDENTITIES = 400;
    /**
     * Participants the generator adds to a conversation at most (typical support and group chats are small, and
     * each message fans out to every participant); past a configured limit below it, adds are rejected.
     */
    private static final int PARTICIPANTS = 8;
    private static final int MAX_OPEN_CONVERSATIONS = 150;
    private static final long STEP_MS = 10;

    private final Random random;
    private final List<String> lines = new ArrayList<>();
    private final List<Conversation> open = new ArrayList<>();
    private long timestamp;
    private long commandNumber;
    private long conversationNumber;
    private long addressNumber;
    private long userNumber;

    /** A conversation as the generator believes it is (close enough: the topology decides, not this). */
    private static final class Conversation {
        final String sid;
        final String service;
        final Set<String> identities = new LinkedHashSet<>();
        final List<String> participants = new ArrayList<>();
        final List<String> lines = new ArrayList<>();
        long messages;

        Conversation(String sid, String service) {
            this.sid = sid;
            this.service = service;
        }
    }

    private CommandGenerator(long seed, long startTimestamp) {
        this.random = new Random(seed);
        this.timestamp = startTimestamp;
    }

    /** At least {@code count} command lines (a burst may end a few lines past it). */
    static List<String> generate(int count, long seed, long startTimestamp) {
        CommandGenerator generator = new CommandGenerator(seed, startTimestamp);
        while (generator.lines.size() < count) {
            generator.next();
        }
        return generator.lines;
    }

    public static void main(String[] args) throws IOException {
        int count = Integer.parseInt(args[0]);
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 1;
        Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        for (String line : generate(count, seed, 1_800_000_000_000L)) {
            out.write(line);
            out.write('\n');
        }
        out.flush();
    }

    private void next() {
        timestamp += STEP_MS;
        int dice = random.nextInt(1000);
        if (open.isEmpty() || (dice < 90 && open.size() < MAX_OPEN_CONVERSATIONS)) {
            createConversation();
        } else if (dice < 100) {
            serviceCommand();
        } else if (dice < 102) {
            userBurst();
        } else if (dice < 105) {
            messageBurst(pick());
        } else if (dice < 110) {
            unknownConversation();
        } else if (dice < 115) {
            duplicate(pick());
        } else if (dice < 120) {
            tooLongName(pick());
        } else if (dice < 127) {
            endConversation(pick());
        } else if (dice < 137) {
            removeParticipant(pick());
        } else if (dice < 160) {
            updateParticipant(pick());
        } else if (dice < 300) {
            Conversation conversation = pick();
            if (conversation.participants.size() < PARTICIPANTS) {
                addSmsParticipant(conversation);
            } else {
                sendMessage(conversation);
            }
        } else if (dice < 550) {
            Conversation conversation = pick();
            if (conversation.participants.size() < PARTICIPANTS) {
                addChatParticipant(conversation);
            } else {
                sendMessage(conversation);
            }
        } else {
            sendMessage(pick());
        }
    }

    private Conversation pick() {
        return open.get(random.nextInt(open.size()));
    }

    private void createConversation() {
        String service = CONVERSATION_SERVICES.get(random.nextInt(CONVERSATION_SERVICES.size()));
        Conversation conversation = new Conversation("CH" + (++conversationNumber), service);
        open.add(conversation);
        ObjectNode c = command("CreateConversation", service, conversation);
        c.put("friendlyName", "conversation " + conversationNumber);
        if (random.nextInt(4) == 0) {
            c.put("attributes", "{\"topic\":\"support\"}");
        }
        emit(conversation, c);
    }

    private void addChatParticipant(Conversation conversation) {
        String identity = "user" + random.nextInt(IDENTITIES);
        ObjectNode c = command("AddParticipant", conversation.service, conversation);
        String participant = "MB" + (++commandNumber);
        c.put("participantSid", participant);
        c.put("identity", identity);
        conversation.identities.add(identity);
        conversation.participants.add(participant);
        emit(conversation, c);
    }

    private void addSmsParticipant(Conversation conversation) {
        ObjectNode c = command("AddParticipant", conversation.service, conversation);
        String participant = "MB" + (++commandNumber);
        c.put("participantSid", participant);
        ObjectNode binding = c.putObject("messagingBinding");
        binding.put("type", random.nextInt(5) == 0 ? "whatsapp" : "sms");
        binding.put("address", "+1555" + String.format("%07d", ++addressNumber));
        binding.put("proxyAddress", "+18005550100");
        conversation.participants.add(participant);
        emit(conversation, c);
    }

    private void sendMessage(Conversation conversation) {
        ObjectNode c = command("SendMessage", conversation.service, conversation);
        c.put("messageSid", "IM" + (++commandNumber));
        c.put("author", conversation.identities.isEmpty() ? "nobody" : conversation.identities.iterator().next());
        c.put("body", "message " + (++conversation.messages) + " of " + conversation.sid);
        if (random.nextInt(10) == 0) {
            ArrayNode media = c.putArray("media");
            ObjectNode file = media.addObject();
            file.put("contentType", "image/png");
            file.put("size", 1 + random.nextInt(3_000_000));
            file.put("filename", "picture.png");
        }
        emit(conversation, c);
    }

    /** {@link #BURST} messages in the same second: the ones past the limit are RATE_LIMITED. */
    private void messageBurst(Conversation conversation) {
        for (int i = 0; i < BURST; i++) {
            sendMessage(conversation);
        }
    }

    private void updateParticipant(Conversation conversation) {
        ObjectNode c = command("UpdateParticipant", conversation.service, conversation);
        c.put("participantSid", conversation.participants.isEmpty() ? "MB-none"
                : conversation.participants.get(random.nextInt(conversation.participants.size())));
        c.put("lastReadMessageIndex", Math.max(0, conversation.messages - 1 - random.nextInt(3)));
        emit(conversation, c);
    }

    private void removeParticipant(Conversation conversation) {
        ObjectNode c = command("RemoveParticipant", conversation.service, conversation);
        String participant = conversation.participants.isEmpty() ? "MB-none"
                : conversation.participants.remove(random.nextInt(conversation.participants.size()));
        c.put("participantSid", participant);
        emit(conversation, c);
    }

    /** Closes or deletes the conversation; its chat participants' memberships are released. */
    private void endConversation(Conversation conversation) {
        ObjectNode c;
        if (random.nextBoolean()) {
            c = command("UpdateConversation", conversation.service, conversation);
            c.put("state", "closed");
        } else {
            c = command("DeleteConversation", conversation.service, conversation);
        }
        emit(conversation, c);
        open.remove(conversation);
        // A later command to an ended conversation is rejected; one now and then shows it.
        if (random.nextInt(3) == 0) {
            timestamp += STEP_MS;
            sendMessage(conversation);
        }
    }

    /** The same command again, same commandId, later: DUPLICATE_COMMAND with the original outcome. */
    private void duplicate(Conversation conversation) {
        String original = conversation.lines.get(random.nextInt(conversation.lines.size()));
        try {
            ObjectNode c = (ObjectNode) JSON.readTree(original);
            c.put("timestamp", timestamp);
            lines.add(JSON.writeValueAsString(c));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** L1: 257 characters where 256 are allowed. */
    private void tooLongName(Conversation conversation) {
        ObjectNode c = command("UpdateConversation", conversation.service, conversation);
        c.put("friendlyName", "x".repeat(257));
        emit(conversation, c);
    }

    private void unknownConversation() {
        Conversation ghost = new Conversation("CH-ghost-" + random.nextInt(50), CONVERSATION_SERVICES.get(0));
        ObjectNode c = command("SendMessage", ghost.service, ghost);
        c.put("messageSid", "IM" + (++commandNumber));
        c.put("author", "user1");
        c.put("body", "anyone there?");
        lines.add(c.toString());
    }

    private void serviceCommand() {
        int dice = random.nextInt(10);
        ObjectNode c;
        if (dice < 6 || userNumber == 0) {
            c = serviceCommand("CreateUser");
            c.put("identity", "user" + (++userNumber));
            c.put("friendlyName", "User " + userNumber);
        } else if (dice < 8) {
            c = serviceCommand("UpdateUser");
            c.put("identity", "user" + (1 + random.nextInt((int) userNumber)));
            c.put("friendlyName", "Renamed " + commandNumber);
        } else {
            c = serviceCommand("CreateRole");
            c.put("roleSid", "RL" + commandNumber);
            c.put("friendlyName", "role " + commandNumber);
            c.put("roleType", "conversation");
            c.putArray("permissions").add("sendMessage").add("leaveConversation");
        }
        lines.add(c.toString());
    }

    /** {@link #BURST} user creations in the same second in a service without conversations. */
    private void userBurst() {
        for (int i = 0; i < BURST; i++) {
            ObjectNode c = serviceCommand("CreateUser");
            c.put("identity", "user" + (++userNumber));
            lines.add(c.toString());
        }
    }

    private ObjectNode serviceCommand(String type) {
        ObjectNode c = JSON.createObjectNode();
        c.put("type", type);
        c.put("commandId", "cmd-" + (++commandNumber));
        c.put("serviceSid", DIRECTORY_SERVICE);
        c.put("timestamp", timestamp);
        return c;
    }

    private ObjectNode command(String type, String service, Conversation conversation) {
        ObjectNode c = JSON.createObjectNode();
        c.put("type", type);
        c.put("commandId", "cmd-" + (++commandNumber));
        c.put("serviceSid", service);
        c.put("timestamp", timestamp);
        c.put("conversationSid", conversation.sid);
        return c;
    }

    private void emit(Conversation conversation, ObjectNode command) {
        String line = command.toString();
        conversation.lines.add(line);
        lines.add(line);
    }
}
