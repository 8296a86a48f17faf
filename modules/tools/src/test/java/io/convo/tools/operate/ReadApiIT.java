package io.convo.tools.operate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convo.app.read.ReadApi;
import io.convo.internal.Conversation;
import io.convo.internal.MessageState;
import io.convo.internal.ParticipantState;
import io.convo.model.TopicNames;
import io.convo.operate.EventLogReplay;
import io.convo.operate.ProduceCommand;
import io.convo.operate.StoreSnapshot;
import io.convo.operate.TailCommand;
import io.convo.operate.VerifiedStore;
import io.convo.rules.conversation.ConversationAggregate;
import io.convo.rules.identity.IdentityAggregate;
import io.convo.rules.state.StateKeys;
import io.convo.testkit.KafkaBrokerExtension;
import io.convo.tools.bench.CommandGenerator;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read API against two instances of one application in this JVM (4 partitions, each instance owning some):
 * a request to either instance for any key gets the owner's answer, which is the state the event log gives.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadApiIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final int portA = ConvoInstance.freePort();
    private final int portB = ConvoInstance.freePort();
    private ConvoInstance a;
    private ConvoInstance b;
    private StoreSnapshot truth;

    @TempDir
    static Path dir;

    @BeforeAll
    void startTwoInstancesAndLoadThem() throws Exception {
        Properties app = ConvoInstance.config(kafka.bootstrapServers(), "read.", "read-app", dir.resolve("state-a"));
        ConvoInstance.createTopics(kafka.bootstrapServers(), TopicNames.withPrefix("read."), 4);
        a = new ConvoInstance(app, portA);
        Properties second = new Properties();
        second.putAll(app);
        // Another state directory: a second machine, as far as Kafka Streams can tell.
        second.setProperty("state.dir", dir.resolve("state-b").toString());
        b = new ConvoInstance(second, portB);
        awaitBothRunningWithTasks();

        List<CommandGenerator.Generated> commands = ConvoInstance.commands(21, 40, 2_000);
        Path cfg = ConvoInstance.configFile(dir, app);
        assertThat(ConvoInstance.cli(new ProduceCommand(), "--config", cfg.toString(),
                ConvoInstance.commandFile(dir, commands).toString()).exitCode()).isZero();
        ConvoInstance.Run tailed = ConvoInstance.cli(new TailCommand(), "--config", cfg.toString(), "--from-beginning",
                "--max", "2000", "conversation-events", "service-events", "command-rejections");
        assertThat(tailed.out().lines().count()).isEqualTo(2_000);
        // Memberships are released after the event that releases them: let the last releases land.
        ConvoInstance.sleep(1_000);
        try (EventLogReplay replay = new EventLogReplay(app)) {
            replay.catchUp(null);
            truth = replay.projection().state();
        }
        awaitBothRunningWithTasks();
    }

    @AfterAll
    void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    @Test
    void everyConversationAndItsParticipantsCanBeReadFromEitherInstance() throws Exception {
        assertThat(truth.size(VerifiedStore.CONVERSATIONS)).isGreaterThan(20);
        for (SpecificRecord value : truth.entries(VerifiedStore.CONVERSATIONS).values()) {
            Conversation c = (Conversation) value;
            List<ParticipantState> members = new ConversationAggregate(truth.conversationStores(), c.getConversationSid())
                    .participants();
            for (int port : List.of(portA, portB)) {
                HttpResponse<String> r = get(port, "/v1/conversations/" + c.getConversationSid());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                // Each instance keeps the whole committed read model: it answers every read itself.
                assertThat(r.headers().firstValue(ReadApi.SERVED_BY_HEADER)).hasValue("127.0.0.1:" + port);
                JsonNode body = JSON.readTree(r.body());
                assertThat(body.get("state").asText()).isEqualTo(c.getState().name());
                assertThat(body.get("participantsCount").asInt()).isEqualTo(c.getParticipants());
                assertThat(body.get("nextMessageIndex").asLong()).isEqualTo(c.getNextMessageIndex());

                JsonNode participants = JSON.readTree(get(port, "/v1/conversations/" + c.getConversationSid()
                        + "/participants").body()).get("participants");
                assertThat(participants.size()).isEqualTo(members.size());
                for (ParticipantState p : members) {
                    JsonNode unread = JSON.readTree(get(port, "/v1/conversations/" + c.getConversationSid()
                            + "/participants/" + p.getParticipantSid() + "/unread").body());
                    long lastRead = p.getLastReadMessageIndex() == null ? -1 : p.getLastReadMessageIndex();
                    assertThat(unread.get("unreadMessagesCount").asLong())
                            .isEqualTo(c.getNextMessageIndex() - 1 + 1 - (lastRead + 1));
                }
            }
        }
    }

    @Test
    void everyIdentitysConversationsCanBeReadFromEitherInstance() throws Exception {
        assertThat(truth.size(VerifiedStore.IDENTITY_MEMBERSHIP_COUNTS)).isGreaterThan(20);
        for (String identityKey : truth.entries(VerifiedStore.IDENTITY_MEMBERSHIP_COUNTS).keySet()) {
            String[] key = identityKey.split(String.valueOf(StateKeys.SEPARATOR));
            for (int port : List.of(portA, portB)) {
                HttpResponse<String> r = get(port, "/v1/services/" + key[0] + "/identities/"
                        + URLEncoder.encode(key[1], StandardCharsets.UTF_8) + "/conversations");
                assertThat(r.statusCode()).isEqualTo(200);
                Set<String> listed = new TreeSet<>();
                JSON.readTree(r.body()).get("conversations").forEach(n -> listed.add(n.asText()));
                assertThat(listed).isEqualTo(new TreeSet<>(
                        new IdentityAggregate(truth.identityStores(), identityKey).conversations()));
            }
        }
        HttpResponse<String> nobody = get(portA, "/v1/services/IS-none/identities/nobody/conversations");
        assertThat(nobody.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(nobody.body()).get("conversationsCount").asInt()).isZero();
    }

    @Test
    void aMessagesDeliverySummaryCountsItsRecipientsStatuses() throws Exception {
        Map.Entry<String, SpecificRecord> message = truth.entries(VerifiedStore.MESSAGES).firstEntry();
        String conversation = message.getKey().split(String.valueOf(StateKeys.SEPARATOR))[0];
        MessageState m = (MessageState) message.getValue();
        for (int port : List.of(portA, portB)) {
            HttpResponse<String> r = get(port, "/v1/conversations/" + conversation + "/messages/" + m.getMessageSid()
                    + "/delivery");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("index").asLong()).isEqualTo(m.getIndex());
            // No connector reported anything in this test: every count is 0.
            assertThat(body.get("delivered").asInt()).isZero();
            assertThat(body.get("recipientsReported").asInt()).isZero();
        }
    }

    @Test
    void unknownIdsAre404sWithABodyThatNamesThem() throws Exception {
        Conversation c = (Conversation) truth.entries(VerifiedStore.CONVERSATIONS).firstEntry().getValue();
        for (int port : List.of(portA, portB)) {
            assertNotFound(get(port, "/v1/conversations/CH-nope"), "CONVERSATION_NOT_FOUND", "CH-nope");
            assertNotFound(get(port, "/v1/conversations/CH-nope/participants"), "CONVERSATION_NOT_FOUND", "CH-nope");
            assertNotFound(get(port, "/v1/conversations/" + c.getConversationSid() + "/participants/MB-nope/unread"),
                    "PARTICIPANT_NOT_FOUND", "MB-nope");
            assertNotFound(get(port, "/v1/conversations/" + c.getConversationSid() + "/messages/IM-nope/delivery"),
                    "MESSAGE_NOT_FOUND", "IM-nope");
            assertNotFound(get(port, "/v1/nothing/here"), "NOT_FOUND", "/v1/nothing/here");
        }
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + portA + "/v1/health"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(get(portB, "/v1/health").body()).contains("\"state\":\"RUNNING\"");
    }

    private void assertNotFound(HttpResponse<String> r, String code, String named) throws Exception {
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).contains(named);
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Both RUNNING and the group settled: each instance hosts some active tasks. */
    private void awaitBothRunningWithTasks() {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean settled = a.streams().state() == KafkaStreams.State.RUNNING
                    && b.streams().state() == KafkaStreams.State.RUNNING
                    && !a.streams().metadataForLocalThreads().iterator().next().activeTasks().isEmpty()
                    && !b.streams().metadataForLocalThreads().iterator().next().activeTasks().isEmpty();
            if (settled) {
                return;
            }
            ConvoInstance.sleep(100);
        }
        throw new IllegalStateException("the two instances did not settle");
    }
}
