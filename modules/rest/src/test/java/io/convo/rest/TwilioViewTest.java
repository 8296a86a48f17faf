package io.convo.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.BindingType;
import io.convo.model.Channel;
import io.convo.model.CommandRejected;
import io.convo.model.ConversationCreated;
import io.convo.model.ConversationDeleted;
import io.convo.model.ConversationEvent;
import io.convo.model.ConversationState;
import io.convo.model.MessageAdded;
import io.convo.model.MessageUpdated;
import io.convo.model.MessagingBinding;
import io.convo.model.ParticipantAdded;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What the REST front keeps beside the rules' state, and when a waiting write learns its outcome. */
class TwilioViewTest {

    private final Outcomes outcomes = new Outcomes();
    private final TwilioView view = new TwilioView(outcomes);

    private void apply(Object event) {
        view.conversationEvent("CH1", new ConversationEvent(event));
    }

    private static ConversationCreated created(String commandId, long at) {
        return ConversationCreated.newBuilder().setCommandId(commandId).setServiceSid("IS1").setTimestamp(at)
                .setConversationSid("CH1").setUniqueName("support").setState(ConversationState.active).build();
    }

    @Test
    void aWaitingWriteLearnsItsOutcomeOnlyOnceWhatWasReadWithItIsApplied() {
        CompletableFuture<Outcomes.Outcome> created = outcomes.expect("c1");
        CompletableFuture<Outcomes.Outcome> refused = outcomes.expect("c2");
        apply(created("c1", 1_000));
        view.rejection("CH1", CommandRejected.newBuilder().setCommandId("c2").setCommandType("AddParticipant")
                .setKey("CH1").setCode("PARTICIPANT_LIMIT").setReason("full").setTimestamp(0).build());
        assertThat(created).isNotDone();
        view.caughtUp();
        assertThat(created.join()).isEqualTo(new Outcomes.Accepted("ConversationCreated"));
        assertThat(refused.join()).isInstanceOfSatisfying(Outcomes.Rejected.class,
                r -> assertThat(r.rejection().getCode()).isEqualTo("PARTICIPANT_LIMIT"));
    }

    @Test
    void keepsDatesBodiesUniqueNamesAndAddressesUntilTheConversationIsDeleted() {
        apply(created("c1", 1_000));
        apply(ParticipantAdded.newBuilder().setCommandId("c2").setServiceSid("IS1").setTimestamp(2_000)
                .setConversationSid("CH1").setParticipantSid("MB1").setChannel(Channel.sms)
                .setMessagingBinding(MessagingBinding.newBuilder().setType(BindingType.sms).setAddress("+1555").build())
                .build());
        apply(MessageAdded.newBuilder().setCommandId("c3").setServiceSid("IS1").setTimestamp(3_000)
                .setConversationSid("CH1").setMessageSid("IM1").setIndex(0).setAuthor("alice").setBody("hi").build());
        apply(MessageUpdated.newBuilder().setCommandId("c4").setServiceSid("IS1").setTimestamp(4_000)
                .setConversationSid("CH1").setMessageSid("IM1").setIndex(0).setBody("edited").build());

        assertThat(view.byUniqueName("IS1", "support")).isEqualTo("CH1");
        assertThat(view.conversationsOfAddress("IS1", "+1555")).containsExactly("CH1");
        assertThat(view.message("CH1", "IM1").body()).isEqualTo("edited");
        assertThat(view.message("CH1", "IM1").dates()).isEqualTo(new TwilioView.Dates(3_000, 4_000));
        assertThat(view.participant("CH1", "MB1")).isEqualTo(new TwilioView.Dates(2_000, 2_000));

        apply(ConversationDeleted.newBuilder().setCommandId("c5").setServiceSid("IS1").setTimestamp(5_000)
                .setConversationSid("CH1").build());
        assertThat(view.byUniqueName("IS1", "support")).isNull();
        assertThat(view.conversationsOfAddress("IS1", "+1555")).isEmpty();
        assertThat(view.message("CH1", "IM1")).isNull();
        assertThat(view.conversations("IS1")).isEmpty();
    }
}
