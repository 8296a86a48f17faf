package io.convo.rules.conversation;

import static io.convo.rules.TestCommands.CONVERSATION;
import static io.convo.rules.TestCommands.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.internal.Conversation;
import io.convo.internal.ParticipantState;
import io.convo.model.Channel;
import io.convo.model.ConversationEvent;
import io.convo.model.ConversationState;
import io.convo.model.ConversationUpdated;
import io.convo.model.DeliveryStatus;
import io.convo.model.DeliverySummaryUpdated;
import io.convo.model.ParticipantAdded;
import io.convo.model.ParticipantUpdated;
import io.convo.rules.Snapshots;
import io.convo.rules.identity.MembershipChange;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link ConversationFold#evolve}: each event into the conversation's state (counts, join order, index entries,
 * messages, summaries) and the memberships (L9) it reserves or releases; anomalies change nothing.
 */
class ConversationFoldTest {

    private static MembershipChange reserve(String identity) {
        return MembershipChange.reserve(SERVICE, identity, CONVERSATION);
    }

    private static MembershipChange release(String identity) {
        return MembershipChange.release(SERVICE, identity, CONVERSATION);
    }

    private static ConversationFold.Evolution evolve(Given given, SpecificRecord event) {
        return ConversationFold.evolve(given.state(), event);
    }

    @Nested
    class Conversations {

        @Test
        void aCreatedConversationStartsEmpty() {
            Conversation c = Given.conversation(ConversationState.inactive).state().conversation();
            assertThat(c.getConversationSid()).isEqualTo(CONVERSATION);
            assertThat(c.getServiceSid()).isEqualTo(SERVICE);
            assertThat(c.getState()).isEqualTo(ConversationState.inactive);
            assertThat(c.getFriendlyName()).isEqualTo("a conversation");
            assertThat(c.getNextMessageIndex()).isZero();
            assertThat(c.getParticipants()).isZero();
            assertThat(c.getNonChatParticipants()).isZero();
            assertThat(c.getGroupMmsMembers()).isZero();
            assertThat(c.getJoins()).isZero();
        }

        @Test
        void anUpdateChangesWhatItGivesAndKeepsTheRest() {
            Given given = Given.conversation();
            ConversationUpdated attributes = ConversationUpdated.newBuilder(TestEvents.updated(CONVERSATION,
                    ConversationState.inactive)).setAttributes("{\"x\":1}").build();
            given.fold(attributes);
            Conversation c = given.state().conversation();
            assertThat(c.getState()).isEqualTo(ConversationState.inactive);
            assertThat(c.getAttributes()).isEqualTo("{\"x\":1}");
            assertThat(c.getFriendlyName()).isEqualTo("a conversation");
        }

        @Test
        void aDeletedConversationLeavesNothingBehind() {
            Given given = Given.conversation().chat("MB1", "alice").sms("MB2", "+15550001", "+15559999").messages(2);
            given.fold(DeliverySummaries.decide(io.convo.model.DeliveryReceipt.newBuilder().setMessageSid("IM0")
                    .setConversationSid(CONVERSATION).setParticipantSid("MB2").setStatus(DeliveryStatus.sent)
                    .setTimestamp(1L).build(), given.state().message("IM0"), given.state()));
            given.fold(TestEvents.deleted(CONVERSATION));
            assertThat(Snapshots.of(given.stores())).allSatisfy((store, entries) -> assertThat(entries).as(store).isEmpty());
            assertThat(given.state().exists()).isFalse();
        }

        @Test
        void aConversationCreatedAgainAfterItsDeletionStartsEmpty() {
            Given given = Given.conversation().chat("MB1", "alice").messages(3).fold(TestEvents.deleted(CONVERSATION))
                    .fold(TestEvents.created(CONVERSATION));
            assertThat(given.state().participants()).isEmpty();
            assertThat(given.state().withIdentity("alice")).isNull();
            assertThat(given.state().conversation().getNextMessageIndex()).isZero();
        }

        @Test
        void leavesOtherConversationsAlone() {
            Given given = Given.conversation().chat("MB1", "alice");
            ConversationAggregate other = new ConversationAggregate(given.stores(), "CH10");
            ConversationFold.evolve(other, TestEvents.created("CH10"));
            ConversationFold.evolve(other, TestEvents.chatAdded("CH10", "MB1", "bob"));
            ConversationFold.evolve(other, TestEvents.deleted("CH10"));
            assertThat(given.state().participant("MB1").getIdentity()).isEqualTo("alice");
            assertThat(given.state().conversation().getParticipants()).isEqualTo(1);
        }

        @Test
        void takesAnEventInItsEnvelope() {
            Given given = Given.conversation();
            ConversationFold.evolve(given.state(), new ConversationEvent(TestEvents.chatAdded(CONVERSATION, "MB1", "alice")));
            assertThat(given.state().participant("MB1")).isNotNull();
        }
    }

