package io.convo.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.convo.connectors.ConnectorRunner;
import io.convo.rest.RestConfig;
import io.convo.rest.RestFront;
import io.convo.testkit.KafkaBrokerExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14: convo as a drop-in for Twilio Conversations' REST API, proved with Twilio's own helper library. The
 * {@code twilio} npm package (6.x) runs against {@code convo run} with the REST front on, only its base URL changed
 * through its documented custom {@code httpClient} ({@code src/test/node/twilio-helper-library.test.js}): conversations,
 * chat and SMS participants, messages paged both ways, users, roles, participant conversations, the service-scoped
 * paths, idempotent retries, delivery receipts from the SMS connector, and the error paths (50003, 50417 on a small configured limit, 429 with 50063).
 *
 * <p>Needs Node 20 and npm ({@code .ci/run} installs them): without {@code node} the test is skipped, unless
 * {@code -Dconvo.node.required=true} (as {@code .ci/run} sets) makes that a failure.
 */
class TwilioHelperLibraryIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    private static final String ACCOUNT = "AC" + "0123456789abcdef".repeat(2);
    private static final String TOKEN = "an-auth-token";
    private static final String SECOND_SERVICE = "IS" + "fedcba9876543210".repeat(2);
    private static final int PARTICIPANT_LIMIT = 5;
    private static final Path SCRIPTS = Path.of("src/test/node");
    private static final String SCRIPT = "twilio-helper-library.test.js";

    private static Properties config;
    private static ConvoApplication app;
    private static ConnectorRunner connectors;

    @BeforeAll
    static void startConvo() throws IOException, InterruptedException {
        config = new Properties();
        config.setProperty("bootstrap.servers", KAFKA.bootstrapServers());
        config.setProperty("application.id", "convo-twilio-it");
        config.setProperty("state.dir", Files.createTempDirectory("convo-twilio").toString());
        config.setProperty(RestConfig.ENABLED.name(), "true");
        config.setProperty(RestConfig.PORT.name(), "0");
        config.setProperty(RestConfig.ACCOUNTS.name(), ACCOUNT + ":" + TOKEN);
        config.setProperty(RestConfig.SERVICES.name(), ACCOUNT + ":" + SECOND_SERVICE);
        config.setProperty("convo.limits.participants-per-conversation", String.valueOf(PARTICIPANT_LIMIT));
        app = new ConvoApplication(config);
        app.start();
        assertThat(app.awaitRunning(Duration.ofMinutes(2))).isTrue();
        // The SMS connector (log transport) reports the receipts the Receipts resource lists.
        Properties sms = app.config();
        sms.setProperty("convo.connector.channels", "sms");
        sms.setProperty("convo.connector.http.port", "0");
        sms.setProperty("convo.connector.sms.transport", "log");
        connectors = new ConnectorRunner(sms);
        connectors.start();
    }

    @AfterAll
    static void stopConvo() {
        if (connectors != null) {
            connectors.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void twiliosHelperLibraryDrivesConvoWithOnlyTheBaseUrlChanged() throws Exception {
        assumeNode();
        ProcessBuilder node = new ProcessBuilder("node", "--test", "--test-reporter=tap", SCRIPT)
                .directory(SCRIPTS.toFile()).redirectErrorStream(true);
        node.environment().putAll(Map.of("CONVO_REST_URL", app.restUrl(), "CONVO_ACCOUNT_SID", ACCOUNT,
                "CONVO_AUTH_TOKEN", TOKEN, "CONVO_SECOND_SERVICE", SECOND_SERVICE,
                "CONVO_PARTICIPANT_LIMIT", String.valueOf(PARTICIPANT_LIMIT)));
        Process run = node.start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor(3, TimeUnit.MINUTES)).isTrue();
        System.out.println(output);

        int tests = count(Files.readString(SCRIPTS.resolve(SCRIPT)), "(?m)^test\\(");
        assertThat(run.exitValue()).as(output).isZero();
        assertThat(number(output, "# pass (\\d+)")).as(output).isEqualTo(tests);
        assertThat(number(output, "# fail (\\d+)")).as(output).isZero();
        assertThat(tests).isGreaterThanOrEqualTo(14);
    }

    /** Any instance answers any request: a second REST front (as {@code convo rest} runs it) reads what the first wrote. */
    @Test
    void aSecondRestInstanceAnswersWhatTheFirstWrote() throws Exception {
        Properties second = new Properties();
        second.putAll(config);
        second.setProperty(RestConfig.PORT.name(), "0");
        HttpClient http = HttpClient.newHttpClient();
        String auth = "Basic " + Base64.getEncoder().encodeToString((ACCOUNT + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
        try (RestFront other = new RestFront(second)) {
            HttpResponse<String> created = post(app.restUrl() + "/v1/Conversations", "FriendlyName=seen+elsewhere");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String sid = created.body().replaceAll(".*\"sid\":\"(CH[0-9a-f]{32})\".*", "$1");
            HttpRequest fetch = HttpRequest.newBuilder(URI.create(other.url() + "/v1/Conversations/" + sid))
                    .header("Authorization", auth).build();
            HttpResponse<String> fetched = http.send(fetch, HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (fetched.statusCode() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(50); // the second instance's model reads the log on its own
                fetched = http.send(fetch, HttpResponse.BodyHandlers.ofString());
            }
            assertThat(fetched.statusCode()).as(fetched.body()).isEqualTo(200);
            assertThat(fetched.body()).contains("\"friendly_name\":\"seen elsewhere\"")
                    .contains("\"url\":\"" + other.url() + "/v1/Conversations/" + sid + "\"");
        }
    }

    /** A write whose outcome is not read back in time says so, and that the command may still be applied. */
    @Test
    void aWriteWhoseOutcomeIsNotCommittedInTimeIsAnswered503SayingItMayStillBeApplied() throws Exception {
        Properties impatient = new Properties();
        impatient.putAll(config);
        impatient.setProperty(RestConfig.PORT.name(), "0");
        impatient.setProperty(RestConfig.OUTCOME_TIMEOUT.name(), "1");
        try (RestFront rest = new RestFront(impatient)) {
            HttpResponse<String> answer = post(rest.url() + "/v1/Conversations", "FriendlyName=too+slow");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (answer.statusCode() == 503 && answer.body().contains("still reading") && System.nanoTime() < deadline) {
                Thread.sleep(50); // the new instance's model has not read the log yet
                answer = post(rest.url() + "/v1/Conversations", "FriendlyName=too+slow");
            }
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            assertThat(answer.body()).contains("\"code\":20503").contains("was not committed within 1 ms")
                    .contains("may still be applied");
        }
    }

    private static HttpResponse<String> post(String url, String form) throws IOException, InterruptedException {
        String auth = "Basic " + Base64.getEncoder().encodeToString((ACCOUNT + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Skips without Node (or fails, with {@code -Dconvo.node.required=true}); installs the npm packages once. */
    private static void assumeNode() throws IOException, InterruptedException {
        boolean required = System.getProperty("convo.node.required", "false").trim().toLowerCase(Locale.ROOT)
                .equals("true");
        boolean present = runs(List.of("node", "--version"));
        if (required) {
            assertThat(present).as("node on the PATH (-Dconvo.node.required=true)").isTrue();
        }
        assumeTrue(present, "no node on the PATH (-Dconvo.node.required=true fails the test instead)");
        if (!Files.isDirectory(SCRIPTS.resolve("node_modules/twilio"))) {
            assertThat(runs(List.of("npm", "ci", "--no-audit", "--no-fund"))).as("npm ci in " + SCRIPTS).isTrue();
        }
    }

    private static boolean runs(List<String> command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).directory(SCRIPTS.toFile()).inheritIO().start();
            return p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static int number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("'%s' in the output", regex).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
