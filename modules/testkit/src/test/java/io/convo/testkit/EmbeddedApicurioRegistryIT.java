package io.convo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real Apicurio Registry server answers its own API and the Confluent-compatible one convo's serdes use. */
class EmbeddedApicurioRegistryIT {

    @RegisterExtension
    static final ApicurioRegistryExtension registry = new ApicurioRegistryExtension();

    private static final String SCHEMA_JSON = "application/vnd.schemaregistry.v1+json";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void answersSystemInfoOnLoopback() throws Exception {
        HttpResponse<String> info = get(registry.url() + "/system/info");

        assertThat(registry.url()).startsWith("http://127.0.0.1:").endsWith("/apis/registry/v3");
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(info.body()).contains("\"version\"");
    }

    @Test
    void registersAnAvroSchemaThroughTheConfluentCompatibleApiAndReadsItBackById() throws Exception {
        String avro = "{\"type\":\"record\",\"name\":\"ParticipantAdded\",\"namespace\":\"io.convo.test\","
                + "\"fields\":[{\"name\":\"conversationId\",\"type\":\"string\"}]}";
        String body = "{\"schema\":\"" + avro.replace("\"", "\\\"") + "\"}";

        HttpResponse<String> registered = http.send(HttpRequest.newBuilder(
                        URI.create(registry.ccompatUrl() + "/subjects/participant-added-value/versions"))
                .header("Content-Type", SCHEMA_JSON)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(registered.body());
        assertThat(id.find()).as(registered.body()).isTrue();
        HttpResponse<String> readBack = get(registry.ccompatUrl() + "/schemas/ids/" + id.group(1));
        assertThat(readBack.statusCode()).isEqualTo(200);
        assertThat(readBack.body()).contains("ParticipantAdded").contains("conversationId");
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
