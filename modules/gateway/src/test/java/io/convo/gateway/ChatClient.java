package io.convo.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A chat client for tests on the JDK's WebSocket client (a second, independent implementation next to the load
 * tool's Jetty client): connects with a token, sends frames, and collects every frame it receives in order.
 */
final class ChatClient implements AutoCloseable {

    /** A refused upgrade: the HTTP status and headers. */
    record Refusal(int status, HttpHeaders headers) {
        String retryAfter() {
            return headers.firstValue("Retry-After").orElse(null);
        }
    }

    static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<JsonNode> frames = new ArrayList<>(); // guarded by itself
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private int cursor;
    private WebSocket webSocket;

    private ChatClient() {
    }

    static ChatClient connect(String url, String token) {
        ChatClient client = new ChatClient();
        try {
            client.webSocket = HTTP.newWebSocketBuilder().connectTimeout(WAIT)
                    .buildAsync(URI.create(url + "?token=" + token), client.listener()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("connect refused: " + refusalOf(e.getCause()), e);
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("connect failed", e);
        }
        return client;
    }

    /** Connects with an Authorization header instead of the query parameter. */
    static ChatClient connectWithHeader(String url, String token) {
        ChatClient client = new ChatClient();
        try {
            client.webSocket = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                    .buildAsync(URI.create(url), client.listener()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | InterruptedException | TimeoutException e) {
            throw new IllegalStateException("connect failed", e);
        }
        return client;
    }

    /** The refusal of an upgrade that the test expects to fail; fails the test if it opens. */
    static Refusal refused(String url, String token) {
        ChatClient client = new ChatClient();
        String uri = token == null ? url : url + "?token=" + token;
        try {
            WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(uri), client.listener())
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            ws.abort();
            throw new AssertionError("the upgrade was accepted");
        } catch (ExecutionException e) {
            Refusal refusal = refusalOf(e.getCause());
            if (refusal == null) {
                throw new AssertionError("no HTTP refusal", e);
            }
            return refusal;
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("connect failed", e);
        }
    }

    private static Refusal refusalOf(Throwable cause) {
        Throwable c = cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof WebSocketHandshakeException h) {
            return new Refusal(h.getResponse().statusCode(), h.getResponse().headers());
        }
        return null;
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    JsonNode frame;
                    try {
                        frame = JSON.readTree(partial.toString());
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("frame is not JSON: " + partial, e);
                    }
                    partial.setLength(0);
                    synchronized (frames) {
                        frames.add(frame);
                        frames.notifyAll();
                    }
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closeCode.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closeCode.completeExceptionally(error);
            }
        };
    }

    void send(String frame) {
        webSocket.sendText(frame, true).join();
    }

    void sendBinary(byte[] frame) {
        webSocket.sendBinary(java.nio.ByteBuffer.wrap(frame), true).join();
    }

    /** The next frame in arrival order (frames taken by {@link #await} are skipped). */
    JsonNode next() {
        synchronized (frames) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (cursor >= frames.size()) {
                waitUntil(deadline);
            }
            return frames.get(cursor++);
        }
    }

    /** The first frame not yet taken that matches, waiting for it. */
    JsonNode await(Predicate<JsonNode> matching) {
        synchronized (frames) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                for (Iterator<JsonNode> it = frames.listIterator(cursor); it.hasNext(); ) {
                    JsonNode f = it.next();
                    if (matching.test(f)) {
                        it.remove();
                        return f;
                    }
                }
                waitUntil(deadline);
            }
        }
    }

    /** The outcome frame of a command: a record whose value carries this commandId. */
    JsonNode outcome(String commandId) {
        return await(f -> commandId.equals(f.path("value").path("commandId").asText(null)));
    }

    /** Frames received and not taken so far, without waiting. */
    List<JsonNode> pending() {
        synchronized (frames) {
            return List.copyOf(frames.subList(cursor, frames.size()));
        }
    }

    int awaitClose() {
        try {
            return closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("not closed", e);
        }
    }

    boolean isClosed() {
        return closeCode.isDone() || webSocket.isInputClosed();
    }

    private void waitUntil(long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new AssertionError("no matching frame within " + WAIT + "; received " + frames);
        }
        try {
            frames.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (webSocket != null && !webSocket.isOutputClosed()) {
            try {
                webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                webSocket.abort();
            }
        }
    }

    void abort() {
        webSocket.abort();
    }
}
