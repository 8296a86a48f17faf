package io.convo.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.connectors.MessageRecipients.NotRecipient;
import io.convo.connectors.MessageRecipients.Recipient;
import io.convo.connectors.MessageRecipients.UnknownConversation;
import io.convo.connectors.MessageRecipients.UnknownMessage;
import io.convo.model.Channel;
import io.convo.model.Delivery;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who a message was delivered to, as the status endpoint believes it: the rules of {@link MessageRecipients}. */
class MessageRecipientsTest {

    private final MessageRecipients recipients = new MessageRecipients(1_000);

    private MessageRecipients.Verdict check(String conversation, String message, String participant) {
        return recipients.check(conversation, message, participant);
    }

    private static Delivery delivery(Channel channel, String message, long index, String participant) {
        Delivery d = Fixtures.delivery(channel, "CH1", message, participant);
        d.setIndex(index);
        return d;
    }

    @Test
    void aNonChatParticipantIsARecipientWhenADeliveryOfTheMessageNamesIt() {
        recipients.apply(Fixtures.smsParticipant("CH1", "MB1", "+15551230001", "+15559990000"));
        recipients.apply(Fixtures.smsParticipant("CH1", "MB2", "+15551230002", "+15559990000"));
        recipients.apply(Fixtures.messageAdded("CH1", "IM1", 0, "alice"));
        recipients.apply(delivery(Channel.sms, "IM1", 0, "MB1"));

        assertThat(check("CH1", "IM1", "MB1")).isInstanceOf(Recipient.class);
        // MB2 got no delivery (e.g. OUTBOUND_BODY_TOO_LONG at fan-out): no provider can report on it.
        assertThat(check("CH1", "IM1", "MB2")).isInstanceOf(NotRecipient.class);
    }

    @Test
    void aMessageExistsOnlyOnceItsMessageAddedIsReadWhateverOrderTheTopicsAreReadIn() {
        recipients.apply(Fixtures.smsParticipant("CH1", "MB1", "+15551230001", "+15559990000"));
        recipients.apply(delivery(Channel.sms, "IM1", 0, "MB1"));

        assertThat(check("CH1", "IM1", "MB1")).isInstanceOf(UnknownMessage.class);

        recipients.apply(Fixtures.messageAdded("CH1", "IM1", 0, "alice"));

        assertThat(check("CH1", "IM1", "MB1")).isInstanceOf(Recipient.class);
    }

    @Test
    void anUnknownConversationAndAnUnknownMessageOfAKnownOneAreToldApart() {
        recipients.apply(Fixtures.chatParticipant("CH1", "MB1", "alice", null));

        assertThat(check("CHNOPE", "IM1", "MB1")).isInstanceOf(UnknownConversation.class);
        assertThat(check("CH1", "IMNOPE", "MB1")).isInstanceOf(UnknownMessage.class);
    }

    @Test
    void aChatParticipantIsARecipientOfWhatWasSentWhileItWasThereExceptItsOwnMessages() {
        recipients.apply(Fixtures.chatParticipant("CH1", "MB-alice", "alice", null));
        recipients.apply(Fixtures.messageAdded("CH1", "IM0", 0, "alice"));
        recipients.apply(Fixtures.chatParticipant("CH1", "MB-bob", "bob", null));
        recipients.apply(Fixtures.messageAdded("CH1", "IM1", 1, "alice"));
        recipients.apply(Fixtures.removed("CH1", "MB-bob"));
        recipients.apply(Fixtures.messageAdded("CH1", "IM2", 2, "alice"));

        assertThat(check("CH1", "IM0", "MB-bob")).as("joined after it").isInstanceOf(NotRecipient.class);
        assertThat(check("CH1", "IM1", "MB-bob")).as("there when it was sent").isInstanceOf(Recipient.class);
        assertThat(check("CH1", "IM2", "MB-bob")).as("left before it").isInstanceOf(NotRecipient.class);
        assertThat(check("CH1", "IM1", "MB-alice")).as("its author").isInstanceOf(NotRecipient.class);
        assertThat(check("CH1", "IM1", "MBNOPE")).isInstanceOf(NotRecipient.class);
    }

