package io.convo.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Twilio's paging over convo's keys: pages both ways, and pages that stay put while items are added. */
class PagingTest {

    private static final String URL = "http://127.0.0.1:8082/v1/Conversations/CH1/Messages";

    private static NavigableMap<Long, String> messages(int n) {
        NavigableMap<Long, String> all = new TreeMap<>();
        for (long i = 0; i < n; i++) {
            all.put(i, "m" + i);
        }
        return all;
    }

    private static ObjectNode page(NavigableMap<Long, String> all, String query) {
        return Paging.page(all, Paging.Request.of(Form.parse(query)), "messages", URL, Map.of("Order", "asc"),
                String::valueOf, Long::valueOf, m -> Resources.JSON.createObjectNode().put("body", m));
    }

    private static List<String> bodies(JsonNode page) {
        List<String> bodies = new ArrayList<>();
        page.get("messages").forEach(m -> bodies.add(m.get("body").asText()));
        return bodies;
    }

    /** The query of a URL in a page's meta. */
    private static String query(JsonNode page, String field) {
        String url = page.get("meta").get(field).asText();
        assertThat(url).startsWith(URL + "?");
        return url.substring(URL.length() + 1);
    }

    @Test
    void pagesForwardToTheEndAndBackWithAbsoluteUrlsThatKeepTheFilters() {
        NavigableMap<Long, String> all = messages(7);
        ObjectNode first = page(all, "PageSize=3");
        assertThat(bodies(first)).containsExactly("m0", "m1", "m2");
        assertThat(first.get("meta").get("previous_page_url").isNull()).isTrue();
        assertThat(first.get("meta").get("key").asText()).isEqualTo("messages");
        assertThat(first.get("meta").get("first_page_url").asText()).isEqualTo(URL + "?Order=asc&PageSize=3&Page=0");
        ObjectNode second = page(all, query(first, "next_page_url"));
        assertThat(bodies(second)).containsExactly("m3", "m4", "m5");
        assertThat(second.get("meta").get("page").asInt()).isEqualTo(1);
        ObjectNode third = page(all, query(second, "next_page_url"));
        assertThat(bodies(third)).containsExactly("m6");
        assertThat(third.get("meta").get("next_page_url").isNull()).isTrue();
        assertThat(bodies(page(all, query(third, "previous_page_url")))).containsExactly("m3", "m4", "m5");
        assertThat(bodies(page(all, query(second, "previous_page_url")))).containsExactly("m0", "m1", "m2");
    }

    @Test
    void aPageHandedOutStaysTheSameWhileItemsAreAdded() {
        NavigableMap<Long, String> all = messages(4);
        ObjectNode first = page(all, "PageSize=2");
        String next = query(first, "next_page_url");
        all.put(4L, "m4");
        all.put(5L, "m5");
        assertThat(bodies(page(all, next))).containsExactly("m2", "m3");
        assertThat(bodies(page(all.descendingMap(), "PageSize=2"))).containsExactly("m5", "m4");
    }

    @Test
    void refusesAPageSizeOutsideOneToAThousandAndATokenItDidNotIssue() {
        assertThat(Paging.Request.of(Form.parse("PageSize=1000")).problem()).isNull();
        assertThat(Paging.Request.of(Form.parse("PageSize=1001")).problem()).contains("between 1 and 1000");
        assertThat(Paging.Request.of(Form.parse("PageSize=0")).problem()).contains("between 1 and 1000");
        assertThat(Paging.Request.of(Form.parse("PageToken=XY12")).problem()).contains("not issued");
        assertThatThrownBy(() -> page(messages(3), "PageToken=PA%25%25")).isInstanceOf(Paging.BadToken.class);
    }
}
