package io.convo.tools.bench;

import io.convo.model.AddParticipant;
import io.convo.model.BindingType;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationState;
import io.convo.model.CreateConversation;
import io.convo.model.CreateRole;
import io.convo.model.CreateUser;
import io.convo.model.DeleteConversation;
import io.convo.model.MessagingBinding;
import io.convo.model.RemoveParticipant;
import io.convo.model.RoleType;
import io.convo.model.SendMessage;
import io.convo.model.ServiceCommand;
import io.convo.model.UpdateConversation;
import io.convo.model.UpdateParticipant;
import io.convo.model.UpdateUser;
import io.convo.model.json.CommandLine;
import io.convo.model.json.CommandTopic;
import io.convo.rules.ActionWindows;
import io.convo.rules.Command;
import io.convo.rules.Limits;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;

/**
 * An endless, deterministic stream of mixed commands for benchmarks and fault-injection runs: conversations
 * created in several services, chat and SMS participants added, messages, read-horizon updates, participants
 * removed, conversations closed and deleted, users and roles, and a configurable share of commands the topology
 * rejects (unknown conversations and participants, duplicate participants, names too long, empty messages,
 * messages to closed conversations, read horizons past the end, resent commandIds, bursts past the
 * per-conversation rate limit). The same settings always give the same commands.
 *
 * <p>The generator models the state the topology will hold, so each command comes with the outcome it must get
 * ({@link Generated#expected()}: an event name or a rejection code). No outcome depends on how the partitions of
 * different keys interleave: every service stays below its per-second action limit, every identity far below its
 * conversation limit, and only single conversations are driven past their rate limit. Timestamps never go
 * backwards, except that a resent command repeats its original, timestamp included. Not thread-safe.
 */
public final class CommandGenerator implements Iterator<CommandGenerator.Generated> {

    /** A command and the outcome the topology must give it: an event name or a rejection code. */
    public record Generated(CommandLine command, String expected) {

        public String commandId() {
            return Command.of(command.command()).commandId();
        }
    }

    /**
     * The knobs.
     *
     * @param seed                    the random seed; it also goes into every id, so two seeds never collide
     * @param services                conversation services
     * @param maxConversations        open conversations at most; past it, creations give way to closes and deletes
     * @param identitiesPerService    chat identities each service draws from
     * @param maxParticipants         participants per conversation the generator aims for at most
     * @param rejectionShare          share of commands meant to be rejected (0 to 1), besides rate-limit bursts
     * @param smsShare                share of participant additions that are SMS bindings
     * @param churnShare              share of commands that close or delete a conversation
     * @param serviceCommandShare     share of user and role commands
     * @param burstShare              share of commands that are part of a burst past a conversation's rate limit
     * @param startTimestamp          the first command's timestamp (epoch ms)
     * @param stepMs                  business time between two commands (bursts go 1 ms apart)
     * @param limits                  the limits the topology runs with (actions per second, conversations per identity)
     */
    public record Settings(long seed, int services, int maxConversations, int identitiesPerService, int maxParticipants,
                           double rejectionShare, double smsShare, double churnShare, double serviceCommandShare,
                           double burstShare, long startTimestamp, long stepMs, Limits limits) {

        /** 8 services, 20,000 open conversations, 2,000 identities each, about 8% rejections. */
        public static Settings defaults(long seed) {
            return new Settings(seed, 8, 20_000, 2_000, 6, 0.07, 0.2, 0.01, 0.01, 0.01,
                    1_800_000_000_000L, 5, Limits.defaults());
        }

        public Settings withServices(int n) {
            return new Settings(seed, n, maxConversations, identitiesPerService, maxParticipants, rejectionShare,
                    smsShare, churnShare, serviceCommandShare, burstShare, startTimestamp, stepMs, limits);
        }

        public Settings withMaxConversations(int n) {
            return new Settings(seed, services, n, identitiesPerService, maxParticipants, rejectionShare, smsShare,
                    churnShare, serviceCommandShare, burstShare, startTimestamp, stepMs, limits);
        }

        public Settings withRejectionShare(double share) {
            return new Settings(seed, services, maxConversations, identitiesPerService, maxParticipants, share, smsShare,
                    churnShare, serviceCommandShare, burstShare, startTimestamp, stepMs, limits);
        }

        public Settings withBurstShare(double share) {
            return new Settings(seed, services, maxConversations, identitiesPerService, maxParticipants, rejectionShare,
                    smsShare, churnShare, serviceCommandShare, share, startTimestamp, stepMs, limits);
        }

        public Settings withChurnShare(double share) {
            return new Settings(seed, services, maxConversations, identitiesPerService, maxParticipants, rejectionShare,
                    smsShare, share, serviceCommandShare, burstShare, startTimestamp, stepMs, limits);
        }

        public Settings withClock(long startTimestamp, long stepMs) {
            return new Settings(seed, services, maxConversations, identitiesPerService, maxParticipants, rejectionShare,
                    smsShare, churnShare, serviceCommandShare, burstShare, startTimestamp, stepMs, limits);
        }

        public Settings withLimits(Limits l) {
            return new Settings(seed, services, maxConversations, identitiesPerService, maxParticipants, rejectionShare,
                    smsShare, churnShare, serviceCommandShare, burstShare, startTimestamp, stepMs, l);
        }
    }

