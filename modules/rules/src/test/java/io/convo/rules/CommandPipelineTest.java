package io.convo.rules;

import static io.convo.rules.Rejections.assertLimit;
import static io.convo.rules.Rejections.assertRejected;
import static io.convo.rules.TestCommands.CONVERSATION;
import static io.convo.rules.TestCommands.SERVICE;
import static io.convo.rules.TestCommands.T0;
import static io.convo.rules.TestCommands.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.ActionWindowCounts;
import io.convo.model.ConversationCreated;
import io.convo.model.CreateConversation;
import io.convo.model.RateLimitScope;
import io.convo.model.RejectionCode;
import io.convo.model.UserCreated;
import io.convo.rules.CommandPipeline.Step;
import io.convo.rules.conversation.ConversationAggregate;
import io.convo.rules.conversation.ConversationRules;
import io.convo.rules.conversation.Given;
import io.convo.rules.service.ServiceAggregate;
import io.convo.rules.service.ServiceRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * SPEC §3 for one command: clock skew, duplicate, validation (step 1), rate limit (step 2), decide (step 3). A
 * command rejected in step 1 is not an action; one admitted in step 2 counts even when step 3 rejects it.
 */
class CommandPipelineTest {

    private static final Duration SKEW = Duration.ofMinutes(5);
    private static final long NOW = T0;

    /** The conversation rules, recording which commands reached step 3. */
    private static final class Recording<S> implements CommandPipeline.Rules<S> {
        final CommandPipeline.Rules<S> rules;
        final List<String> decided = new ArrayList<>();

        Recording(CommandPipeline.Rules<S> rules) {
            this.rules = rules;
        }

        @Override
        public Optional<Rejection> validate(Command command, S state) {
            return rules.validate(command, state);
        }

        @Override
        public Decision decide(Command command, S state) {
            decided.add(command.commandId());
            return rules.decide(command, state);
        }
    }

    /** The idempotency memory: commandId → its first outcome. */
    private final Map<String, String> outcomes = new HashMap<>();
    private final CommandPipeline.Memory memory = (commandId, timestamp) -> outcomes.get(commandId);

    private final Recording<ConversationAggregate> rules = new Recording<>(new ConversationRules(Limits.defaults()));
    private final CommandPipeline<ConversationAggregate> pipeline =
            new CommandPipeline<>(RateLimitScope.conversation, Limits.defaults(), SKEW, rules);
    private final ConversationAggregate state = Given.conversation().chat("MB1", "alice").state();

    /** The conversation's rate windows, as the engine keeps them from step to step. */
    private ActionWindowCounts windows;

    private Step run(SpecificRecordBase command) {
        Step step = pipeline.run(Command.of(command), CONVERSATION, state, NOW, memory, windows);
        if (step instanceof Step.Decided d && d.counted() != null) {
            windows = d.counted();
        }
        if (step instanceof Step.Rejected r) {
            assertThat(r.counted()).as("a rejected command's counts").isNull();
        }
        return step;
    }

    private static Rejection rejected(Step step) {
        assertThat(step).isInstanceOf(Step.Rejected.class);
        return ((Step.Rejected) step).rejection();
    }

    private static Decision decided(Step step) {
        assertThat(step).isInstanceOf(Step.Decided.class);
        return ((Step.Decided) step).decision();
    }

    /** Fills the command's window with 30 admitted renames. */
    private void fillTheWindowAt(long timestamp) {
        for (int i = 0; i < 30; i++) {
            assertThat(decided(run(at(TestCommands.renameConversation(CONVERSATION, "n" + i), timestamp))))
                    .isInstanceOf(Decision.Accepted.class);
        }
    }

    private int counted() {
        return windows == null ? 0 : windows.getCounts().stream().mapToInt(Integer::intValue).sum();
    }

    @Nested
    class Order {

