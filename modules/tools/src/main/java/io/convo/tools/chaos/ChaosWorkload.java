package io.convo.tools.chaos;

import io.convo.model.AddParticipant;
import io.convo.model.BindingType;
import io.convo.model.ConversationState;
import io.convo.model.CreateConversation;
import io.convo.model.CreateUser;
import io.convo.model.DeleteConversation;
import io.convo.model.Media;
import io.convo.model.MessagingBinding;
import io.convo.model.RateLimitScope;
import io.convo.model.RemoveMessage;
import io.convo.model.RemoveParticipant;
import io.convo.model.SendMessage;
import io.convo.model.UpdateConversation;
import io.convo.model.UpdateMessage;
import io.convo.model.UpdateParticipant;
import io.convo.model.UpdateUser;
import io.convo.rules.ActionWindows;
import io.convo.rules.Command;
import io.convo.rules.Limits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;

/**
 * A generated, realistic command stream in rounds, with bursts that hit every limit: rate limits per conversation
 * and per service, a conversation filled past its participant limits, a group MMS past ten, an identity past its
 * conversation limit, duplicates, media that channels cannot carry.
 *
 * <p>Outcomes must not depend on how conversations on different partitions interleave, or no oracle could check
 * them: so the only contention across keys is arranged around barriers (the harness waits until every command
 * produced so far has its outcome). Between barriers, a chat identity is only added where it stays below its limit
 * whatever the order (its count is bounded from above, and lowered only at a barrier, when releases are surely
 * applied), and a service's action window is only filled by that service's own user commands.
 */
public final class ChaosWorkload {

    /** A batch of commands, produced in order; after a barrier phase the harness waits for every outcome. */
    public record Phase(String name, List<SpecificRecord> commands, boolean barrier) {
    }

    private static final String[] SERVICES = {"ISchaos0000000000000000000000001", "ISchaos0000000000000000000000002"};
    private static final long STEP_MS = 3;
    /** Below the APS limit, so that ordinary traffic is never rate limited and only the bursts are. */
    private static final int ORDINARY_ACTIONS_PER_SECOND = 25;
    /** An ordinary round has its base size once per this many commands of the run (at least once). */
    private static final int COMMANDS_PER_ROUND_SCALE = 100_000;

    private final Random random;
    private final Limits limits;
    private final int target;
    /**
     * How many times larger an ordinary round is than at the suite's size. A barrier costs a round trip through the
     * check loop however little came before it, so a large run with small rounds would spend its time waiting.
     */
    private final int roundScale;
    private long clock;
    private int produced;
    private int ids;
    private int conversationIds;
    /**
     * Actions per scope in the clock's current second. The clock never goes back, so only this second's counts
     * matter; forgetting a count of the current second would let a later command crowd it past the limit.
     */
    private final Map<String, Integer> actionsThisSecond = new HashMap<>();
    private long countedWindow = Long.MIN_VALUE;
    private final List<Conversation> open = new ArrayList<>();
    private final List<SpecificRecord> history = new ArrayList<>();
    /** Upper bound of each identity's memberships; lowered only at barriers, when releases are known applied. */
    private final Map<String, Integer> memberships = new HashMap<>();
    private final Map<String, Integer> releasedSinceBarrier = new HashMap<>();
    /** How many people the chat participants are drawn from. */
    private int identityPool = 1_500;
    private int round;
    private final List<Phase> pendingPhases = new ArrayList<>();

    private static final class Conversation {
        final String sid;
        final String service;
        final List<String[]> participants = new ArrayList<>(); // {participantSid, identity or null, address or null}
        final List<String> messages = new ArrayList<>();
        int nextParticipant;

        Conversation(String sid, String service) {
            this.sid = sid;
            this.service = service;
        }
    }