    @Nested
    class ParticipantEntries {

        @Test
        void countsEachParticipantByKind() {
            Given given = Given.conversation().chat("MB1", "alice").projectedChat("MB2", "pat", "+15551234")
                    .sms("MB3", "+15550001", "+15559999").sms("MB4", "+15550004", null)
                    .whatsapp("MB5", "whatsapp:+1", "whatsapp:+2");
            Conversation c = given.state().conversation();
            assertThat(c.getParticipants()).isEqualTo(5);
            assertThat(c.getNonChatParticipants()).isEqualTo(3);
            assertThat(c.getGroupMmsMembers()).isEqualTo(2);
            assertThat(c.getJoins()).isEqualTo(5);
        }

        @Test
        void keepsTheJoinOrderAndTheIndexAtWhichEachJoined() {
            Given given = Given.conversation().chat("MB-z", "zed").messages(2).chat("MB-a", "amy").sms("MB-m", "+1", "+2");
            assertThat(given.state().participants()).extracting(ParticipantState::getParticipantSid)
                    .containsExactly("MB-z", "MB-a", "MB-m");
            assertThat(given.state().participants()).extracting(ParticipantState::getJoinSeq).containsExactly(0L, 1L, 2L);
            assertThat(given.state().participant("MB-a").getJoinedAtIndex()).isEqualTo(2);
            assertThat(given.state().participant("MB-z").getJoinedAtIndex()).isZero();
        }

        @Test
        void aParticipantWhoLeftAndRejoinedIsLastInJoinOrder() {
            Given given = Given.conversation().chat("MB1", "alice").chat("MB2", "bob")
                    .fold(TestEvents.participantRemoved(CONVERSATION, "MB1", "alice")).chat("MB1", "alice");
            assertThat(given.state().participants()).extracting(ParticipantState::getParticipantSid)
                    .containsExactly("MB2", "MB1");
            assertThat(given.state().conversation().getParticipants()).isEqualTo(2);
            assertThat(given.state().conversation().getJoins()).isEqualTo(3);
        }

        @Test
        void indexesAChatParticipantByIdentityAndABindingByAddressAndProxy() {
            Given given = Given.conversation().chat("MB1", "alice").sms("MB2", "+15550001", "+15559999")
                    .sms("MB3", "+15550003", null);
            ConversationAggregate s = given.state();
            assertThat(s.withIdentity("alice").getParticipantSid()).isEqualTo("MB1");
            assertThat(s.withBinding("+15550001", "+15559999").getParticipantSid()).isEqualTo("MB2");
            assertThat(s.withBinding("+15550001", null)).isNull();
            assertThat(s.withBinding("+15550003", null).getParticipantSid()).isEqualTo("MB3");
            assertThat(s.withBinding("+15550003", "")).as("an empty proxy is not a missing one").isNull();
            assertThat(s.author("+15550001").getParticipantSid()).isEqualTo("MB2");
            assertThat(s.author("alice").getParticipantSid()).isEqualTo("MB1");
            assertThat(s.author("+1555000")).as("an author is a whole address, not a prefix").isNull();
        }

        @Test
        void keepsWhatTheParticipantAddedSaid() {
            ParticipantAdded added = ParticipantAdded.newBuilder(TestEvents.smsAdded(CONVERSATION, "MB1", "+1", "+2"))
                    .setRoleSid("RL1").setAttributes("{}").build();
            ParticipantState p = Given.conversation().fold(added).state().participant("MB1");
            assertThat(p.getChannel()).isEqualTo(Channel.sms);
            assertThat(p.getAddress()).isEqualTo("+1");
            assertThat(p.getProxyAddress()).isEqualTo("+2");
            assertThat(p.getRoleSid()).isEqualTo("RL1");
            assertThat(p.getAttributes()).isEqualTo("{}");
            assertThat(p.getLastReadMessageIndex()).isNull();
        }

        @Test
        void anUpdateChangesWhatItGivesAndKeepsTheRest() {
            Given given = Given.conversation().fold(ParticipantAdded.newBuilder(TestEvents.chatAdded(CONVERSATION, "MB1",
                    "alice")).setRoleSid("RL1").setAttributes("{\"a\":1}").build()).messages(3);
            given.fold(TestEvents.participantUpdated(CONVERSATION, "MB1", 2L));
            given.fold(ParticipantUpdated.newBuilder(TestEvents.participantUpdated(CONVERSATION, "MB1", null))
                    .setRoleSid("RL2").build());
            ParticipantState p = given.state().participant("MB1");
            assertThat(p.getLastReadMessageIndex()).isEqualTo(2);
            assertThat(p.getRoleSid()).isEqualTo("RL2");
            assertThat(p.getAttributes()).isEqualTo("{\"a\":1}");
            assertThat(given.state().withIdentity("alice").getParticipantSid()).isEqualTo("MB1");
        }

