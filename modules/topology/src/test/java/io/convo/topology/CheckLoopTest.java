package io.convo.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.CheckKind;
import io.convo.internal.CheckQueue;
import io.convo.internal.ParkedCommands;
import io.convo.internal.CheckReply;
import io.convo.internal.CheckRequest;
import io.convo.model.CommandRejected;
import io.convo.model.ConversationCommand;
import io.convo.model.ConversationCreated;
import io.convo.model.ConversationEvent;
import io.convo.model.MessageAdded;
import io.convo.model.ParticipantAdded;
import io.convo.model.RateLimitScope;
import io.convo.model.TopicNames;
import io.convo.model.serde.ConvoSerdes;
import io.convo.rules.Command;
import io.convo.rules.Limits;
import io.convo.topology.ConvoConfig.TopologySettings;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.LongStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC §4 with the check loop cut: only the conversations' sub-topology runs, its check requests are read from
 * their topic and the replies are piped in by the test, so commands that arrive while a check is out really park.
 * (Through the whole topology a TopologyTestDriver completes the loop synchronously and nothing ever parks.)
 */
class CheckLoopTest {

    private final CommandFactory given = new CommandFactory();
    private TopologyTestDriver driver;
    private TestInputTopic<String, ConversationCommand> commands;
    private TestInputTopic<String, CheckReply> replies;
    private TestOutputTopic<String, ConversationEvent> events;
    private TestOutputTopic<String, CommandRejected> rejections;
    private TestOutputTopic<String, CheckRequest> identityChecks;
    private TestOutputTopic<String, CheckRequest> serviceChecks;

    @BeforeEach
    void start() {
        start(Map.of());
    }

    /** Restarts the driver with {@code overrides} on top of the test configuration. */
    private void start(Map<String, String> overrides) {
        if (driver != null) {
            driver.close();
        }
        Properties config = new Properties();
        config.put(ConvoConfig.STORE_TYPE.name(), storeType());
        config.put(ConvoConfig.MAX_CLOCK_SKEW.name(), "0");
        config.putAll(overrides);
        TopologySettings settings = ConvoConfig.topologySettings(config);
        Properties streams = new Properties();
        streams.put(StreamsConfig.APPLICATION_ID_CONFIG, "convo-check-loop-test");
        streams.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(ConvoTopology.buildConversationsOnly(settings), streams);
        TopicNames topics = settings.topics();
        Map<String, Object> serdes = settings.serdeConfig();
        commands = driver.createInputTopic(topics.conversationCommands(), new StringSerializer(),
                ConvoSerdes.valueSerde(ConversationCommand.class, serdes).serializer());
        replies = driver.createInputTopic(topics.checkReplies(), new StringSerializer(),
                ConvoSerdes.internalSerde(CheckReply.class).serializer());
        events = driver.createOutputTopic(topics.conversationEvents(), new StringDeserializer(),
                ConvoSerdes.valueSerde(ConversationEvent.class, serdes).deserializer());
        rejections = driver.createOutputTopic(topics.commandRejections(), new StringDeserializer(),
                ConvoSerdes.valueSerde(CommandRejected.class, serdes).deserializer());
        identityChecks = driver.createOutputTopic(topics.identityChecks(), new StringDeserializer(),
                ConvoSerdes.internalSerde(CheckRequest.class).deserializer());
        serviceChecks = driver.createOutputTopic(topics.serviceChecks(), new StringDeserializer(),
                ConvoSerdes.internalSerde(CheckRequest.class).deserializer());
    }

