package io.convo.rest;

import io.convo.model.config.ConfigKey;
import java.time.Duration;
import java.util.List;

/** The REST front's configuration keys (README, "The Twilio-compatible REST API"). */
public final class RestConfig {

    public static final ConfigKey<Boolean> ENABLED = ConfigKey.flag("convo.rest.enabled", false,
            "Serve the Twilio-compatible REST API inside convo run.");
    public static final ConfigKey<String> HOST = ConfigKey.text("convo.rest.host", "127.0.0.1",
            "Address of the REST API.");
    public static final ConfigKey<Integer> PORT = ConfigKey.integer("convo.rest.port", 8082, "Port of the REST API.");
    public static final ConfigKey<String> PUBLIC_URL = ConfigKey.text("convo.rest.public-url", null,
            "The base of the url and links in answers and of the paging URLs; default http://<host>:<port>.");
    public static final ConfigKey<String> ACCOUNTS = ConfigKey.text("convo.rest.accounts", "",
            "The accounts that may call the API, as AC<32 hex>:<auth token>, comma-separated.");
    public static final ConfigKey<String> API_KEYS = ConfigKey.text("convo.rest.api-keys", "",
            "API keys, as SK<32 hex>:<secret>:AC<32 hex> (the account the key acts for), comma-separated.");
    public static final ConfigKey<String> SERVICES = ConfigKey.text("convo.rest.services", "",
            "Conversation services an account owns besides its default one, as AC<32 hex>:IS<32 hex>, comma-separated.");
    public static final ConfigKey<Duration> OUTCOME_TIMEOUT = ConfigKey.millis("convo.rest.outcome-timeout-ms",
            Duration.ofSeconds(10), "How long a write waits for its command's committed outcome before answering 503.");

    /** The REST front's keys, in the order of the README's table. */
    public static final List<ConfigKey<?>> KEYS = List.of(ENABLED, HOST, PORT, PUBLIC_URL, ACCOUNTS, API_KEYS, SERVICES,
            OUTCOME_TIMEOUT);

    private RestConfig() {
    }
}