    /**
     * @param seed    the same seed gives the same stream
     * @param target  roughly how many commands to generate
     * @param startMs the first command's timestamp
     * @param limits  the limits the instances and the oracle run with
     */
    public ChaosWorkload(long seed, int target, long startMs, Limits limits) {
        this.random = new Random(seed);
        this.target = target;
        this.roundScale = Math.max(1, target / COMMANDS_PER_ROUND_SCALE);
        this.clock = startMs;
        this.limits = limits;
    }

    /**
     * The limits the small chaos run uses, so that a few thousand commands reach every one of them. They keep the real
     * limits' order (participants above non-chat above a group MMS's ten, which stays as it is), or a group MMS would
     * meet the non-chat limit first and never its own. The participant limit sets the suite run's length: a
     * conversation's chat joins wait for their identity checks one after another, so filling one past its limit
     * costs that many check-loop round trips (with 40 participants the suite's run took 160-170 s, with 20 about 110).
     */
    public static Map<String, String> smallLimits() {
        return Map.of(
                Limits.CONFIG_PREFIX + "participants-per-conversation", "20",
                Limits.CONFIG_PREFIX + "non-chat-participants-per-conversation", "12",
                Limits.CONFIG_PREFIX + "conversations-per-identity", "12");
    }

    /**
     * The next phase, or null when the target is reached. Phases of a multi-step burst come before anything new.
     * Call it only after the previous barrier phase's outcomes are all in: it plans with what they released.
     */
    public Phase next() {
        if (!pendingPhases.isEmpty()) {
            Phase p = pendingPhases.remove(0);
            produced += p.commands().size();
            return p;
        }
        if (produced >= target) {
            return null;
        }
        int step = round++ % 12;
        Phase phase = switch (step) {
            case 3 -> bigConversation();
            case 5 -> groupMms();
            case 7 -> conversationBurst();
            case 9 -> serviceBurst();
            case 11 -> whale();
            default -> ordinaryRound();
        };
        produced += phase.commands().size();
        if (phase.barrier()) {
            releasedSinceBarrier.forEach((identity, n) -> memberships.merge(identity, -n, Integer::sum));
            releasedSinceBarrier.clear();
        }
        return phase;
    }

