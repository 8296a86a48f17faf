package io.convo.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convo.model.ConversationCommand;
import io.convo.model.DeliveryReceipt;
import io.convo.model.DeliveryStatus;
import io.convo.model.SendMessage;
import io.convo.model.serde.ConvoSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The status-callback and inbound endpoints, without HTTP and without a broker. */
class EndpointsTest {

    private static final long NOW = 1_800_000_000_000L;

    private final MockProducer<String, byte[]> producer =
            new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    private final AckedPublisher publisher = new AckedPublisher(producer, Duration.ofSeconds(5));
    private final BindingDirectory directory = new BindingDirectory();
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private final InboundEndpoint inbound = new InboundEndpoint("conversation-commands",
            ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).serializer(), directory, ready::get, publisher,
            () -> NOW);
    private final MessageRecipients recipients = new MessageRecipients(1_000);
    private final AtomicInteger catchUps = new AtomicInteger();
    private final StatusCallbackEndpoint.Directory caughtUp = new StatusCallbackEndpoint.Directory() {
        @Override
        public boolean ready() {
            return ready.get();
        }

        @Override
        public boolean awaitCaughtUp(Duration timeout) {
            catchUps.incrementAndGet();
            return true;
        }
    };
    private final StatusCallbackEndpoint status = new StatusCallbackEndpoint("delivery-receipts",
            ConvoSerdes.valueSerde(DeliveryReceipt.class, Map.of()).serializer(), recipients, caughtUp, publisher,
            () -> NOW);

    EndpointsTest() {
        recipients.apply(Fixtures.smsParticipant("CH1", "MB1", "+15551230001", "+15559990000"));
        recipients.apply(Fixtures.chatParticipant("CH1", "MB2", "alice", null));
        recipients.apply(Fixtures.messageAdded("CH1", "IM1", 0, "alice"));
        recipients.apply(Fixtures.delivery(io.convo.model.Channel.sms, "CH1", "IM1", "MB1"));
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aStatusCallbackIsProducedAsAReceiptKeyedByConversation() throws Exception {
        JsonReply reply = status.handle(json("""
                {"messageSid":"IM1","participantSid":"MB1","conversationSid":"CH1","status":"delivered"}"""));

        assertThat(reply.status()).isEqualTo(202);
        ProducerRecord<String, byte[]> record = producer.history().get(0);
        assertThat(record.topic()).isEqualTo("delivery-receipts");
        assertThat(record.key()).isEqualTo("CH1");
        Deserializer<DeliveryReceipt> receipts = ConvoSerdes.valueSerde(DeliveryReceipt.class, Map.of()).deserializer();
        DeliveryReceipt receipt = receipts.deserialize("delivery-receipts", record.value());
        assertThat(receipt.getStatus()).isEqualTo(DeliveryStatus.delivered);
        assertThat(receipt.getTimestamp()).isEqualTo(NOW);
    }

    @Test
    void aCallbackForAnUnknownConversationOrMessageIs404AndProducesNothing() throws Exception {
        JsonReply conversation = status.handle(json("""
                {"messageSid":"IM1","participantSid":"MB1","conversationSid":"CHNOPE","status":"delivered"}"""));
        JsonReply message = status.handle(json("""
                {"messageSid":"IMNOPE","participantSid":"MB1","conversationSid":"CH1","status":"delivered"}"""));

        assertThat(conversation.status()).isEqualTo(404);
        assertThat(conversation.body()).containsEntry("error", "CONVERSATION_NOT_FOUND").containsEntry("field",
                "conversationSid");
        assertThat(message.status()).isEqualTo(404);
        assertThat(message.body()).containsEntry("error", "MESSAGE_NOT_FOUND").containsEntry("field", "messageSid");
        assertThat(producer.history()).isEmpty();
        assertThat(catchUps).as("each refusal first reads what was committed before it").hasValue(2);
    }

    @Test
    void aCallbackForAParticipantWhoIsNotARecipientIs409AndProducesNothing() throws Exception {
        JsonReply stranger = status.handle(json("""
                {"messageSid":"IM1","participantSid":"MBNOPE","conversationSid":"CH1","status":"delivered"}"""));
        JsonReply author = status.handle(json("""
                {"messageSid":"IM1","participantSid":"MB2","conversationSid":"CH1","status":"read"}"""));

        assertThat(stranger.status()).isEqualTo(409);
        assertThat(stranger.body()).containsEntry("error", "NOT_A_RECIPIENT").containsEntry("field", "participantSid");
        assertThat(author.status()).isEqualTo(409);
        assertThat((String) author.body().get("message")).contains("author");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void whileTheRecipientsLoadACallbackIsAskedToRetry() throws Exception {
        ready.set(false);

        JsonReply reply = status.handle(json("""
                {"messageSid":"IM1","participantSid":"MB1","conversationSid":"CH1","status":"delivered"}"""));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.headers()).containsEntry("Retry-After", "1");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void aRefusalThatCannotCatchUpInTimeIsAskedToRetryRatherThanRefused() throws Exception {
        StatusCallbackEndpoint behind = new StatusCallbackEndpoint("delivery-receipts",
                ConvoSerdes.valueSerde(DeliveryReceipt.class, Map.of()).serializer(), recipients,
                new StatusCallbackEndpoint.Directory() {
                    @Override
                    public boolean ready() {
                        return true;
                    }

                    @Override
                    public boolean awaitCaughtUp(Duration timeout) {
                        return false;
                    }
                }, publisher, () -> NOW);

        JsonReply reply = behind.handle(json("""
                {"messageSid":"IMNEW","participantSid":"MB1","conversationSid":"CH1","status":"delivered"}"""));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void aMalformedCallbackProducesNothing() {
        assertThatThrownBy(() -> status.handle(json("{\"status\":\"delivered\"}"))).isInstanceOf(InvalidRequestException.class);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void anInboundMessageFromAKnownSenderIsProducedAsSendMessage() throws Exception {
        directory.apply(Fixtures.smsParticipant("CH1", "MB1", "+15551230001", "+15559990000"));

        JsonReply reply = inbound.handle(json("""
                {"serviceSid":"%s","from":"+15551230001","to":"+15559990000","channel":"sms","body":"hi","messageId":"SM1"}"""
                .formatted(Fixtures.SERVICE)));

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.body()).containsEntry("conversationSid", "CH1").containsEntry("participantSid", "MB1");
        ProducerRecord<String, byte[]> record = producer.history().get(0);
        assertThat(record.topic()).isEqualTo("conversation-commands");
        assertThat(record.key()).isEqualTo("CH1");
        assertThat(record.timestamp()).isEqualTo(NOW);
        ConversationCommand envelope = ConvoSerdes.valueSerde(ConversationCommand.class, Map.of()).deserializer()
                .deserialize("conversation-commands", record.value());
        SendMessage command = (SendMessage) envelope.getCommand();
        assertThat(command.getAuthor()).isEqualTo("+15551230001");
        assertThat(command.getCommandId()).isEqualTo(reply.body().get("commandId"));
    }

    @Test
    void anUnknownSenderIs404WithAClearReason() throws Exception {
        JsonReply reply = inbound.handle(json("""
                {"serviceSid":"IS1","from":"+15550000000","to":"+15559990000","channel":"sms","body":"hi"}"""));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body()).containsEntry("error", "UNKNOWN_SENDER");
        assertThat((String) reply.body().get("message")).contains("+15550000000").contains("+15559990000");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void aSenderInSeveralConversationsIs409ListingThem() throws Exception {
        directory.apply(Fixtures.smsParticipant("CH1", "MB1", "+15551230001", "+15559990000"));
        directory.apply(Fixtures.smsParticipant("CH2", "MB2", "+15551230001", "+15559990000"));

        JsonReply reply = inbound.handle(json("""
                {"serviceSid":"%s","from":"+15551230001","to":"+15559990000","channel":"sms","body":"hi"}"""
                .formatted(Fixtures.SERVICE)));

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.body()).containsEntry("conversationSids", java.util.List.of("CH1", "CH2"));
    }

    @Test
    void whileBindingsLoadTheProviderIsAskedToRetry() throws Exception {
        ready.set(false);

        JsonReply reply = inbound.handle(json("""
                {"serviceSid":"IS1","from":"+15550000000","to":"+15559990000","channel":"sms","body":"hi"}"""));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.headers()).containsEntry("Retry-After", "1");
    }

    @Test
    void whenKafkaDoesNotAcknowledgeTheProviderIsAskedToRetry() throws Exception {
        MockProducer<String, byte[]> stuck = new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
        StatusCallbackEndpoint endpoint = new StatusCallbackEndpoint("delivery-receipts",
                ConvoSerdes.valueSerde(DeliveryReceipt.class, Map.of()).serializer(), recipients, caughtUp,
                new AckedPublisher(stuck, Duration.ofMillis(50)), () -> NOW);

        JsonReply reply = endpoint.handle(json("""
                {"messageSid":"IM1","participantSid":"MB1","conversationSid":"CH1","status":"read"}"""));

        assertThat(reply.status()).isEqualTo(503);
    }
}
