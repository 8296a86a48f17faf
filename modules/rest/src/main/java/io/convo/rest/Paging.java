package io.convo.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.function.Function;

/**
 * Twilio's paging: {@code PageSize} (1 to 1000, default 50), {@code Page} (a counter for the client) and
 * {@code PageToken}, with a {@code meta} of absolute URLs. A token names the key a page starts after ({@code PA…}) or
 * ends before ({@code PB…}), never a position, so pages stay the same while items are added: an item added later has
 * a later key (a conversation's creation time, a message's index) and lands on a later page.
 */
final class Paging {

    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 1000;

    /** A request's paging parameters; {@link #problem} is non-null when one of them is not valid. */
    record Request(int size, int page, String token, String problem) {

        static Request of(Map<String, List<String>> query) {
            String size = Form.first(query, "PageSize");
            String page = Form.first(query, "Page");
            String token = Form.first(query, "PageToken");
            int n = DEFAULT_SIZE;
            int p = 0;
            try {
                if (size != null) {
                    n = Integer.parseInt(size);
                }
                if (page != null) {
                    p = Integer.parseInt(page);
                }
            } catch (NumberFormatException e) {
                return new Request(DEFAULT_SIZE, 0, null, "PageSize and Page must be integers");
            }
            if (n < 1 || n > MAX_SIZE) {
                return new Request(DEFAULT_SIZE, 0, null, "PageSize must be between 1 and " + MAX_SIZE + ": " + size);
            }
            if (p < 0) {
                return new Request(DEFAULT_SIZE, 0, null, "Page must not be negative: " + page);
            }
            if (token != null && !token.startsWith("PA") && !token.startsWith("PB")) {
                return new Request(DEFAULT_SIZE, 0, null, "PageToken was not issued by this API: " + token);
            }
            return new Request(n, p, token, null);
        }
    }

    private Paging() {
    }

    /**
     * One page of {@code all} (in list order) as Twilio's list body: the items under {@code key} and the {@code meta}.
     *
     * @param listUrl the list's absolute URL, without query
     * @param filters the request's own filters (e.g. {@code Order}), repeated in every paging URL
     * @param keyText how a key is written into a token, and read back
     */
    static <K, V> ObjectNode page(NavigableMap<K, V> all, Request request, String key, String listUrl,
                                  Map<String, String> filters, Function<K, String> keyText, Function<String, K> keyOf,
                                  Function<V, ObjectNode> render) {
        List<Map.Entry<K, V>> items = new ArrayList<>(request.size());
        String token = request.token();
        if (token != null && token.startsWith("PB")) {
            Iterator<Map.Entry<K, V>> before = all.headMap(keyOf.apply(decode(token)), false).descendingMap()
                    .entrySet().iterator();
            while (items.size() < request.size() && before.hasNext()) {
                items.add(0, before.next());
            }
        } else {
            NavigableMap<K, V> after = token == null ? all : all.tailMap(keyOf.apply(decode(token)), false);
            Iterator<Map.Entry<K, V>> it = after.entrySet().iterator();
            while (items.size() < request.size() && it.hasNext()) {
                items.add(it.next());
            }
        }
        ObjectNode body = Resources.JSON.createObjectNode();
        ArrayNode list = body.putArray(key);
        items.forEach(e -> list.add(render.apply(e.getValue())));
        K first = items.isEmpty() ? null : items.get(0).getKey();
        K last = items.isEmpty() ? null : items.get(items.size() - 1).getKey();
        boolean hasNext = last != null && all.higherKey(last) != null;
        boolean hasPrevious = first != null && all.lowerKey(first) != null;
        ObjectNode meta = body.putObject("meta");
        meta.put("page", request.page());
        meta.put("page_size", request.size());
        meta.put("first_page_url", url(listUrl, filters, request.size(), 0, null));
        meta.put("previous_page_url", hasPrevious
                ? url(listUrl, filters, request.size(), Math.max(0, request.page() - 1), "PB" + encode(keyText.apply(first)))
                : null);
        meta.put("url", url(listUrl, filters, request.size(), request.page(), token));
        meta.put("next_page_url", hasNext
                ? url(listUrl, filters, request.size(), request.page() + 1, "PA" + encode(keyText.apply(last)))
                : null);
        meta.put("key", key);
        return body;
    }

    private static String url(String listUrl, Map<String, String> filters, int size, int page, String token) {
        Map<String, String> query = new LinkedHashMap<>(filters);
        query.put("PageSize", String.valueOf(size));
        query.put("Page", String.valueOf(page));
        if (token != null) {
            query.put("PageToken", token);
        }
        StringBuilder url = new StringBuilder(listUrl);
        char sep = '?';
        for (Map.Entry<String, String> q : query.entrySet()) {
            url.append(sep).append(q.getKey()).append('=').append(URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return url.toString();
    }

    private static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The key of a token ({@code PA} or {@code PB} and the key in URL-safe base64). */
    private static String decode(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token.substring(2)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadToken(token);
        }
    }

    /** A token this API did not issue. */
    static final class BadToken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadToken(String token) {
            super("PageToken was not issued by this API: " + token);
        }
    }
}