        @Test
        void aRemovedParticipantLeavesNoEntryBehindAndIsNoLongerCounted() {
            Given given = Given.conversation().chat("MB1", "alice").sms("MB2", "+15550001", null)
                    .fold(TestEvents.participantRemoved(CONVERSATION, "MB1", "alice"),
                            TestEvents.participantRemoved(CONVERSATION, "MB2", null));
            assertThat(Snapshots.of(given.stores().participants())).isEmpty();
            assertThat(Snapshots.of(given.stores().participantIndex())).isEmpty();
            Conversation c = given.state().conversation();
            assertThat(c.getParticipants()).isZero();
            assertThat(c.getNonChatParticipants()).isZero();
            assertThat(c.getGroupMmsMembers()).isZero();
        }
    }

    @Nested
    class Memberships {

        @Test
        void aChatParticipantReservesItsIdentitysMembershipAndABindingNone() {
            Given given = Given.conversation();
            assertThat(evolve(given, TestEvents.chatAdded(CONVERSATION, "MB1", "alice")).memberships())
                    .containsExactly(reserve("alice"));
            assertThat(evolve(given, TestEvents.smsAdded(CONVERSATION, "MB2", "+1", "+2")).memberships()).isEmpty();
            assertThat(evolve(given, TestEvents.whatsappAdded(CONVERSATION, "MB3", "w:+1", "w:+2")).memberships()).isEmpty();
        }

        @Test
        void removingAChatParticipantReleasesItsMembership() {
            Given given = Given.conversation().chat("MB1", "alice").sms("MB2", "+1", "+2");
            assertThat(evolve(given, TestEvents.participantRemoved(CONVERSATION, "MB1", "alice")).memberships())
                    .containsExactly(release("alice"));
            assertThat(evolve(given, TestEvents.participantRemoved(CONVERSATION, "MB2", null)).memberships()).isEmpty();
        }

        @Test
        void closingReleasesEveryChatParticipantsMembershipOnce() {
            Given given = Given.conversation().chat("MB1", "alice").sms("MB2", "+1", "+2").chat("MB3", "bob");
            assertThat(evolve(given, TestEvents.updated(CONVERSATION, ConversationState.closed)).memberships())
                    .containsExactly(release("alice"), release("bob"));
            assertThat(evolve(given, TestEvents.updated(CONVERSATION, ConversationState.closed)).memberships()).isEmpty();
            assertThat(evolve(given, TestEvents.deleted(CONVERSATION)).memberships())
                    .as("deleting a closed conversation").isEmpty();
        }

        @Test
        void deletingReleasesEveryChatParticipantsMembership() {
            Given given = Given.conversation(ConversationState.inactive).chat("MB1", "alice").sms("MB2", "+1", "+2")
                    .chat("MB3", "bob");
            assertThat(evolve(given, TestEvents.deleted(CONVERSATION)).memberships())
                    .containsExactly(release("alice"), release("bob"));
        }

        @Test
        void goingInactiveOrActiveReleasesNothing() {
            Given given = Given.conversation().chat("MB1", "alice");
            assertThat(evolve(given, TestEvents.updated(CONVERSATION, ConversationState.inactive)).memberships()).isEmpty();
            assertThat(evolve(given, TestEvents.updated(CONVERSATION, ConversationState.active)).memberships()).isEmpty();
        }

        @Test
        void aClosedConversationKeepsItsParticipants() {
            Given given = Given.conversation().chat("MB1", "alice").closed();
            assertThat(given.state().participant("MB1")).isNotNull();
            assertThat(given.state().conversation().getParticipants()).isEqualTo(1);
        }
    }

    @Nested
    class Messages {

        @Test
        void aMessageIsKeptWithItsIndexAndAuthorAndMovesTheNextIndex() {
            Given given = Given.conversation().message("IM-a", "alice", "hi");
            assertThat(given.state().message("IM-a").getIndex()).isZero();
            assertThat(given.state().message("IM-a").getAuthor()).isEqualTo("alice");
            assertThat(given.state().conversation().getNextMessageIndex()).isEqualTo(1);
        }

        @Test
        void aRemovedMessageGoesAndTheNextIndexStays() {
            Given given = Given.conversation().messages(3).fold(TestEvents.messageRemoved(CONVERSATION, "IM2", 2));
            assertThat(given.state().message("IM2")).isNull();
            assertThat(given.state().message("IM1")).isNotNull();
            assertThat(given.state().conversation().getNextMessageIndex()).isEqualTo(3);
        }