    @Test
    void aGroupMmsReachesEveryAddressItListsThatWasInTheConversation() {
        recipients.apply(Fixtures.smsParticipant("CH1", "MB1", "+15551230001", null));
        recipients.apply(Fixtures.smsParticipant("CH1", "MB2", "+15551230002", null));
        recipients.apply(Fixtures.chatParticipant("CH1", "MB-alice", "alice", "+15559990000"));
        recipients.apply(Fixtures.messageAdded("CH1", "IM1", 0, "alice"));
        Delivery group = delivery(Channel.mms, "IM1", 0, "MB1");
        group.setRecipients(List.of("+15551230001", "+15551230002"));
        recipients.apply(group);
        recipients.apply(Fixtures.smsParticipant("CH1", "MB3", "+15551230003", null));

        assertThat(check("CH1", "IM1", "MB1")).isInstanceOf(Recipient.class);
        assertThat(check("CH1", "IM1", "MB2")).as("named by address only").isInstanceOf(Recipient.class);
        assertThat(check("CH1", "IM1", "MB3")).as("joined after it").isInstanceOf(NotRecipient.class);
    }

    @Test
    void aRemovedMessageAndADeletedConversationAreForgotten() {
        recipients.apply(Fixtures.smsParticipant("CH1", "MB1", "+15551230001", "+15559990000"));
        recipients.apply(Fixtures.messageAdded("CH1", "IM1", 0, "alice"));
        recipients.apply(Fixtures.messageAdded("CH1", "IM2", 1, "alice"));
        recipients.apply(delivery(Channel.sms, "IM1", 0, "MB1"));
        recipients.apply(delivery(Channel.sms, "IM2", 1, "MB1"));

        recipients.apply(Fixtures.messageRemoved("CH1", "IM1", 0));

        assertThat(check("CH1", "IM1", "MB1")).isInstanceOf(UnknownMessage.class);
        assertThat(check("CH1", "IM2", "MB1")).isInstanceOf(Recipient.class);

        recipients.apply(Fixtures.deleted("CH1"));
        // A delivery read after the deletion (the topics are read side by side) does not bring it back.
        recipients.apply(delivery(Channel.sms, "IM2", 1, "MB1"));

        assertThat(check("CH1", "IM2", "MB1")).isInstanceOf(UnknownConversation.class);
    }

    @Test
    void theMessagesOfAClosedConversationCanStillBeReportedOn() {
        recipients.apply(Fixtures.chatParticipant("CH1", "MB-alice", "alice", null));
        recipients.apply(Fixtures.chatParticipant("CH1", "MB-bob", "bob", null));
        recipients.apply(Fixtures.messageAdded("CH1", "IM1", 0, "alice"));
        recipients.apply(Fixtures.closed("CH1"));

        assertThat(check("CH1", "IM1", "MB-bob")).isInstanceOf(Recipient.class);
    }

    @Test
    void beyondItsBoundTheOldestMessagesAreForgottenWithTheDepartedParticipantsOnlyTheyNeeded() {
        MessageRecipients small = new MessageRecipients(10);
        small.apply(Fixtures.chatParticipant("CH1", "MB-alice", "alice", null));
        small.apply(Fixtures.chatParticipant("CH1", "MB-bob", "bob", null));
        small.apply(Fixtures.messageAdded("CH1", "IM0", 0, "alice"));
        small.apply(Fixtures.removed("CH1", "MB-bob")); // kept: IM0 went to bob
        for (int i = 1; i <= 20; i++) {
            small.apply(Fixtures.messageAdded("CH1", "IM" + i, i, "alice"));
            assertThat(small.entries()).isLessThanOrEqualTo(10);
        }

        assertThat(small.check("CH1", "IM0", "MB-bob")).isInstanceOf(UnknownMessage.class);
        assertThat(small.check("CH1", "IM20", "MB-alice")).as("its author").isInstanceOf(NotRecipient.class);
        assertThat(small.messages()).isEqualTo(10);
        assertThat(small.entries()).as("bob's stay is forgotten with IM0").isEqualTo(10);
    }

    @Test
    void aConversationWhoseParticipantsAllLeftIsDroppedOnceNoneOfItsMessagesIsRemembered() {
        MessageRecipients small = new MessageRecipients(2);
        small.apply(Fixtures.chatParticipant("CH1", "MB-bob", "bob", null));
        small.apply(Fixtures.messageAdded("CH1", "IM1", 0, "alice"));
        small.apply(Fixtures.removed("CH1", "MB-bob"));
        small.apply(Fixtures.chatParticipant("CH2", "MB-carol", "carol", null));
        small.apply(Fixtures.messageAdded("CH2", "IM2", 0, "dave"));
        small.apply(Fixtures.messageAdded("CH2", "IM3", 1, "dave"));

        assertThat(small.check("CH1", "IM1", "MB-bob")).isInstanceOf(UnknownConversation.class);
        assertThat(small.check("CH2", "IM3", "MB-carol")).isInstanceOf(Recipient.class);
    }
}
