package io.convo.rest;

import io.convo.operate.CommandProducer;
import io.convo.operate.CommittedReadModel;
import java.time.Clock;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Twilio-compatible REST front, whole: the accounts, the committed read model with its {@link TwilioView}, the
 * command producer and the HTTP server. It runs inside {@code convo run} ({@link RestConfig#ENABLED}) or on its own
 * ({@code convo rest}); any number of instances may run, each answers every request from its own read model.
 */
public final class RestFront implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RestFront.class);

    private final CommittedReadModel model;
    private final RestCommands commands;
    private final RestServer server;
    private final String url;

    /**
     * Starts following the event log and serving {@link RestConfig#HOST}:{@link RestConfig#PORT}.
     *
     * @param config the REST keys, and where convo is: {@code bootstrap.servers}, {@code convo.topics.prefix}, the serde
     * @throws IllegalArgumentException when the accounts are malformed or none is configured
     * @throws IllegalStateException    when the topics do not exist or the port cannot be bound
     */
    public RestFront(Properties config) {
        Accounts accounts = Accounts.from(config);
        if (accounts.isEmpty()) {
            throw new IllegalArgumentException(RestConfig.ACCOUNTS.name() + " names no account: the REST API would"
                    + " refuse every request");
        }
        Outcomes outcomes = new Outcomes();
        TwilioView view = new TwilioView(outcomes);
        model = new CommittedReadModel(config, view);
        commands = new RestCommands(new CommandProducer(config), outcomes, RestConfig.OUTCOME_TIMEOUT.from(config));
        String host = RestConfig.HOST.from(config);
        RestServer bound = null;
        try {
            bound = new RestServer(host, RestConfig.PORT.from(config));
            String publicUrl = RestConfig.PUBLIC_URL.from(config);
            url = publicUrl != null ? publicUrl.replaceAll("/+$", "") : "http://" + host + ":" + bound.port();
            bound.start(new TwilioApi(url, accounts, model, view, commands, Clock.systemUTC()));
        } catch (RuntimeException e) {
            if (bound != null) {
                bound.close();
            }
            commands.close();
            model.close();
            throw e;
        }
        server = bound;
        LOG.info("REST API (Twilio Conversations v1) listening on {}", url);
    }

    /**
     * The sid of the service {@code /v1/Conversations} (no service in the path) means for the account: {@code IS} and
     * 32 hex digits of the SHA-256 of {@code "default service\n" + accountSid}, so that a backend producing commands
     * to Kafka can address the same conversations.
     */
    public static String defaultService(String accountSid) {
        return TwilioSids.defaultService(accountSid);
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8082}. */
    public String url() {
        return url;
    }

    public int port() {
        return server.port();
    }

    /** Whether the read model has reached the log's end once: until then, requests are answered 503. */
    public boolean ready() {
        return model.ready();
    }

    @Override
    public void close() {
        server.close();
        commands.close();
        model.close();
    }
}