        @Test
        void checksTheClockFirstAndDoesNotRememberTheOutcome() {
            var command = at(TestCommands.renameConversation(CONVERSATION, "n"), NOW + SKEW.toMillis() + 1);
            outcomes.put(command.getCommandId(), "ConversationUpdated");
            Step step = run(command);
            assertRejected(rejected(step), RejectionCode.INVALID_COMMAND, null, "ms from the clock", "at most 300000 ms");
            assertThat(((Step.Rejected) step).remember()).isFalse();
            assertThat(rules.decided).isEmpty();
        }

        @Test
        void acceptsATimestampAtTheAllowedSkew() {
            assertThat(decided(run(at(TestCommands.renameConversation(CONVERSATION, "n"), NOW - SKEW.toMillis()))))
                    .isInstanceOf(Decision.Accepted.class);
        }

        @Test
        void answersADuplicateWithItsOriginalOutcomeBeforeValidatingIt() {
            var invalid = CreateConversation.newBuilder(TestCommands.createConversation(CONVERSATION))
                    .setFriendlyName("n".repeat(300)).build();
            outcomes.put(invalid.getCommandId(), "FRIENDLY_NAME_TOO_LONG");
            Step step = run(invalid);
            Rejection r = rejected(step);
            assertRejected(r, RejectionCode.DUPLICATE_COMMAND, null, invalid.getCommandId(), "FRIENDLY_NAME_TOO_LONG");
            assertThat(r.originalOutcome()).isEqualTo("FRIENDLY_NAME_TOO_LONG");
            assertThat(((Step.Rejected) step).remember()).isFalse();
        }

        @Test
        void givesAWrongKeyTheSameAnswerWhateverThePartitionsMemoryHolds() {
            var rename = TestCommands.renameConversation("CH2", "n");
            outcomes.put(rename.getCommandId(), "ConversationUpdated"); // this partition has seen the command id
            Step step = pipeline.run(Command.of(rename), CONVERSATION, state, NOW, memory, windows);
            assertRejected(rejected(step), RejectionCode.INVALID_COMMAND, null,
                    "conversationSid 'CH2' does not match the record key '" + CONVERSATION + "'");
            assertThat(((Step.Rejected) step).remember()).as("kept out of the memory of other keys").isFalse();
            assertThat(rules.decided).isEmpty();
            assertThat(counted()).isZero();
        }

        @Test
        void validatesBeforeTheRateLimit() {
            fillTheWindowAt(T0);
            Step step = run(TestCommands.renameConversation(CONVERSATION, "n".repeat(257)));
            assertThat(rejected(step).code()).isEqualTo(RejectionCode.FRIENDLY_NAME_TOO_LONG);
            assertThat(((Step.Rejected) step).remember()).isTrue();
        }

        @Test
        void rateLimitsBeforeDeciding() {
            fillTheWindowAt(T0);
            int decidedBefore = rules.decided.size();
            // would be rejected in step 3 (no such participant); step 2 rejects it first
            Step step = run(at(TestCommands.removeParticipant(CONVERSATION, "MB9"), T0 + 300));
            assertLimit(rejected(step), RejectionCode.RATE_LIMITED, 50063, 30,
                    "more than 30 actions in one second in this conversation", "retry after 700 ms");
            assertThat(rejected(step).scope()).isEqualTo(RateLimitScope.conversation);
            assertThat(rejected(step).retryAfterMs()).isEqualTo(700);
            assertThat(((Step.Rejected) step).remember()).isTrue();
            assertThat(rules.decided).hasSize(decidedBefore);
        }

        @Test
        void validatesAMessageAgainstItsAuthorsChannelFromTheState() {
            ConversationAggregate withSms = Given.conversation().sms("MB2", "+15550001", "+15559999").state();
            var elevenFiles = TestCommands.sendMessage(CONVERSATION, "IM1", "+15550001", null,
                    java.util.stream.IntStream.range(0, 11).mapToObj(i -> TestCommands.media("image/png", 10))
                            .toArray(io.convo.model.Media[]::new));
            Step step = pipeline.run(Command.of(elevenFiles), CONVERSATION, withSms, NOW, memory, null);
            assertThat(rejected(step).code()).isEqualTo(RejectionCode.MMS_MEDIA_LIMIT);
        }
    }

