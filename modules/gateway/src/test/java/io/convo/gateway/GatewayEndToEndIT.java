package io.convo.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convo.model.TopicNames;
import io.convo.rules.permission.DefaultRoles;
import io.convo.testkit.KafkaBrokerExtension;
import io.convo.testkit.KafkaTestClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SPEC §7 end to end: chat clients on a gateway in front of the real topology on an embedded broker.
 */
class GatewayEndToEndIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static ConvoStack convo;
    private static GatewayServer gateway;

    @BeforeAll
    static void start() {
        convo = ConvoStack.start(kafka.bootstrapServers());
        gateway = new GatewayServer(convo.gatewayConfig(Map.of(GatewayConfig.SERVICE_SID, ConvoStack.SERVICE)));
        gateway.start();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (convo != null) {
            convo.close();
        }
    }

    private static ChatClient connect(String identity) {
        return ChatClient.connect(gateway.url(), ConvoStack.token(identity, "AC-e2e"));
    }

    private static String sendMessage(String commandId, String conversationSid, String messageSid, String body) {
        return "{\"type\":\"SendMessage\",\"commandId\":\"" + commandId + "\",\"conversationSid\":\"" + conversationSid
                + "\",\"messageSid\":\"" + messageSid + "\",\"body\":\"" + body + "\"}";
    }

    @Test
    void twoChatClientsInOneConversationExchangeMessagesLive() {
        convo.conversation("CH-live", "alice", "bob");
        try (ChatClient alice = connect("alice"); ChatClient bob = ChatClient.connectWithHeader(gateway.url(),
                ConvoStack.token("bob", "AC-e2e"))) {
            alice.send(sendMessage("c-live-1", "CH-live", "IM-live-1", "hi bob"));
            JsonNode added = alice.outcome("c-live-1");
            assertThat(added.path("topic").asText()).isEqualTo("conversation-events");
            assertThat(added.path("value").path("type").asText()).isEqualTo("MessageAdded");
            assertThat(added.path("value").path("index").asLong()).isZero();

            JsonNode delivered = bob.await(f -> "Delivery".equals(f.path("value").path("type").asText()));
            assertThat(delivered.path("topic").asText()).isEqualTo("delivery-chat");
            assertThat(delivered.path("value").path("body").asText()).isEqualTo("hi bob");
            assertThat(delivered.path("value").path("author").asText()).isEqualTo("alice");
            assertThat(delivered.path("value").path("to").asText()).isEqualTo("bob");

            bob.send(sendMessage("c-live-2", "CH-live", "IM-live-2", "hi alice"));
            assertThat(bob.outcome("c-live-2").path("value").path("index").asLong()).isEqualTo(1);
            JsonNode reply = alice.await(f -> "Delivery".equals(f.path("value").path("type").asText()));
            assertThat(reply.path("value").path("body").asText()).isEqualTo("hi alice");
            assertThat(alice.pending()).as("the author gets no delivery of its own message")
                    .noneMatch(f -> "IM-live-1".equals(f.path("value").path("messageSid").asText(null))
                            && "Delivery".equals(f.path("value").path("type").asText()));
        }
    }

    @Test
    void aMessageReachesTheChatParticipantsOfItsPlaceInTheLogEachFrameNamingItsRecipient() {
        convo.conversation("CH-span", "lena", "mo", "nina");
        try (ChatClient lena = connect("lena"); ChatClient mo = connect("mo"); ChatClient nina = connect("nina");
             ChatClient oscar = connect("oscar")) {
            convo.run("{\"type\":\"RemoveParticipant\",\"conversationSid\":\"CH-span\",\"participantSid\":\"MB-nina\"}");
            lena.send(sendMessage("c-span-1", "CH-span", "IM-span-1", "before oscar"));
            lena.outcome("c-span-1");
            JsonNode first = mo.await(f -> "Delivery".equals(f.path("value").path("type").asText()));
            assertThat(first.path("topic").asText()).isEqualTo("delivery-chat");
            assertThat(first.path("value").path("messageSid").asText()).isEqualTo("IM-span-1");
            assertThat(first.path("value").path("to").asText()).isEqualTo("mo");
            assertThat(first.path("value").path("participantSid").asText()).isEqualTo("MB-mo");

            convo.run("{\"type\":\"AddParticipant\",\"conversationSid\":\"CH-span\",\"participantSid\":\"MB-oscar\","
                    + "\"identity\":\"oscar\"}");
            lena.send(sendMessage("c-span-2", "CH-span", "IM-span-2", "after oscar"));
            lena.outcome("c-span-2");
            JsonNode toOscar = oscar.await(f -> "Delivery".equals(f.path("value").path("type").asText()));
            assertThat(toOscar.path("value").path("messageSid").asText()).as("oscar joined after the first")
                    .isEqualTo("IM-span-2");
            assertThat(toOscar.path("value").path("to").asText()).isEqualTo("oscar");
            assertThat(mo.await(f -> "Delivery".equals(f.path("value").path("type").asText()))
                    .path("value").path("messageSid").asText()).isEqualTo("IM-span-2");
            assertThat(nina.pending()).as("nina left before both messages")
                    .noneMatch(f -> "Delivery".equals(f.path("value").path("type").asText()));
        }
    }

    @Test
    void eachDeliveryGoesToAllConnectionsOfItsIdentity() {
        convo.conversation("CH-multi", "carol", "dave");
        try (ChatClient carol = connect("carol"); ChatClient davePhone = connect("dave");
             ChatClient daveLaptop = connect("dave")) {
            carol.send(sendMessage("c-multi-1", "CH-multi", "IM-multi-1", "to both of dave's devices"));
            carol.outcome("c-multi-1");
            for (ChatClient device : List.of(davePhone, daveLaptop)) {
                JsonNode d = device.await(f -> "Delivery".equals(f.path("value").path("type").asText()));
                assertThat(d.path("value").path("messageSid").asText()).isEqualTo("IM-multi-1");
            }
        }
    }

    @Test
    void refusesMissingForgedExpiredAndOtherServiceTokensWith401BeforeTheUpgrade() {
        TokenIssuer forger = new TokenIssuer("not-the-secret-but-also-32-bytes-long!!".getBytes(StandardCharsets.UTF_8));
        TokenIssuer issuer = new TokenIssuer(ConvoStack.SECRET.getBytes(StandardCharsets.UTF_8));
        Instant inAnHour = Instant.now().plus(Duration.ofHours(1));
        String forged = forger.issue("alice", ConvoStack.SERVICE, "AC-e2e", inAnHour);
        String expired = issuer.issue("alice", ConvoStack.SERVICE, "AC-e2e", Instant.now().minus(Duration.ofMinutes(5)));
        String otherService = issuer.issue("alice", "IS-other", "AC-e2e", inAnHour);
        String garbage = "not.a.jwt";

        assertThat(ChatClient.refused(gateway.url(), null).status()).isEqualTo(401);
        for (String token : List.of(forged, expired, otherService, garbage)) {
            assertThat(ChatClient.refused(gateway.url(), token).status()).as(token).isEqualTo(401);
        }
        assertThat(gateway.openConnections()).isZero();
    }

    @Test
    void aClientCannotSendAsAnotherIdentity() {
        convo.conversation("CH-forge", "erin", "frank");
        try (ChatClient erin = connect("erin"); ChatClient frank = connect("frank")) {
            erin.send("{\"type\":\"SendMessage\",\"commandId\":\"c-forge-1\",\"conversationSid\":\"CH-forge\","
                    + "\"messageSid\":\"IM-forge-1\",\"author\":\"frank\",\"serviceSid\":\"IS-other\",\"body\":\"I am frank\"}");
            JsonNode added = erin.outcome("c-forge-1");
            assertThat(added.path("value").path("author").asText()).isEqualTo("erin");
            assertThat(added.path("value").path("serviceSid").asText()).isEqualTo(ConvoStack.SERVICE);
            JsonNode delivered = frank.await(f -> "Delivery".equals(f.path("value").path("type").asText()));
            assertThat(delivered.path("value").path("author").asText()).isEqualTo("erin");
        }
    }

    @Test
    void aClientCannotActInAConversationItIsNotInAndNothingIsProduced() {
        convo.conversation("CH-private", "grace", "heidi");
        try (KafkaConsumer<String, String> commands = KafkaTestClients.consumer(kafka.bootstrapServers());
             ChatClient mallory = connect("mallory")) {
            mallory.send(sendMessage("c-intrude-1", "CH-private", "IM-intrude-1", "let me in"));
            mallory.send("{\"type\":\"AddParticipant\",\"commandId\":\"c-intrude-2\",\"conversationSid\":\"CH-private\","
                    + "\"participantSid\":\"MB-mallory\",\"identity\":\"mallory\"}");
            mallory.send("{\"type\":\"CreateConversation\",\"commandId\":\"c-intrude-3\",\"conversationSid\":\"CH-mine\"}");
            for (String id : List.of("c-intrude-1", "c-intrude-2", "c-intrude-3")) {
                JsonNode rejected = mallory.outcome(id);
                assertThat(rejected.path("topic").asText()).isEqualTo("command-rejections");
                assertThat(rejected.path("value").path("code").asText()).as(id).isEqualTo("PARTICIPANT_NOT_FOUND");
            }
            List<ConsumerRecord<String, String>> produced = KafkaTestClients.consumeUntil(commands,
                    List.of(TopicNames.CONVERSATION_COMMANDS), Integer.MAX_VALUE, Duration.ofSeconds(3));
            List<String> values = new ArrayList<>();
            produced.forEach(r -> values.add(r.value()));
            assertThat(values).noneMatch(v -> v.contains("c-intrude-"));
        }
    }

    @Test
    void serviceCommandsAndMalformedFramesAreAnsweredInvalidCommand() {
        convo.conversation("CH-bad", "ivan");
        try (ChatClient ivan = connect("ivan")) {
            ivan.send("{\"type\":\"CreateUser\",\"commandId\":\"c-bad-1\",\"identity\":\"ivan2\"}");
            assertThat(ivan.outcome("c-bad-1").path("value").path("code").asText()).isEqualTo("INVALID_COMMAND");
            ivan.send("{\"type\":\"SendMessage\",\"commandId\":\"c-bad-2\",\"conversationSid\":\"CH-bad\",\"body\":42}");
            JsonNode wrongType = ivan.outcome("c-bad-2");
            assertThat(wrongType.path("value").path("code").asText()).isEqualTo("INVALID_COMMAND");
            assertThat(wrongType.path("value").path("reason").asText()).contains("body");
            ivan.send("not json");
            JsonNode notJson = ivan.await(f -> "INVALID_COMMAND".equals(f.path("value").path("code").asText())
                    && f.path("value").path("commandId").asText().isEmpty());
            assertThat(notJson.path("value").path("reason").asText()).contains("not JSON");
            assertThat(ivan.isClosed()).isFalse();
        }
    }

    @Test
    void catchUpAfterReconnectReturnsExactlyTheMissedMessagesInOrderBeforeNewOnes() {
        convo.conversation("CH-catchup", "judy", "ken");
        try (ChatClient judy = connect("judy")) {
            ChatClient ken = connect("ken");
            judy.send(sendMessage("c-cu-0", "CH-catchup", "IM-cu-0", "m0"));
            judy.outcome("c-cu-0");
            JsonNode first = ken.await(f -> "Delivery".equals(f.path("value").path("type").asText()));
            long lastSeen = first.path("value").path("index").asLong();
            assertThat(lastSeen).isZero();
            ken.abort(); // ken goes offline

            for (int i = 1; i <= 5; i++) {
                judy.send(sendMessage("c-cu-" + i, "CH-catchup", "IM-cu-" + i, "m" + i));
                judy.outcome("c-cu-" + i);
            }
            judy.send("{\"type\":\"RemoveMessage\",\"commandId\":\"c-cu-rm\",\"conversationSid\":\"CH-catchup\","
                    + "\"messageSid\":\"IM-cu-3\"}");
            judy.outcome("c-cu-rm");

            try (ChatClient kenAgain = connect("ken")) {
                kenAgain.send("{\"type\":\"CatchUp\",\"commandId\":\"cu-1\",\"conversationSid\":\"CH-catchup\","
                        + "\"afterIndex\":" + lastSeen + "}");
                judy.send(sendMessage("c-cu-6", "CH-catchup", "IM-cu-6", "m6, live"));
                List<Long> indexes = new ArrayList<>();
                JsonNode frame;
                while (!"CatchUpComplete".equals((frame = kenAgain.next()).path("type").asText())) {
                    assertThat(frame.path("value").path("type").asText()).isEqualTo("MessageAdded");
                    indexes.add(frame.path("value").path("index").asLong());
                }
                assertThat(frame.path("commandId").asText()).isEqualTo("cu-1");
                assertThat(frame.path("complete").asBoolean()).isTrue();
                long lastIndex = frame.path("lastIndex").asLong();
                assertThat(lastIndex).isBetween(5L, 6L);
                // m6, sent while the catch-up ran, comes exactly once: in the catch-up if the log had it, else live.
                List<Long> expected = lastIndex == 6 ? List.of(1L, 2L, 4L, 5L, 6L) : List.of(1L, 2L, 4L, 5L);
                assertThat(indexes).as("missed messages in order, the removed one (3) excluded")
                        .containsExactlyElementsOf(expected);
                JsonNode next = lastIndex == 6
                        ? null // m6 was already in the log: the catch-up covered it, no duplicate comes live
                        : kenAgain.next();
                if (next != null) {
                    assertThat(next.path("value").path("type").asText()).isEqualTo("Delivery");
                    assertThat(next.path("value").path("index").asLong()).isEqualTo(6);
                }
                judy.send(sendMessage("c-cu-7", "CH-catchup", "IM-cu-7", "m7, live"));
                JsonNode live = kenAgain.next();
                assertThat(live.path("value").path("type").asText()).isEqualTo("Delivery");
                assertThat(live.path("value").path("index").asLong()).isEqualTo(7);
            }
        }
    }

    @Test
    void catchUpOnAConversationTheIdentityIsNotInIsRefused() {
        convo.conversation("CH-closed-club", "leo");
        try (ChatClient mallory = connect("mallory")) {
            mallory.send("{\"type\":\"CatchUp\",\"commandId\":\"cu-x\",\"conversationSid\":\"CH-closed-club\",\"afterIndex\":-1}");
            assertThat(mallory.outcome("cu-x").path("value").path("code").asText()).isEqualTo("PARTICIPANT_NOT_FOUND");
        }
    }

    /** Issue 15: the gateway names the connection's identity as acting, and its role decides (SPEC §9). */
    @Test
    void aChannelUserIsRefusedChangingAnotherParticipantOrMessageAndAChannelAdminIsNot() {
        convo.conversation("CH-roles", "alice", "bob");
        convo.run("{\"type\":\"AddParticipant\",\"conversationSid\":\"CH-roles\",\"participantSid\":\"MB-carol\","
                + "\"identity\":\"carol\",\"roleSid\":\"" + DefaultRoles.CHANNEL_ADMIN.sid(ConvoStack.SERVICE) + "\"}");
        try (ChatClient alice = connect("alice"); ChatClient bob = connect("bob"); ChatClient carol = connect("carol")) {
            bob.send(sendMessage("c-roles-1", "CH-roles", "IM-bob", "from bob"));
            assertThat(bob.outcome("c-roles-1").path("value").path("type").asText()).isEqualTo("MessageAdded");

            String moveBobsHorizon = "{\"type\":\"UpdateParticipant\",\"commandId\":\"%s\",\"conversationSid\":\"CH-roles\","
                    + "\"participantSid\":\"MB-bob\",\"lastReadMessageIndex\":0}";
            String editBobsMessage = "{\"type\":\"UpdateMessage\",\"commandId\":\"%s\",\"conversationSid\":\"CH-roles\","
                    + "\"messageSid\":\"IM-bob\",\"body\":\"edited by %s\"}";
            alice.send(moveBobsHorizon.formatted("c-roles-2"));
            alice.send(editBobsMessage.formatted("c-roles-3", "alice"));
            for (String[] refused : new String[][] {{"c-roles-2", "editAnyParticipantAttributes"},
                    {"c-roles-3", "editAnyMessage"}}) {
                JsonNode outcome = alice.outcome(refused[0]);
                assertThat(outcome.path("topic").asText()).isEqualTo("command-rejections");
                assertThat(outcome.path("value").path("code").asText()).as(refused[0]).isEqualTo("NOT_AUTHORIZED");
                assertThat(outcome.path("value").path("twilioCode").asInt()).isEqualTo(50107);
                assertThat(outcome.path("value").path("reason").asText()).contains("alice may not", refused[1]);
            }

            carol.send(moveBobsHorizon.formatted("c-roles-4"));
            carol.send(editBobsMessage.formatted("c-roles-5", "carol"));
            assertThat(carol.outcome("c-roles-4").path("value").path("type").asText()).isEqualTo("ParticipantUpdated");
            JsonNode edited = carol.outcome("c-roles-5");
            assertThat(edited.path("value").path("type").asText()).isEqualTo("MessageUpdated");
            assertThat(edited.path("value").path("body").asText()).isEqualTo("edited by carol");
        }
    }

    /**
     * Issue 12: a gateway that starts after the history starts from the topology's changelogs (live state), reads
     * {@code conversation-events} only from its catch-up window, and knows every membership and last index.
     */
    @Test
    void aGatewayStartedLaterStartsFromTheChangelogsAndReadsOnlyItsCatchUpWindow() throws Exception {
        convo.conversation("CH-late", "uma", "vic", "wes");
        convo.run("{\"type\":\"SendMessage\",\"conversationSid\":\"CH-late\",\"messageSid\":\"IM-late-0\",\"author\":\"uma\",\"body\":\"0\"}",
                "{\"type\":\"SendMessage\",\"conversationSid\":\"CH-late\",\"messageSid\":\"IM-late-1\",\"author\":\"uma\",\"body\":\"1\"}",
                "{\"type\":\"RemoveParticipant\",\"conversationSid\":\"CH-late\",\"participantSid\":\"MB-wes\"}");
        String catchUp = "{\"type\":\"CatchUp\",\"commandId\":\"%s\",\"conversationSid\":\"CH-late\",\"afterIndex\":%d}";

        // A window of 1 ms: nothing of the log is read but what came after the start; the snapshot is all it knows.
        try (GatewayServer late = new GatewayServer(convo.gatewayConfig(Map.of(GatewayConfig.SERVICE_SID,
                ConvoStack.SERVICE, GatewayConfig.CATCHUP_MAX_AGE_MS, "1")))) {
            late.start();
            assertThat(status(late).path("startedFromChangelogs").asBoolean()).isTrue();
            try (ChatClient uma = lateClient(late, "uma"); ChatClient vic = lateClient(late, "vic");
                 ChatClient wes = lateClient(late, "wes")) {
                vic.send(catchUp.formatted("cu-late-1", -1));
                JsonNode behind = vic.await(f -> "CatchUpComplete".equals(f.path("type").asText()));
                assertThat(behind.path("lastIndex").asLong()).as("the last index, from the snapshot").isEqualTo(1);
                assertThat(behind.path("count").asInt()).isZero();
                assertThat(behind.path("complete").asBoolean()).as("older than the window: not kept").isFalse();
                vic.send(catchUp.formatted("cu-late-2", 1));
                assertThat(vic.await(f -> "CatchUpComplete".equals(f.path("type").asText())).path("complete").asBoolean())
                        .as("a client that saw everything misses nothing").isTrue();

                uma.send(sendMessage("c-late-2", "CH-late", "IM-late-2", "after the start"));
                assertThat(uma.outcome("c-late-2").path("value").path("index").asLong()).isEqualTo(2);
                JsonNode delivered = vic.await(f -> "Delivery".equals(f.path("value").path("type").asText()));
                assertThat(delivered.path("value").path("body").asText()).isEqualTo("after the start");

                wes.send(sendMessage("c-late-3", "CH-late", "IM-late-3", "I left"));
                assertThat(wes.outcome("c-late-3").path("value").path("code").asText())
                        .as("a participant removed before the start").isEqualTo("PARTICIPANT_NOT_FOUND");
            }
        }

        // The default window (24 h) holds every message of this test: a catch-up returns them all.
        try (GatewayServer late = new GatewayServer(convo.gatewayConfig(Map.of(GatewayConfig.SERVICE_SID,
                ConvoStack.SERVICE)));
             ChatClient vic = startAndConnect(late, "vic")) {
            vic.send(catchUp.formatted("cu-late-3", -1));
            List<Long> indexes = new ArrayList<>();
            JsonNode frame;
            while (!"CatchUpComplete".equals((frame = vic.next()).path("type").asText())) {
                indexes.add(frame.path("value").path("index").asLong());
            }
            assertThat(indexes).containsExactly(0L, 1L, 2L);
            assertThat(frame.path("complete").asBoolean()).isTrue();
        }
    }

    private static ChatClient lateClient(GatewayServer late, String identity) {
        return ChatClient.connect(late.url(), ConvoStack.token(identity, "AC-late"));
    }

    private static ChatClient startAndConnect(GatewayServer late, String identity) {
        late.start();
        return lateClient(late, identity);
    }

    private static JsonNode status(GatewayServer server) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/v1/status")).build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body());
    }
}
