package io.convo.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convo.model.Sha256;
import io.convo.operate.CommittedReadModel;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Twilio Conversations v1, the core of it, over convo: every path of {@code /v1/Conversations} (with Participants,
 * Messages and their Receipts), {@code /v1/Users}, {@code /v1/Roles} and {@code /v1/ParticipantConversations}, and the
 * same under {@code /v1/Services/{ChatServiceSid}}. A write is a command, answered with the resource once its outcome
 * is committed, or with the error of its rejection; a read answers from the committed read model. Without a service in
 * the path, the account's default service is meant, as with Twilio.
 *
 * <p>It knows nothing of HTTP servers: {@link RestServer} gives it each request's method, path and parameters.
 */
final class TwilioApi {

    /** An answer: HTTP status, JSON body (null for 204) and, for a 429, the seconds of {@code Retry-After}. */
    record Answer(int status, ObjectNode body, Integer retryAfterSeconds) {
        static Answer of(int status, ObjectNode body) {
            return new Answer(status, body, null);
        }

        static Answer error(TwilioError e) {
            return new Answer(e.status(), e.body(), e.retryAfterSeconds());
        }
    }

    /** One request, authenticated. */
    record Call(Accounts.Account account, Resources.Scope scope, String method, List<String> path,
                Map<String, List<String>> query, Map<String, List<String>> form, String idempotencyKey) {

        String param(String name) {
            return Form.first(form, name);
        }

        boolean has(String name) {
            return form.containsKey(name);
        }

        /** The id of this request's command: from the {@code Idempotency-Key} if it has one, so a retry is the same. */
        String commandId() {
            return idempotencyKey == null ? "rest-" + TwilioSids.random()
                    : "rest-" + Sha256.hex(account.sid() + "\n" + idempotencyKey, 32);
        }
    }

    /** A request this API cannot take as it is: answered with the error, nothing sent. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient TwilioError error;

        Refused(TwilioError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    private final String baseUrl;
    private final Accounts accounts;
    private final CommittedReadModel model;
    private final ConversationResources conversations;
    private final ServiceResources services;

    TwilioApi(String baseUrl, Accounts accounts, CommittedReadModel model, TwilioView view, RestCommands commands,
              Clock clock) {
        this.baseUrl = baseUrl;
        this.accounts = accounts;
        this.model = model;
        RestCalls calls = new RestCalls(model, view, commands, clock);
        this.conversations = new ConversationResources(calls, view);
        this.services = new ServiceResources(calls, view);
    }

    /**
     * Answers one request.
     *
     * @param path the decoded path segments, e.g. {@code [v1, Conversations, CH…]}
     */
    Answer answer(String method, List<String> path, Map<String, List<String>> query, Map<String, List<String>> form,
                  String authorization, String idempotencyKey) {
        Accounts.Account account = accounts.authenticate(authorization);
        if (account == null) {
            return Answer.error(TwilioError.unauthorized());
        }
        if (path.size() < 2 || !path.get(0).equals("v1")) {
            return Answer.error(TwilioError.notFound(String.join("/", path)));
        }
        if (!model.ready()) {
            // Before the model has read the log once, a write could not be answered with its resource: none is sent.
            return Answer.error(new TwilioError(503, TwilioError.UNAVAILABLE,
                    "the read model is still reading the event log; retry shortly", 1));
        }
        List<String> rest = path.subList(1, path.size());
        String service = account.defaultService();
        boolean inPath = rest.get(0).equals("Services");
        if (inPath) {
            if (rest.size() < 3 || !account.owns(rest.get(1))) {
                return Answer.error(TwilioError.notFound("/" + String.join("/", path)));
            }
            service = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        Call call = new Call(account, new Resources.Scope(baseUrl, account.sid(), service, inPath), method, rest, query,
                form, idempotencyKey);
        try {
            Answer answer = switch (rest.get(0)) {
                case "Conversations" -> conversations.handle(call);
                case "Users" -> services.users(call);
                case "Roles" -> services.roles(call);
                case "ParticipantConversations" -> rest.size() == 1 ? services.participantConversations(call) : null;
                default -> null;
            };
            return answer != null ? answer : Answer.error(TwilioError.notFound("/" + String.join("/", path)));
        } catch (Refused r) {
            return Answer.error(r.error);
        } catch (Paging.BadToken | NumberFormatException e) {
            return Answer.error(TwilioError.invalid(e.getMessage()));
        }
    }
}