    @Nested
    class L10PerConversation {

        @Test
        void admitsThe30thActionOfASecondAndRejectsThe31st() {
            fillTheWindowAt(T0);
            assertThat(counted()).isEqualTo(30);
            Step the31st = run(at(TestCommands.sendMessage(CONVERSATION, "IM1", "alice", "hi"), T0 + 999));
            assertLimit(rejected(the31st), RejectionCode.RATE_LIMITED, 50063, 30, "retry after 1 ms");
            assertThat(counted()).isEqualTo(30);
            assertThat(decided(run(at(TestCommands.sendMessage(CONVERSATION, "IM1", "alice", "hi"), T0 + 1_000))))
                    .isInstanceOf(Decision.Accepted.class);
            assertThat(counted()).isEqualTo(31);
        }

        @Test
        void aCommandRejectedInStep1IsNotAnAction() {
            for (int i = 0; i < 40; i++) {
                assertThat(rejected(run(TestCommands.renameConversation(CONVERSATION, "n".repeat(257)))).code())
                        .isEqualTo(RejectionCode.FRIENDLY_NAME_TOO_LONG);
            }
            assertThat(counted()).isZero();
            fillTheWindowAt(T0);
        }

        @Test
        void aCommandAdmittedInStep2CountsEvenWhenStep3RejectsIt() {
            for (int i = 0; i < 30; i++) {
                Step step = run(TestCommands.removeParticipant(CONVERSATION, "MB-none-" + i));
                assertRejected(Rejections.rejection(decided(step)), RejectionCode.PARTICIPANT_NOT_FOUND, null, "MB-none-" + i);
                assertThat(((Step.Decided) step).counted()).as("counted").isNotNull();
            }
            assertThat(counted()).isEqualTo(30);
            assertThat(rejected(run(TestCommands.renameConversation(CONVERSATION, "n"))).code())
                    .isEqualTo(RejectionCode.RATE_LIMITED);
        }

        @Test
        void aRateLimitedCommandDoesNotCount() {
            fillTheWindowAt(T0);
            for (int i = 0; i < 10; i++) {
                run(at(TestCommands.renameConversation(CONVERSATION, "late"), T0 + 500));
            }
            assertThat(counted()).isEqualTo(30);
        }

        @Test
        void followsAConfiguredLimit() {
            Limits three = Limits.from(Map.of("convo.limits.actions-per-second", "3"));
            CommandPipeline<ConversationAggregate> small =
                    new CommandPipeline<>(RateLimitScope.conversation, three, SKEW, new ConversationRules(three));
            ActionWindowCounts counts = null;
            for (int i = 0; i < 3; i++) {
                Step step = small.run(Command.of(TestCommands.renameConversation(CONVERSATION, "n")), CONVERSATION,
                        state, NOW, memory, counts);
                counts = ((Step.Decided) step).counted();
            }
            Step the4th = small.run(Command.of(TestCommands.renameConversation(CONVERSATION, "n")), CONVERSATION,
                    state, NOW, memory, counts);
            assertLimit(rejected(the4th), RejectionCode.RATE_LIMITED, 50063, 3, "more than 3 actions");
        }
    }

    @Nested
    class ServiceScopedCommandsOfAConversation {

        @Test
        void askTheServiceForStep2AndDoNotCountAgainstTheConversation() {
            fillTheWindowAt(T0);
            Step create = pipeline.run(Command.of(TestCommands.createConversation("CH2")), "CH2",
                    Given.noConversation().state(), NOW, memory, null);
            Step delete = run(TestCommands.deleteConversation(CONVERSATION));
            assertThat(create).isInstanceOf(Step.AskService.class);
            assertThat(delete).isInstanceOf(Step.AskService.class);
            assertThat(rules.decided).hasSize(30);
            assertThat(counted()).isEqualTo(30);
        }

        @Test
        void areValidatedBeforeAsking() {
            var invalid = CreateConversation.newBuilder(TestCommands.createConversation(CONVERSATION))
                    .setFriendlyName("n".repeat(257)).build();
            assertThat(rejected(run(invalid)).code()).isEqualTo(RejectionCode.FRIENDLY_NAME_TOO_LONG);
        }