    /** Creates, joins, messages with and without media, read horizons, edits, removals, closes, deletes, duplicates. */
    private Phase ordinaryRound() {
        List<SpecificRecord> out = new ArrayList<>();
        for (int i = 0; i < 12 * roundScale; i++) {
            Conversation c = create(out, SERVICES[random.nextInt(SERVICES.length)]);
            int chats = 2 + random.nextInt(3);
            for (int p = 0; p < chats; p++) {
                joinChat(out, c, poolIdentity());
            }
            if (random.nextInt(3) == 0) {
                joinBinding(out, c, BindingType.sms, "+1555" + String.format("%07d", random.nextInt(10_000_000)), "+15550000000");
            }
            if (random.nextInt(4) == 0) {
                joinBinding(out, c, BindingType.whatsapp, "whatsapp:+1666" + String.format("%07d", random.nextInt(10_000_000)),
                        "whatsapp:+15550000000");
            }
        }
        for (int i = 0; i < 150 * roundScale && !open.isEmpty(); i++) {
            Conversation c = open.get(random.nextInt(open.size()));
            int kind = random.nextInt(20);
            if (kind < 12) {
                message(out, c, false);
            } else if (kind < 14 && !c.messages.isEmpty()) {
                emit(out, UpdateParticipant.newBuilder().setCommandId(id()).setServiceSid(c.service).setTimestamp(0L)
                        .setConversationSid(c.sid).setParticipantSid(anyParticipant(c))
                        .setLastReadMessageIndex((long) random.nextInt(c.messages.size())).build(), false);
            } else if (kind < 15 && !c.messages.isEmpty()) {
                emit(out, UpdateMessage.newBuilder().setCommandId(id()).setServiceSid(c.service).setTimestamp(0L)
                        .setConversationSid(c.sid).setMessageSid(c.messages.get(random.nextInt(c.messages.size())))
                        .setBody("edited").build(), false);
            } else if (kind < 16 && !c.messages.isEmpty()) {
                String messageSid = c.messages.remove(random.nextInt(c.messages.size()));
                emit(out, RemoveMessage.newBuilder().setCommandId(id()).setServiceSid(c.service).setTimestamp(0L)
                        .setConversationSid(c.sid).setMessageSid(messageSid).build(), false);
            } else if (kind < 17 && !c.participants.isEmpty()) {
                String[] p = c.participants.remove(random.nextInt(c.participants.size()));
                release(p[1]);
                emit(out, RemoveParticipant.newBuilder().setCommandId(id()).setServiceSid(c.service).setTimestamp(0L)
                        .setConversationSid(c.sid).setParticipantSid(p[0]).build(), false);
            } else if (kind < 19 && !history.isEmpty()) {
                duplicate(out);
            } else {
                emit(out, UpdateUser.newBuilder().setCommandId(id()).setServiceSid(c.service).setTimestamp(0L)
                        .setIdentity(poolIdentity()).setFriendlyName("renamed").build(), false);
            }
        }
        for (int i = 0; i < 3 * roundScale && open.size() > 20; i++) {
            Conversation c = open.remove(random.nextInt(open.size()));
            c.participants.forEach(p -> release(p[1]));
            if (random.nextBoolean()) {
                emit(out, UpdateConversation.newBuilder().setCommandId(id()).setServiceSid(c.service).setTimestamp(0L)
                        .setConversationSid(c.sid).setState(ConversationState.closed).build(), false);
            } else {
                emit(out, DeleteConversation.newBuilder().setCommandId(id()).setServiceSid(c.service).setTimestamp(0L)
                        .setConversationSid(c.sid).build(), false);
            }
        }
        for (int i = 0; i < 2 * roundScale; i++) {
            String service = SERVICES[random.nextInt(SERVICES.length)];
            emit(out, CreateUser.newBuilder().setCommandId(id()).setServiceSid(service).setTimestamp(0L)
                    .setIdentity("user-" + random.nextInt(400)).build(), false);
        }
        // No barrier: nothing in a round depends on another key's outcome, and the whale's barriers, once a cycle,
        // let the releases lower the membership bounds.
        return new Phase("ordinary", out, false);
    }

    /** One conversation filled past its participant and non-chat limits (L6, L7). */
    private Phase bigConversation() {
        List<SpecificRecord> out = new ArrayList<>();
        Conversation c = create(out, SERVICES[0]);
        int nonChat = limits.nonChatParticipantsPerConversation() + 2;
        for (int i = 0; i < nonChat; i++) {
            joinBinding(out, c, BindingType.sms, "+1777" + String.format("%07d", ids + i), "+15550000000");
        }
        for (int i = 0; i < limits.participantsPerConversation() - limits.nonChatParticipantsPerConversation() + 3; i++) {
            joinChat(out, c, poolIdentity());
        }
        for (int i = 0; i < 5; i++) {
            message(out, c, false);
        }
        return new Phase("big-conversation", out, false);
    }

    /** A group MMS conversation (SMS bindings without a proxy address) past its ten participants (L8). */
    private Phase groupMms() {
        List<SpecificRecord> out = new ArrayList<>();
        Conversation c = create(out, SERVICES[1]);
        for (int i = 0; i < limits.groupMmsParticipants() + 1; i++) {
            joinBinding(out, c, BindingType.sms, "+1888" + String.format("%07d", ids + i), null);
        }
        for (int i = 0; i < 4; i++) {
            message(out, c, true);
        }
        return new Phase("group-mms", out, false);
    }

