package io.convo.connectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A messaging provider on 127.0.0.1 for tests: records every call with its {@code Idempotency-Key} and answers as
 * a script says, like a provider honouring the key: once a key was answered 2xx, a repeat is answered 200 again
 * without being "performed" a second time.
 */
final class FakeProvider implements AutoCloseable {

    record Call(String idempotencyKey, String body, String authorization) {
    }

    record Reply(int status, String body, Duration delay, Map<String, String> headers) {
        static Reply ok() {
            return new Reply(200, "{\"status\":\"queued\"}", Duration.ZERO, Map.of());
        }

        static Reply status(int status) {
            return new Reply(status, "{\"error\":\"status " + status + "\"}", Duration.ZERO, Map.of());
        }

        static Reply after(Duration delay, Reply reply) {
            return new Reply(reply.status(), reply.body(), delay, reply.headers());
        }
    }

    /** The reply to the {@code nth} call (from 1) carrying {@code key}. */
    interface Script {
        Reply reply(String key, int nth);
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Script script;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> callsPerKey = new ConcurrentHashMap<>();
    private final Set<String> performed = ConcurrentHashMap.newKeySet();

    FakeProvider(Script script) throws IOException {
        this.script = script;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/messages", this::handle);
        server.start();
    }

    static FakeProvider alwaysOk() throws IOException {
        return new FakeProvider((key, nth) -> Reply.ok());
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/messages");
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String key = exchange.getRequestHeaders().getFirst(WebhookTransport.IDEMPOTENCY_KEY);
        calls.add(new Call(key, body, exchange.getRequestHeaders().getFirst("Authorization")));
        int nth = callsPerKey.merge(String.valueOf(key), 1, Integer::sum);
        Reply reply = performed.contains(String.valueOf(key)) ? Reply.ok() : script.reply(key, nth);
        try {
            if (!reply.delay().isZero()) {
                Thread.sleep(reply.delay().toMillis());
            }
            if (reply.status() >= 200 && reply.status() < 300) {
                performed.add(String.valueOf(key));
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client gave up (its timeout): nothing to answer.
        } finally {
            exchange.close();
        }
    }

    List<Call> calls() {
        return new ArrayList<>(calls);
    }

    int calls(String key) {
        return callsPerKey.getOrDefault(key, 0);
    }

    Map<String, Integer> callsPerKey() {
        return Map.copyOf(callsPerKey);
    }

    /** Keys whose delivery the provider performed (answered 2xx), each at most once by construction. */
    Set<String> performed() {
        return Set.copyOf(performed);
    }

    /** Waits until {@code condition} holds; false on timeout. */
    static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