    /** The stores the sub-topology runs on: memory stores, which have no record cache. */
    String storeType() {
        return "in-memory";
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void command(SpecificRecord command) {
        Command header = Command.of(command);
        commands.pipeInput(header.conversationSid(), new ConversationCommand(command), header.timestamp());
    }

    private void reply(CheckRequest request, boolean admitted) {
        replies.pipeInput(request.getConversationSid(), new CheckReply(request.getKind(), request.getCommandId(),
                request.getConversationSid(), admitted, admitted ? null : 250L, admitted ? null : 1000L, null),
                request.getTimestamp());
    }

    private List<Object> events() {
        return events.readValuesToList().stream().map(ConversationEvent::getEvent).toList();
    }

    private static CheckRequest only(TestOutputTopic<String, CheckRequest> checks) {
        List<CheckRequest> out = checks.readValuesToList();
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    private void nothingOut() {
        assertThat(events.isEmpty()).as("no event").isTrue();
        assertThat(rejections.isEmpty()).as("no rejection").isTrue();
        assertThat(identityChecks.isEmpty()).as("no identity check").isTrue();
        assertThat(serviceChecks.isEmpty()).as("no service check").isTrue();
    }

    @Test
    void laterCommandsOfAConversationWaitForItsChecksAndThenRunInOrder() {
        command(given.create("CH1"));
        CheckRequest serviceCheck = only(serviceChecks);
        assertThat(serviceCheck.getKind()).isEqualTo(CheckKind.SERVICE_ACTION);
        assertThat(events.isEmpty()).isTrue();

        command(given.chat("CH1", "MB1", "alice"));
        command(given.message("CH1", "IM1", "alice", "first"));
        command(given.message("CH1", "IM2", "alice", "second"));
        nothingOut();

        reply(serviceCheck, true);
        assertThat(events()).singleElement().isInstanceOf(ConversationCreated.class);
        CheckRequest identityCheck = only(identityChecks);
        assertThat(identityCheck.getKind()).isEqualTo(CheckKind.IDENTITY_RESERVE);
        assertThat(identityCheck.getIdentity()).isEqualTo("alice");
        nothingOut();

        reply(identityCheck, true);
        List<Object> afterJoin = events();
        assertThat(afterJoin).hasSize(3);
        assertThat(afterJoin.get(0)).isInstanceOf(ParticipantAdded.class);
        assertThat(((MessageAdded) afterJoin.get(1)).getMessageSid()).isEqualTo("IM1");
        assertThat(((MessageAdded) afterJoin.get(1)).getIndex()).isZero();
        assertThat(((MessageAdded) afterJoin.get(2)).getIndex()).isEqualTo(1);

        command(given.message("CH1", "IM3", "alice", "third"));
        assertThat(((MessageAdded) events().get(0)).getIndex()).as("nothing parked any more").isEqualTo(2);
    }

    @Test
    void otherConversationsDoNotWait() {
        command(given.create("CH1"));
        only(serviceChecks);
        command(given.rename("CH2", "other"));
        assertThat(rejections.readValue().getCode()).isEqualTo("CONVERSATION_NOT_FOUND");
    }

    @Test
    void aRefusedMembershipRejectsTheCommandAndTheParkedOnesRunAfterIt() {
        command(given.create("CH1"));
        reply(only(serviceChecks), true);
        events();
        command(given.chat("CH1", "MB1", "alice"));
        CheckRequest identityCheck = only(identityChecks);
        command(given.readUpTo("CH1", "MB1", 0));
        nothingOut();

        reply(identityCheck, false);
        List<CommandRejected> out = rejections.readValuesToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).getCode()).isEqualTo("IDENTITY_CONVERSATION_LIMIT");
        assertThat(out.get(0).getReason()).contains("1000");
        assertThat(out.get(1).getCode()).isEqualTo("PARTICIPANT_NOT_FOUND");
    }

    @Test
    void aRateLimitedServiceActionIsRejectedWithItsRetryTime() {
        command(given.create("CH1"));
        reply(only(serviceChecks), false);
        CommandRejected r = rejections.readValue();
        assertThat(r.getCode()).isEqualTo("RATE_LIMITED");
        assertThat(r.getRetryAfterMs()).isEqualTo(250);
        assertThat(r.getScope()).isEqualTo(RateLimitScope.service);
        assertThat(r.getLimit()).isEqualTo(30);
    }

    @Test
    void aDuplicateParkedBehindItsOriginalIsAnsweredWithTheOriginalOutcome() {
        var create = given.create("CH1");
        command(create);
        CheckRequest serviceCheck = only(serviceChecks);
        command(create);
        nothingOut();
        reply(serviceCheck, true);
        assertThat(events()).singleElement().isInstanceOf(ConversationCreated.class);
        CommandRejected duplicate = rejections.readValue();
        assertThat(duplicate.getCode()).isEqualTo("DUPLICATE_COMMAND");
        assertThat(duplicate.getOriginalOutcome()).isEqualTo("ConversationCreated");
        assertThat(serviceChecks.isEmpty()).as("the duplicate asked nothing").isTrue();
    }

    @Test
    void aCommandParkedBehindAParkedCheckWaitsForTheSecondCheckToo() {
        command(given.create("CH1"));
        CheckRequest first = only(serviceChecks);
        command(given.delete("CH1"));
        command(given.rename("CH1", "after delete"));
        nothingOut();
        reply(first, true);
        assertThat(events()).singleElement().isInstanceOf(ConversationCreated.class);
        CheckRequest second = only(serviceChecks);
        assertThat(rejections.isEmpty()).as("the rename still waits").isTrue();
        reply(second, true);
        assertThat(events()).singleElement().isInstanceOf(io.convo.model.ConversationDeleted.class);
        assertThat(rejections.readValue().getCode()).isEqualTo("CONVERSATION_NOT_FOUND");
    }