    /** More messages in one second of one conversation than its action window admits (L10, conversation). */
    private Phase conversationBurst() {
        List<SpecificRecord> out = new ArrayList<>();
        if (open.isEmpty()) {
            return ordinaryRound();
        }
        Conversation c = open.get(random.nextInt(open.size()));
        nextSecond();
        for (int i = 0; i < limits.actionsPerSecond() + 10; i++) {
            String messageSid = "IM" + id();
            c.messages.add(messageSid);
            emit(out, SendMessage.newBuilder().setCommandId(id()).setServiceSid(c.service).setTimestamp(0L)
                    .setConversationSid(c.sid).setMessageSid(messageSid).setAuthor("system").setBody("burst " + i)
                    .build(), true);
        }
        nextSecond();
        return new Phase("conversation-burst", out, false);
    }

    /** More user commands in one second of one service than its window admits (L10, service); nothing else in it. */
    private Phase serviceBurst() {
        List<SpecificRecord> out = new ArrayList<>();
        String service = SERVICES[random.nextInt(SERVICES.length)];
        nextSecond();
        for (int i = 0; i < limits.actionsPerSecond() + 10; i++) {
            emit(out, CreateUser.newBuilder().setCommandId(id()).setServiceSid(service).setTimestamp(0L)
                    .setIdentity("burst-" + id()).build(), true);
        }
        nextSecond();
        return new Phase("service-burst", out, false);
    }