    /** Commands meant for rejection and the code each gets. */
    private enum Fault {
        UNKNOWN_CONVERSATION("CONVERSATION_NOT_FOUND"),
        DUPLICATE_PARTICIPANT("PARTICIPANT_EXISTS"),
        UNKNOWN_PARTICIPANT("PARTICIPANT_NOT_FOUND"),
        NAME_TOO_LONG("FRIENDLY_NAME_TOO_LONG"),
        EMPTY_MESSAGE("INVALID_COMMAND"),
        CLOSED_CONVERSATION("CONVERSATION_CLOSED"),
        READ_PAST_END("MESSAGE_NOT_FOUND"),
        RESENT("DUPLICATE_COMMAND");

        final String code;

        Fault(String code) {
            this.code = code;
        }
    }

    private static final String RATE_LIMITED = "RATE_LIMITED";
    /** Normal traffic stays this far below a window's limit, so the model never has to be right to the last action. */
    private static final int HEADROOM = 5;
    private static final int PICK_ATTEMPTS = 8;
    private static final int RECENT = 64;
    private static final int CLOSED_KEPT = 1_000;
    private static final String TEXT = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor"
            + " incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco"
            + " laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate.";

    /** A 1-second action window (L10) as the topology counts it. */
    private static final class Window {
        long start = Long.MIN_VALUE;
        int count;

        int countAt(long timestamp) {
            long s = ActionWindows.windowStart(timestamp);
            if (s != start) {
                start = s;
                count = 0;
            }
            return count;
        }
    }

    private static final class Participant {
        final String sid;
        final String identity;
        final String address;
        Long lastRead;

        Participant(String sid, String identity, String address) {
            this.sid = sid;
            this.identity = identity;
            this.address = address;
        }

        String author() {
            return identity != null ? identity : address;
        }
    }

    private static final class Conversation {
        final String sid;
        final Service service;
        final List<Participant> participants = new ArrayList<>();
        final Set<String> identities = new HashSet<>();
        final Window window = new Window();
        long nextIndex;
        int position; // in the open list, for O(1) removal

        Conversation(String sid, Service service) {
            this.sid = sid;
            this.service = service;
        }

        Participant chatParticipant(Random random) {
            List<Participant> chat = participants.stream().filter(p -> p.identity != null).toList();
            return chat.isEmpty() ? null : chat.get(random.nextInt(chat.size()));
        }
    }

    private static final class Service {
        final String sid;
        final int number;
        final Window window = new Window();
        final List<String> users = new ArrayList<>();
        final Set<String> userSet = new HashSet<>();
        int roles;

        Service(String sid, int number) {
            this.sid = sid;
            this.number = number;
        }
    }