    /** The command counts of the parked-commands batches, oldest first, and the bytes each holds. */
    private List<List<Integer>> parkedBatches() {
        KeyValueStore<String, ParkedCommands> parked = driver.getKeyValueStore(StoreNames.PARKED_COMMANDS);
        List<List<Integer>> batches = new ArrayList<>();
        try (KeyValueIterator<String, ParkedCommands> all = parked.all()) {
            all.forEachRemaining(entry -> batches.add(List.of(entry.value.getCommands().size(),
                    entry.value.getCommands().stream().mapToInt(ByteBuffer::remaining).sum())));
        }
        return batches;
    }

    private List<Long> messageIndexes(List<Object> events) {
        return events.stream().filter(MessageAdded.class::isInstance).map(e -> ((MessageAdded) e).getIndex()).toList();
    }

    @Test
    void parkedCommandsShareBatchesOfAtMostSixteenAndRunInOrder() {
        command(given.create("CH1"));
        CheckRequest serviceCheck = only(serviceChecks);
        command(given.chat("CH1", "MB1", "alice"));
        for (int i = 0; i < 19; i++) {
            command(given.message("CH1", "IM" + i, "alice", "m" + i));
        }
        nothingOut();
        assertThat(parkedBatches()).extracting(batch -> batch.get(0)).containsExactly(16, 4);

        reply(serviceCheck, true);
        assertThat(events()).singleElement().isInstanceOf(ConversationCreated.class);
        assertThat(parkedBatches()).as("the add left the first batch, which waits for its last command")
                .extracting(batch -> batch.get(0)).containsExactly(16, 4);
        reply(only(identityChecks), true);

        List<Object> joined = events();
        assertThat(joined.get(0)).isInstanceOf(ParticipantAdded.class);
        assertThat(messageIndexes(joined)).containsExactlyElementsOf(LongStream.range(0, 19).boxed().toList());
        assertThat(parkedBatches()).as("every batch deleted once its commands ran").isEmpty();
        KeyValueStore<String, CheckQueue> queues = driver.getKeyValueStore(StoreNames.CHECK_QUEUES);
        assertThat(queues.get("CH1")).as("nothing waits, nothing kept").isNull();
    }

    @Test
    void aBatchTakesCommandsOnlyForACommitIntervalAfterItOpened() {
        command(given.create("CH1"));
        CheckRequest serviceCheck = only(serviceChecks);
        command(given.message("CH1", "IM0", "alice", "early"));
        command(given.message("CH1", "IM1", "alice", "early"));
        driver.advanceWallClockTime(Duration.ofMillis(WaitingCommands.BATCH_OPEN_MS));
        command(given.message("CH1", "IM2", "alice", "later"));
        command(given.message("CH1", "IM3", "alice", "later"));
        assertThat(parkedBatches()).as("a batch written in an earlier commit is not written again")
                .extracting(batch -> batch.get(0)).containsExactly(2, 2);

        reply(serviceCheck, true);
        assertThat(messageIndexes(events())).containsExactly(0L, 1L, 2L, 3L);
        assertThat(parkedBatches()).isEmpty();
    }

    @Test
    void aBatchHoldsAtMostOneCommandsWorthOfBytes() {
        int commandBytes = 4096;
        start(Map.of(Limits.CONFIG_PREFIX + "command-bytes", String.valueOf(commandBytes)));
        command(given.create("CH1"));
        CheckRequest serviceCheck = only(serviceChecks);
        for (int i = 0; i < 6; i++) {
            command(given.message("CH1", "IM" + i, "alice", "x".repeat(1500)));
        }
        command(given.message("CH1", "IM6", "alice", "x".repeat(3900)));
        nothingOut();

        List<List<Integer>> batches = parkedBatches();
        assertThat(batches).as("two 1.5 KB messages per batch, the largest one alone")
                .extracting(batch -> batch.get(0)).containsExactly(2, 2, 2, 1);
        assertThat(batches).allSatisfy(batch -> assertThat(batch.get(1)).isLessThanOrEqualTo(commandBytes));

        reply(serviceCheck, true);
        List<Object> created = events();
        assertThat(created.get(0)).isInstanceOf(ConversationCreated.class);
        assertThat(messageIndexes(created)).as("every parked message ran, in order")
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(parkedBatches()).isEmpty();
    }

    @Test
    void aReplyThatMatchesNoPendingCheckChangesNothing() {
        reply(new CheckRequest(CheckKind.IDENTITY_RESERVE, "cmd-x", CommandFactory.SERVICE, "CH9", "bob",
                CommandFactory.START), true);
        nothingOut();
    }

    /** A created conversation, with its events read. */
    private void created(String conversationSid) {
        command(given.create(conversationSid));
        reply(only(serviceChecks), true);
        events();
    }

    private List<String> added() {
        return events().stream().map(e -> ((ParticipantAdded) e).getIdentity()).toList();
    }