    /**
     * One identity joins as many conversations as its limit allows, then more (L9), then two of them close and it
     * joins two others, then one more: every step after a barrier, so the outcome does not depend on order.
     */
    private Phase whale() {
        List<SpecificRecord> out = new ArrayList<>();
        String whale = "whale-" + id();
        Conversation[] joined = new Conversation[limits.conversationsPerIdentity()];
        for (int i = 0; i < joined.length; i++) {
            joined[i] = create(out, SERVICES[0]);
            joinChat(out, joined[i], whale);
        }
        List<Phase> steps = new ArrayList<>();
        steps.add(new Phase("whale-fills", out, true));
        List<SpecificRecord> over = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            joinChat(over, create(over, SERVICES[0]), whale);
        }
        steps.add(new Phase("whale-over-limit", over, true));
        List<SpecificRecord> close = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Conversation c = joined[i];
            open.remove(c);
            emit(close, UpdateConversation.newBuilder().setCommandId(id()).setServiceSid(c.service).setTimestamp(0L)
                    .setConversationSid(c.sid).setState(ConversationState.closed).build(), false);
        }
        steps.add(new Phase("whale-closes-two", close, true));
        List<SpecificRecord> again = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            joinChat(again, create(again, SERVICES[0]), whale);
        }
        steps.add(new Phase("whale-joins-two", again, true));
        List<SpecificRecord> last = new ArrayList<>();
        joinChat(last, create(last, SERVICES[0]), whale);
        steps.add(new Phase("whale-one-too-many", last, true));
        pendingPhases.addAll(steps.subList(1, steps.size()));
        return steps.get(0);
    }


    private Conversation create(List<SpecificRecord> out, String service) {
        Conversation c = new Conversation("CHchaos" + (++conversationIds), service);
        emit(out, CreateConversation.newBuilder().setCommandId(id()).setServiceSid(service).setTimestamp(0L)
                .setConversationSid(c.sid).setFriendlyName("chaos " + conversationIds).build(), false);
        open.add(c);
        return c;
    }

    private void joinChat(List<SpecificRecord> out, Conversation c, String identity) {
        String participantSid = "MB" + (c.nextParticipant++);
        c.participants.add(new String[] {participantSid, identity, null});
        memberships.merge(identity, 1, Integer::sum);
        emit(out, AddParticipant.newBuilder().setCommandId(id()).setServiceSid(c.service).setTimestamp(0L)
                .setConversationSid(c.sid).setParticipantSid(participantSid).setIdentity(identity).build(), false);
    }

    private void joinBinding(List<SpecificRecord> out, Conversation c, BindingType type, String address, String proxy) {
        String participantSid = "MB" + (c.nextParticipant++);
        c.participants.add(new String[] {participantSid, null, address});
        emit(out, AddParticipant.newBuilder().setCommandId(id()).setServiceSid(c.service).setTimestamp(0L)
                .setConversationSid(c.sid).setParticipantSid(participantSid)
                .setMessagingBinding(new MessagingBinding(type, address, proxy)).build(), false);
    }

    private void message(List<SpecificRecord> out, Conversation c, boolean media) {
        String messageSid = "IM" + id();
        c.messages.add(messageSid);
        String author = c.participants.isEmpty() ? "system"
                : c.participants.get(random.nextInt(c.participants.size()))[random.nextBoolean() ? 1 : 2];
        List<Media> files = null;
        String body = random.nextInt(15) == 0 ? "long ".repeat(330) : "hello " + messageSid;
        if (media || random.nextInt(5) == 0) {
            files = new ArrayList<>();
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                files.add(switch (random.nextInt(5)) {
                    case 0 -> new Media("image/gif", 40_000L, "a.gif");
                    case 1 -> new Media("application/pdf", 6L * Limits.MB, "big.pdf");
                    case 2 -> new Media("video/mp4", 20L * Limits.MB, "clip.mp4");
                    default -> new Media("image/jpeg", 200_000L + random.nextInt(100_000), "photo.jpg");
                });
            }
            if (random.nextBoolean()) {
                body = null;
            }
        }
        emit(out, SendMessage.newBuilder().setCommandId(id()).setServiceSid(c.service).setTimestamp(0L)
                .setConversationSid(c.sid).setMessageSid(messageSid).setAuthor(author == null ? "system" : author)
                .setBody(body).setMedia(files).build(), false);
    }

    private void duplicate(List<SpecificRecord> out) {
        SpecificRecord again = history.get(random.nextInt(history.size()));
        out.add(again);
    }

    /** An identity from the shared pool that stays below its limit whatever the order of this round's joins. */
    private String poolIdentity() {
        while (true) {
            String identity = "person-" + random.nextInt(identityPool);
            if (memberships.getOrDefault(identity, 0) + 1 < limits.conversationsPerIdentity()) {
                return identity;
            }
            // Every miss grows the pool for good: a long run's picks stay cheap while its people stay busy.
            identityPool++;
        }
    }

    private void release(String identity) {
        if (identity != null) {
            releasedSinceBarrier.merge(identity, 1, Integer::sum);
        }
    }

    private String anyParticipant(Conversation c) {
        return c.participants.isEmpty() ? "MB-none" : c.participants.get(random.nextInt(c.participants.size()))[0];
    }

    private String id() {
        return "chaos-" + (++ids);
    }

    /** The counts of the clock's current second, started afresh when the clock has moved into a new one. */
    private Map<String, Integer> actionsThisSecond() {
        long window = ActionWindows.windowStart(clock);
        if (window != countedWindow) {
            actionsThisSecond.clear();
            countedWindow = window;
        }
        return actionsThisSecond;
    }

    private void nextSecond() {
        clock = ActionWindows.windowStart(clock) + ActionWindows.WINDOW_MS;
    }

    /**
     * Stamps the command: the clock moves on a few ms per command, and to the next second when an ordinary command
     * would crowd its action window (bursts crowd it on purpose).
     *
     * @param burst true only for the bursts that fill a window on purpose
     */
    private void emit(List<SpecificRecord> out, SpecificRecord command, boolean burst) {
        Command header = Command.of(command);
        String scope = header.scope() == RateLimitScope.service ? header.serviceSid() : header.conversationSid();
        clock += STEP_MS;
        if (!burst && actionsThisSecond().getOrDefault(scope, 0) >= ORDINARY_ACTIONS_PER_SECOND) {
            nextSecond();
        }
        actionsThisSecond().merge(scope, 1, Integer::sum);
        command.put(command.getSchema().getField("timestamp").pos(), clock);
        out.add(command);
        history.add(command);
        if (history.size() > 5_000) {
            history.subList(0, 1_000).clear();
        }
        assert Command.of(command).timestamp() == clock;
    }
}