    private final Settings settings;
    private final Random random;
    private final String idStem;
    private final List<Service> services = new ArrayList<>();
    private final List<Conversation> open = new ArrayList<>();
    private final ArrayDeque<Conversation> closed = new ArrayDeque<>();
    private final Map<String, Integer> memberships = new HashMap<>();
    private final List<Generated> recent = new ArrayList<>();
    private final ArrayDeque<Generated> pending = new ArrayDeque<>();
    private final Map<String, Long> expectedCounts = new HashMap<>();
    private long clock;
    private long ids;

    public CommandGenerator(Settings settings) {
        if (settings.services() < 1 || settings.maxConversations() < 1 || settings.maxParticipants() < 2
                || settings.identitiesPerService() < settings.maxParticipants()) {
            throw new IllegalArgumentException("settings out of range: " + settings);
        }
        this.settings = settings;
        this.random = new Random(settings.seed());
        this.idStem = String.format("%08x", settings.seed() & 0xffffffffL);
        this.clock = settings.startTimestamp();
        for (int i = 0; i < settings.services(); i++) {
            services.add(new Service("IS" + idStem + String.format("%024x", i), i));
        }
    }

    /** The first {@code count} commands of a generator with these settings. */
    public static List<Generated> generate(Settings settings, int count) {
        CommandGenerator generator = new CommandGenerator(settings);
        List<Generated> commands = new ArrayList<>(count);
        while (commands.size() < count) {
            commands.add(generator.next());
        }
        return commands;
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public Generated next() {
        while (pending.isEmpty()) {
            clock += settings.stepMs();
            step();
        }
        Generated g = pending.poll();
        expectedCounts.merge(g.expected(), 1L, Long::sum);
        if (!g.expected().equals(Fault.RESENT.code)) {
            recent.add(g);
            if (recent.size() > RECENT) {
                recent.remove(0);
            }
        }
        return g;
    }

    /** How many commands so far were generated for each expected outcome. */
    public Map<String, Long> expectedCounts() {
        return Map.copyOf(expectedCounts);
    }

    /** Open (not closed, not deleted) conversations right now. */
    public int openConversations() {
        return open.size();
    }

    /** Adds the next command (or burst) to {@code pending}; may add nothing, then time moves on and it tries again. */
    private void step() {
        double r = random.nextDouble();
        if (r < settings.rejectionShare()) {
            fault(Fault.values()[random.nextInt(Fault.values().length)]);
            return;
        }
        // Cumulative shares: bursts (one is about actionsPerSecond + 6 commands), churn, service commands, then
        // the everyday mix of conversations, participants, read horizons and, mostly, messages.
        double burst = settings.burstShare() / (settings.limits().actionsPerSecond() + 6);
        double churn = burst + settings.churnShare();
        double service = churn + settings.serviceCommandShare();
        double create = service + 0.05;
        double add = create + 0.12;
        double remove = add + 0.02;
        double read = remove + 0.14;
        double update = read + 0.01;
        r = random.nextDouble();
        if (r < burst) {
            burst();
        } else if (r < churn) {
            churn();
        } else if (r < service) {
            serviceCommand();
        } else if (r < create || open.isEmpty()) {
            if (open.size() < settings.maxConversations()) {
                create();
            } else {
                churn();
            }
        } else if (r < add) {
            addParticipant(random.nextDouble() < settings.smsShare());
        } else if (r < remove) {
            removeParticipant();
        } else if (r < read) {
            read();
        } else if (r < update) {
            updateConversation();
        } else {
            message();
        }
    }

    // ---- accepted commands ------------------------------------------------------------------------------------

    private void create() {
        Service service = serviceWithRoom();
        if (service == null) {
            return;
        }
        Conversation c = new Conversation(id("CH"), service);
        service.window.count++;
        c.position = open.size();
        open.add(c);
        emit(new CreateConversation(commandId(), service.sid, clock, c.sid, "Conversation " + ids, null,
                "{\"topic\":\"bench\"}", null, null), CommandTopic.CONVERSATION, c.sid, "ConversationCreated");
    }

    private void addParticipant(boolean sms) {
        Conversation c = pick(x -> x.participants.size() < settings.maxParticipants());
        if (c == null) {
            create();
            return;
        }
        Participant p;
        if (sms) {
            String address = String.format("+1555%07d", ids % 10_000_000);
            p = new Participant(id("MB"), null, address);
            admit(c);
            emit(new AddParticipant(commandId(), c.service.sid, clock, c.sid, p.sid, null, null,
                    new MessagingBinding(BindingType.sms, address, String.format("+1800%07d", c.service.number)), null, null, null),
                    CommandTopic.CONVERSATION, c.sid, "ParticipantAdded");
        } else {
            String identity = freeIdentity(c);
            if (identity == null) {
                return;
            }
            p = new Participant(id("MB"), identity, null);
            c.identities.add(identity);
            memberships.merge(membershipKey(c, identity), 1, Integer::sum);
            admit(c);
            emit(new AddParticipant(commandId(), c.service.sid, clock, c.sid, p.sid, identity, null, null, null, null, null),
                    CommandTopic.CONVERSATION, c.sid, "ParticipantAdded");
        }
        c.participants.add(p);
    }

    private void removeParticipant() {
        Conversation c = pick(x -> x.participants.size() > 1);
        if (c == null) {
            return;
        }
        Participant p = c.participants.remove(random.nextInt(c.participants.size()));
        if (p.identity != null) {
            c.identities.remove(p.identity);
            release(c, p.identity);
        }
        admit(c);
        emit(new RemoveParticipant(commandId(), c.service.sid, clock, c.sid, p.sid, null), CommandTopic.CONVERSATION, c.sid,
                "ParticipantRemoved");
    }

    private void message() {
        Conversation c = pick(x -> !x.participants.isEmpty());
        if (c == null) {
            addParticipant(false);
            return;
        }
        admit(c);
        emit(sendMessage(c), CommandTopic.CONVERSATION, c.sid, "MessageAdded");
        c.nextIndex++;
    }

    private SendMessage sendMessage(Conversation c) {
        Participant author = c.participants.get(random.nextInt(c.participants.size()));
        int from = random.nextInt(TEXT.length() - 160);
        String body = TEXT.substring(from, from + 20 + random.nextInt(140));
        return new SendMessage(commandId(), c.service.sid, clock, c.sid, id("IM"), author.author(), body, null, null, null);
    }

    private void read() {
        Conversation c = pick(x -> x.nextIndex > 0 && !x.participants.isEmpty());
        if (c == null) {
            message();
            return;
        }
        Participant p = c.participants.get(random.nextInt(c.participants.size()));
        long horizon = p.lastRead == null ? random.nextInt((int) Math.min(c.nextIndex, Integer.MAX_VALUE))
                : p.lastRead + random.nextInt((int) Math.min(c.nextIndex - p.lastRead, Integer.MAX_VALUE));
        // The topology keeps the later horizon if this one is older; the generator only moves forwards anyway.
        p.lastRead = horizon;
        admit(c);
        emit(new UpdateParticipant(commandId(), c.service.sid, clock, c.sid, p.sid, null, null, horizon, null),
                CommandTopic.CONVERSATION, c.sid, "ParticipantUpdated");
    }

    private void updateConversation() {
        Conversation c = pick(x -> true);
        if (c == null) {
            return;
        }
        admit(c);
        emit(new UpdateConversation(commandId(), c.service.sid, clock, c.sid, null, "{\"updated\":" + ids + "}", null, null),
                CommandTopic.CONVERSATION, c.sid, "ConversationUpdated");
    }

    /** Closes (conversation-scoped action) or deletes (service-scoped) a conversation, releasing its chat members. */
    private void churn() {
        Conversation c = pick(x -> true);
        if (c == null) {
            return;
        }
        boolean delete = random.nextBoolean();
        if (delete && !hasRoom(c.service.window)) {
            return;
        }
        forget(c);
        if (delete) {
            c.service.window.count++;
            emit(new DeleteConversation(commandId(), c.service.sid, clock, c.sid, null), CommandTopic.CONVERSATION, c.sid,
                    "ConversationDeleted");
        } else {
            admit(c);
            emit(new UpdateConversation(commandId(), c.service.sid, clock, c.sid, null, null, ConversationState.closed, null),
                    CommandTopic.CONVERSATION, c.sid, "ConversationUpdated");
            closed.addLast(c);
            if (closed.size() > CLOSED_KEPT) {
                closed.removeFirst();
            }
        }
    }

    private void serviceCommand() {
        Service s = services.get(random.nextInt(services.size()));
        if (!hasRoom(s.window)) {
            return;
        }
        double r = random.nextDouble();
        SpecificRecord command;
        String expected;
        if (r < 0.15) {
            String role = "RL" + idStem + String.format("%024x", (long) s.number * 1_000_000 + s.roles++);
            command = new CreateRole(commandId(), s.sid, clock, role, "role " + s.roles, RoleType.conversation,
                    List.of("sendMessage", "leaveConversation"));
            expected = "RoleCreated";
        } else if (r < 0.5 && !s.users.isEmpty()) {
            String identity = s.users.get(random.nextInt(s.users.size()));
            command = new UpdateUser(commandId(), s.sid, clock, identity, "User " + identity + " " + ids, null, null, null);
            expected = "UserUpdated";
        } else {
            String identity = identity(s, random.nextInt(settings.identitiesPerService()));
            if (!s.userSet.add(identity)) {
                return;
            }
            s.users.add(identity);
            command = new CreateUser(commandId(), s.sid, clock, identity, "User " + identity, null, null);
            expected = "UserCreated";
        }
        s.window.count++;
        emit(command, CommandTopic.SERVICE, s.sid, expected);
    }

    // ---- rejected commands ------------------------------------------------------------------------------------

    /** Messages 1 ms apart into one conversation, past its per-second limit; those past it are RATE_LIMITED. */
    private void burst() {
        Conversation c = pick(x -> !x.participants.isEmpty());
        if (c == null) {
            return;
        }
        int limit = settings.limits().actionsPerSecond();
        for (int i = 0; i < limit + 6; i++) {
            if (i > 0) {
                clock++;
            }
            boolean admitted = c.window.countAt(clock) < limit;
            if (admitted) {
                c.window.count++;
                emit(sendMessage(c), CommandTopic.CONVERSATION, c.sid, "MessageAdded");
                c.nextIndex++;
            } else {
                emit(sendMessage(c), CommandTopic.CONVERSATION, c.sid, RATE_LIMITED);
            }
        }
    }

    private void fault(Fault fault) {
        switch (fault) {
            case UNKNOWN_CONVERSATION -> {
                String sid = id("CH");
                Service s = services.get(random.nextInt(services.size()));
                emit(new SendMessage(commandId(), s.sid, clock, sid, id("IM"), "nobody", "hello?", null, null, null),
                        CommandTopic.CONVERSATION, sid, fault.code);
            }
            case NAME_TOO_LONG -> {
                String sid = id("CH");
                Service s = services.get(random.nextInt(services.size()));
                emit(new CreateConversation(commandId(), s.sid, clock, sid, "x".repeat(settings.limits().friendlyNameChars() + 1),
                        null, null, null, null), CommandTopic.CONVERSATION, sid, fault.code);
            }
            case DUPLICATE_PARTICIPANT -> {
                Conversation c = pick(x -> !x.identities.isEmpty());
                if (c != null) {
                    admit(c);
                    emit(new AddParticipant(commandId(), c.service.sid, clock, c.sid, id("MB"),
                            c.chatParticipant(random).identity, null, null, null, null, null), CommandTopic.CONVERSATION, c.sid,
                            fault.code);
                }
            }
            case UNKNOWN_PARTICIPANT -> {
                Conversation c = pick(x -> true);
                if (c != null) {
                    admit(c);
                    emit(new UpdateParticipant(commandId(), c.service.sid, clock, c.sid, id("MB"), "{}", null, null, null),
                            CommandTopic.CONVERSATION, c.sid, fault.code);
                }
            }
            case EMPTY_MESSAGE -> {
                Conversation c = pick(x -> true);
                if (c != null) {
                    // Rejected by validation, before the rate limit: not an action.
                    emit(new SendMessage(commandId(), c.service.sid, clock, c.sid, id("IM"), "someone", null, null, null, null),
                            CommandTopic.CONVERSATION, c.sid, fault.code);
                }
            }
            case CLOSED_CONVERSATION -> {
                Conversation c = closed.isEmpty() ? null : closed.peekLast();
                if (c != null && hasRoom(c.window)) {
                    c.window.count++;
                    emit(new SendMessage(commandId(), c.service.sid, clock, c.sid, id("IM"), "someone", "anyone there?",
                            null, null, null), CommandTopic.CONVERSATION, c.sid, fault.code);
                }
            }
            case READ_PAST_END -> {
                Conversation c = pick(x -> !x.participants.isEmpty());
                if (c != null) {
                    admit(c);
                    Participant p = c.participants.get(random.nextInt(c.participants.size()));
                    emit(new UpdateParticipant(commandId(), c.service.sid, clock, c.sid, p.sid, null, null, c.nextIndex + 5, null),
                            CommandTopic.CONVERSATION, c.sid, fault.code);
                }
            }
            case RESENT -> {
                if (!recent.isEmpty()) {
                    // A client retry: the very same record again, timestamp included.
                    Generated original = recent.get(random.nextInt(recent.size()));
                    pending.add(new Generated(original.command(), fault.code));
                }
            }
        }
    }

    // ---- the model --------------------------------------------------------------------------------------------

    /** A random open conversation that satisfies {@code wanted} and has room in its window, or null. */
    private Conversation pick(Predicate<Conversation> wanted) {
        for (int i = 0; i < PICK_ATTEMPTS && !open.isEmpty(); i++) {
            Conversation c = open.get(random.nextInt(open.size()));
            if (wanted.test(c) && hasRoom(c.window)) {
                return c;
            }
        }
        return null;
    }

    private boolean hasRoom(Window window) {
        return window.countAt(clock) < settings.limits().actionsPerSecond() - HEADROOM;
    }

    /** Counts an action the topology admits (the caller checked there is room). */
    private void admit(Conversation c) {
        c.window.countAt(clock);
        c.window.count++;
    }

    private Service serviceWithRoom() {
        for (int i = 0; i < PICK_ATTEMPTS; i++) {
            Service s = services.get(random.nextInt(services.size()));
            if (hasRoom(s.window)) {
                return s;
            }
        }
        return null;
    }

    /** An identity of the conversation's service not in it yet and below its conversation limit, or null. */
    private String freeIdentity(Conversation c) {
        for (int i = 0; i < PICK_ATTEMPTS; i++) {
            String identity = identity(c.service, random.nextInt(settings.identitiesPerService()));
            // Far below the limit: reservations of different conversations race, and must all be granted.
            if (!c.identities.contains(identity)
                    && memberships.getOrDefault(membershipKey(c, identity), 0) < settings.limits().conversationsPerIdentity() / 2) {
                return identity;
            }
        }
        return null;
    }

    private void forget(Conversation c) {
        Conversation last = open.remove(open.size() - 1);
        if (last != c) {
            open.set(c.position, last);
            last.position = c.position;
        }
        for (String identity : c.identities) {
            release(c, identity);
        }
    }

    private void release(Conversation c, String identity) {
        memberships.computeIfPresent(membershipKey(c, identity), (k, n) -> n <= 1 ? null : n - 1);
    }

    private static String membershipKey(Conversation c, String identity) {
        return c.service.sid + '/' + identity;
    }

    private static String identity(Service s, int n) {
        return "user-" + s.number + "-" + n;
    }

    private String id(String prefix) {
        return prefix + idStem + String.format("%024x", ++ids);
    }

    private String commandId() {
        return id("CM");
    }

    private void emit(SpecificRecord command, CommandTopic topic, String key, String expected) {
        SpecificRecord envelope = topic == CommandTopic.CONVERSATION
                ? new ConversationCommand(command)
                : new ServiceCommand(command);
        pending.add(new Generated(new CommandLine(topic, key, clock, envelope), expected));
    }
}