        @Test
        void anUpdatedMessageChangesNoState() {
            Given given = Given.conversation().messages(1);
            var before = Snapshots.of(given.stores());
            ConversationFold.Evolution e = evolve(given, TestEvents.messageUpdated(CONVERSATION, "IM0", 0, "edited"));
            assertThat(e.changes()).isEmpty();
            assertThat(e.anomaly()).isNull();
            assertThat(Snapshots.of(given.stores())).isEqualTo(before);
        }

        @Test
        void aSummaryEventKeepsTheRecipientsStatusAndTheCounts() {
            Given given = Given.conversation().messages(1);
            given.fold(DeliverySummaryUpdated.newBuilder().setTimestamp(1L).setConversationSid(CONVERSATION)
                    .setMessageSid("IM0").setIndex(0).setParticipantSid("MB1").setStatus(DeliveryStatus.delivered)
                    .setSent(1).setDelivered(2).setRead(3).setFailed(4).setUndelivered(5).build());
            assertThat(given.state().status("IM0", "MB1")).isEqualTo(DeliveryStatus.delivered);
            assertThat(given.state().summary("IM0").getDelivered()).isEqualTo(2);
            assertThat(given.state().summary("IM0").getUndelivered()).isEqualTo(5);
            assertThat(given.state().status("IM0", "MB2")).isNull();
        }
    }

    @Nested
    class Anomalies {

        @Test
        void anEventOfAConversationThatDoesNotExistChangesNothing() {
            Given none = Given.noConversation();
            for (SpecificRecord event : List.<SpecificRecord>of(TestEvents.chatAdded(CONVERSATION, "MB1", "alice"),
                    TestEvents.messageAdded(CONVERSATION, "IM0", 0, "alice", "hi"), TestEvents.deleted(CONVERSATION),
                    TestEvents.updated(CONVERSATION, ConversationState.closed))) {
                ConversationFold.Evolution e = evolve(none, event);
                assertThat(e.anomaly()).contains(event.getSchema().getName(), "for a conversation that does not exist");
                assertThat(e.changes()).isEmpty();
                assertThat(e.memberships()).isEmpty();
            }
            assertThat(Snapshots.of(none.stores())).allSatisfy((store, entries) -> assertThat(entries).isEmpty());
        }

        @Test
        void anUpdateOrRemovalOfAParticipantWhoIsNotInChangesNothing() {
            Given given = Given.conversation().chat("MB1", "alice");
            var before = Snapshots.of(given.stores());
            assertThat(evolve(given, TestEvents.participantUpdated(CONVERSATION, "MB9", 1L)).anomaly())
                    .contains("ParticipantUpdated for participant MB9");
            assertThat(evolve(given, TestEvents.participantRemoved(CONVERSATION, "MB9", "zoe")).anomaly())
                    .contains("ParticipantRemoved for participant MB9");
            assertThat(Snapshots.of(given.stores())).isEqualTo(before);
        }

        @Test
        void anEventOfAnotherAggregateIsAnomalous() {
            Given given = Given.conversation();
            assertThat(evolve(given, new io.convo.model.UserCreated("c", SERVICE, 1L, "alice", null, null, null)).anomaly())
                    .contains("unknown event io.convo.model.UserCreated");
        }
    }

    @Test
    void changesDerivesWithoutApplying() {
        Given given = Given.conversation().chat("MB1", "alice");
        var before = Snapshots.of(given.stores());
        ConversationFold.Evolution e = ConversationFold.changes(given.state(), TestEvents.participantRemoved(CONVERSATION,
                "MB1", "alice"));
        assertThat(e.changes()).hasSize(2);
        assertThat(Snapshots.of(given.stores())).isEqualTo(before);
    }

    @Test
    void replayingTheSameEventsBuildsTheSameState() {
        List<SpecificRecord> log = List.of(TestEvents.created(CONVERSATION), TestEvents.chatAdded(CONVERSATION, "MB1", "alice"),
                TestEvents.smsAdded(CONVERSATION, "MB2", "+1", null), TestEvents.messageAdded(CONVERSATION, "IM0", 0, "alice", "a"),
                TestEvents.participantUpdated(CONVERSATION, "MB1", 0L), TestEvents.messageRemoved(CONVERSATION, "IM0", 0),
                TestEvents.participantRemoved(CONVERSATION, "MB2", null), TestEvents.chatAdded(CONVERSATION, "MB3", "bob"));
        Given first = Given.noConversation().fold(log.toArray(SpecificRecord[]::new));
        Given second = Given.noConversation().fold(log.toArray(SpecificRecord[]::new));
        assertThat(Snapshots.of(second.stores())).isEqualTo(Snapshots.of(first.stores()));
        assertThat(second.memberships()).isEqualTo(first.memberships()).containsExactly(reserve("alice"), reserve("bob"));
    }
}