        @Test
        void whenAdmittedAreDecidedWithoutConversationCounts() {
            Command create = Command.of(TestCommands.createConversation("CH2"));
            Step step = pipeline.afterServiceCheck(create, Given.noConversation().state(), true, null, null);
            assertThat(step).isInstanceOf(Step.Decided.class);
            assertThat(((Step.Decided) step).counted()).isNull();
            assertThat(((Decision.Accepted) decided(step)).events()).singleElement().isInstanceOf(ConversationCreated.class);
        }

        @Test
        void whenAdmittedAreStillDecidedByTheState() {
            Step step = pipeline.afterServiceCheck(Command.of(TestCommands.createConversation(CONVERSATION)), state,
                    true, null, null);
            assertRejected(Rejections.rejection(decided(step)), RejectionCode.CONVERSATION_EXISTS, null,
                    "conversation CH1 already exists");
        }

        @Test
        void whenRefusedForTheRateAreRateLimitedInTheServiceScope() {
            Step step = pipeline.afterServiceCheck(Command.of(TestCommands.createConversation("CH2")),
                    Given.noConversation().state(), false, 400L, null);
            Rejection r = rejected(step);
            assertLimit(r, RejectionCode.RATE_LIMITED, 50063, 30, "in this service", "retry after 400 ms");
            assertThat(r.scope()).isEqualTo(RateLimitScope.service);
            assertThat(r.retryAfterMs()).isEqualTo(400);
            assertThat(((Step.Rejected) step).remember()).isTrue();
        }

        @Test
        void whenRefusedForAnotherReasonAreInvalid() {
            Step step = pipeline.afterServiceCheck(Command.of(TestCommands.deleteConversation(CONVERSATION)), state,
                    false, null, "its rate window is gone");
            assertRejected(rejected(step), RejectionCode.INVALID_COMMAND, null, "its rate window is gone");
        }
    }

    @Nested
    class L10PerService {

        private final CommandPipeline<ServiceAggregate> service = new CommandPipeline<>(RateLimitScope.service,
                Limits.defaults(), SKEW, new ServiceRules(Limits.defaults()));
        private final ServiceAggregate users = new ServiceAggregate(ServiceAggregate.Stores.inMemory(), SERVICE);

        @Test
        void admitsThe30thUserOrRoleActionOfASecondAndRejectsThe31st() {
            ActionWindowCounts counts = null;
            for (int i = 0; i < 30; i++) {
                SpecificRecordBase command = i % 2 == 0 ? TestCommands.createUser("user-" + i) : TestCommands.createRole("RL" + i);
                Step step = service.run(Command.of(at(command, T0 + i * 10)), SERVICE, users, NOW, memory, counts);
                assertThat(decided(step)).isInstanceOf(Decision.Accepted.class);
                counts = ((Step.Decided) step).counted();
            }
            Step the31st = service.run(Command.of(at(TestCommands.deleteUser("user-0"), T0 + 900)), SERVICE, users,
                    NOW, memory, counts);
            Rejection r = rejected(the31st);
            assertLimit(r, RejectionCode.RATE_LIMITED, 50063, 30, "in this service", "retry after 100 ms");
            assertThat(r.scope()).isEqualTo(RateLimitScope.service);
        }

        @Test
        void decidesAnAdmittedCommandAgainstTheService() {
            Step step = service.run(Command.of(TestCommands.createUser("alice")), SERVICE, users, NOW, memory, null);
            assertThat(((Decision.Accepted) decided(step)).events()).singleElement().isInstanceOf(UserCreated.class);
            assertThat(((Step.Decided) step).counted().getCounts()).containsExactly(1);
        }

        @Test
        void itsWindowsAnswerTheConversationsQuestions() {
            ActionWindows windows = service.windows();
            ActionWindows.Admission first = windows.admit(null, T0);
            assertThat(first.admitted()).isTrue();
            assertThat(first.counted().getCounts()).containsExactly(1);
        }
    }
}