    @Test
    void chatAddsOfOtherIdentitiesSendTheirChecksAtOnceAndAreDecidedInCommandOrder() {
        created("CH1");
        command(given.chat("CH1", "MB1", "alice"));
        command(given.chat("CH1", "MB2", "bob"));
        command(given.chat("CH1", "MB3", "carol"));
        List<CheckRequest> checks = identityChecks.readValuesToList();
        assertThat(checks).extracting(CheckRequest::getIdentity).containsExactly("alice", "bob", "carol");
        nothingOut();

        reply(checks.get(2), true);
        reply(checks.get(1), true);
        assertThat(events.isEmpty()).as("bob and carol wait for alice's answer").isTrue();
        reply(checks.get(0), true);
        assertThat(added()).containsExactly("alice", "bob", "carol");
    }

    @Test
    void aSecondAddOfTheSameIdentityWaitsForTheFirstCheck() {
        created("CH1");
        command(given.chat("CH1", "MB1", "alice"));
        command(given.chat("CH1", "MB2", "alice"));
        CheckRequest first = only(identityChecks);
        nothingOut();
        reply(first, true);
        assertThat(added()).containsExactly("alice");
        assertThat(rejections.readValue().getCode()).isEqualTo("PARTICIPANT_EXISTS");
        assertThat(identityChecks.isEmpty()).as("the conflict was decided without a check").isTrue();
    }

    @Test
    void aMessageWaitsForTheAddsInFlightAndAnAddBehindItWaitsToo() {
        created("CH1");
        command(given.chat("CH1", "MB1", "alice"));
        command(given.chat("CH1", "MB2", "bob"));
        command(given.message("CH1", "IM1", "alice", "hello"));
        command(given.chat("CH1", "MB3", "carol"));
        List<CheckRequest> checks = identityChecks.readValuesToList();
        assertThat(checks).extracting(CheckRequest::getIdentity).containsExactly("alice", "bob");

        reply(checks.get(0), true);
        assertThat(added()).containsExactly("alice");
        assertThat(identityChecks.isEmpty()).as("carol is still behind the message").isTrue();
        reply(checks.get(1), true);
        List<Object> out = events();
        assertThat(out).hasSize(2);
        assertThat(((ParticipantAdded) out.get(0)).getIdentity()).isEqualTo("bob");
        assertThat(((MessageAdded) out.get(1)).getMessageSid()).isEqualTo("IM1");
        reply(only(identityChecks), true);
        assertThat(added()).containsExactly("carol");
    }

    @Test
    void aRefusedAddInFlightDoesNotChangeTheOutcomeOfTheOnesBehindIt() {
        created("CH1");
        command(given.chat("CH1", "MB1", "alice"));
        command(given.chat("CH1", "MB2", "bob"));
        List<CheckRequest> checks = identityChecks.readValuesToList();
        assertThat(checks).hasSize(2);
        reply(checks.get(1), true);
        reply(checks.get(0), false);
        assertThat(rejections.readValue().getCode()).isEqualTo("IDENTITY_CONVERSATION_LIMIT");
        assertThat(added()).containsExactly("bob");
    }

    @Test
    void anAddRunsAheadOnlyWhileTheParticipantLimitAdmitsItWithEveryAddInFlightGranted() {
        start(Map.of("convo.limits.participants-per-conversation", "2"));
        created("CH1");
        command(given.chat("CH1", "MB1", "alice"));
        command(given.chat("CH1", "MB2", "bob"));
        command(given.chat("CH1", "MB3", "carol"));
        List<CheckRequest> checks = identityChecks.readValuesToList();
        assertThat(checks).as("the 2nd add fills the limit; the 3rd waits")
                .extracting(CheckRequest::getIdentity).containsExactly("alice", "bob");

        reply(checks.get(0), false);
        reply(checks.get(1), true);
        assertThat(rejections.readValue().getCode()).isEqualTo("IDENTITY_CONVERSATION_LIMIT");
        assertThat(added()).containsExactly("bob");
        reply(only(identityChecks), true);
        assertThat(added()).as("alice's refusal left room for carol").containsExactly("carol");
    }

    @Test
    void noMoreChecksAreOutThanTheConfiguredMaximum() {
        start(Map.of(ConvoConfig.MAX_CHECKS_IN_FLIGHT.name(), "2"));
        created("CH1");
        command(given.chat("CH1", "MB1", "alice"));
        command(given.chat("CH1", "MB2", "bob"));
        command(given.chat("CH1", "MB3", "carol"));
        List<CheckRequest> checks = identityChecks.readValuesToList();
        assertThat(checks).extracting(CheckRequest::getIdentity).containsExactly("alice", "bob");
        reply(checks.get(0), true);
        assertThat(added()).containsExactly("alice");
        assertThat(only(identityChecks).getIdentity()).as("carol's check goes out as alice's slot frees")
                .isEqualTo("carol");
    }
}
