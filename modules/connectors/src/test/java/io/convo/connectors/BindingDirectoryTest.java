package io.convo.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.convo.connectors.BindingDirectory.Ambiguous;
import io.convo.connectors.BindingDirectory.Found;
import io.convo.connectors.BindingDirectory.NotFound;
import io.convo.model.BindingType;
import io.convo.model.Channel;
import org.junit.jupiter.api.Test;

class BindingDirectoryTest {

    private static final String S = Fixtures.SERVICE;
    private final BindingDirectory directory = new BindingDirectory();

    @Test
    void findsTheSmsParticipantByAddressAndProxyAddress() {
        directory.apply(Fixtures.smsParticipant("CH1", "MB1", "+15551230001", "+15559990000"));

        assertThat(directory.find(S, null, Channel.sms, "+15551230001", "+15559990000")).isEqualTo(new Found("CH1", "MB1"));
        assertThat(directory.find(S, null, Channel.mms, "+15551230001", "+15559990000")).isEqualTo(new Found("CH1", "MB1"));
    }

    @Test
    void theSameAddressBehindTwoProxyAddressesIsTwoConversations() {
        directory.apply(Fixtures.smsParticipant("CH1", "MB1", "+15551230001", "+15559990000"));
        directory.apply(Fixtures.smsParticipant("CH2", "MB2", "+15551230001", "+15559990002"));

        assertThat(directory.find(S, null, Channel.sms, "+15551230001", "+15559990002")).isEqualTo(new Found("CH2", "MB2"));
    }

    @Test
    void aGroupMmsMemberWritesToAChatParticipantsProjectedAddress() {
        directory.apply(Fixtures.chatParticipant("CH1", "MB0", "alice", "+15559990000"));
        directory.apply(Fixtures.smsParticipant("CH1", "MB1", "+15551230001", null));

        assertThat(directory.find(S, null, Channel.mms, "+15551230001", "+15559990000")).isEqualTo(new Found("CH1", "MB1"));
        assertThat(directory.find(S, null, Channel.mms, "+15551230001", "+15550000000")).isInstanceOf(NotFound.class);
    }

    @Test
    void whatsappAndSmsBindingsDoNotAnswerForEachOther() {
        directory.apply(Fixtures.binding("CH1", "MB1", BindingType.whatsapp, "whatsapp:+15551230001",
                "whatsapp:+15559990000"));
        directory.apply(Fixtures.smsParticipant("CH2", "MB2", "+15551230001", "+15559990000"));

        assertThat(directory.find(S, null, Channel.whatsapp, "whatsapp:+15551230001", "whatsapp:+15559990000"))
                .isEqualTo(new Found("CH1", "MB1"));
        assertThat(directory.find(S, null, Channel.whatsapp, "+15551230001", "+15559990000")).isInstanceOf(NotFound.class);
    }

    @Test
    void anUnknownSenderOrAnotherServiceIsNotFound() {
        directory.apply(Fixtures.smsParticipant("CH1", "MB1", "+15551230001", "+15559990000"));

        assertThat(directory.find(S, null, Channel.sms, "+15550000000", "+15559990000"))
                .isInstanceOfSatisfying(NotFound.class, n -> assertThat(n.reason()).contains("+15550000000"));
        assertThat(directory.find("IS_other", null, Channel.sms, "+15551230001", "+15559990000"))
                .isInstanceOf(NotFound.class);
    }

    @Test
    void aGivenConversationNarrowsTheSearchAndSkipsTheProxyCheck() {
        directory.apply(Fixtures.smsParticipant("CH1", "MB1", "+15551230001", "+15559990000"));
        directory.apply(Fixtures.smsParticipant("CH2", "MB2", "+15551230001", "+15559990000"));

        assertThat(directory.find(S, null, Channel.sms, "+15551230001", "+15559990000"))
                .isEqualTo(new Ambiguous(java.util.List.of("CH1", "CH2")));
        assertThat(directory.find(S, "CH2", Channel.sms, "+15551230001", "anything")).isEqualTo(new Found("CH2", "MB2"));
        assertThat(directory.find(S, "CH3", Channel.sms, "+15551230001", "+15559990000")).isInstanceOf(NotFound.class);
    }

    @Test
    void aRemovedParticipantNoLongerMatches() {
        directory.apply(Fixtures.smsParticipant("CH1", "MB1", "+15551230001", "+15559990000"));

        directory.apply(Fixtures.removed("CH1", "MB1"));

        assertThat(directory.find(S, null, Channel.sms, "+15551230001", "+15559990000")).isInstanceOf(NotFound.class);
        assertThat(directory.size()).isZero();
    }

    @Test
    void closingOrDeletingAConversationReleasesItsBindings() {
        directory.apply(Fixtures.smsParticipant("CH1", "MB1", "+15551230001", "+15559990000"));
        directory.apply(Fixtures.smsParticipant("CH2", "MB2", "+15551230002", "+15559990000"));

        directory.apply(Fixtures.closed("CH1"));
        directory.apply(Fixtures.deleted("CH2"));

        assertThat(directory.find(S, null, Channel.sms, "+15551230001", "+15559990000")).isInstanceOf(NotFound.class);
        assertThat(directory.find(S, null, Channel.sms, "+15551230002", "+15559990000")).isInstanceOf(NotFound.class);
    }

    @Test
    void aReleasedAddressCanJoinAnotherConversation() {
        directory.apply(Fixtures.smsParticipant("CH1", "MB1", "+15551230001", "+15559990000"));
        directory.apply(Fixtures.closed("CH1"));

        directory.apply(Fixtures.smsParticipant("CH2", "MB9", "+15551230001", "+15559990000"));

        assertThat(directory.find(S, null, Channel.sms, "+15551230001", "+15559990000")).isEqualTo(new Found("CH2", "MB9"));
    }
}
