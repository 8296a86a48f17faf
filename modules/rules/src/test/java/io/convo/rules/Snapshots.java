package io.convo.rules;

import io.convo.rules.conversation.ConversationAggregate;
import io.convo.rules.identity.IdentityAggregate;
import io.convo.rules.service.ServiceAggregate;
import io.convo.rules.state.KeyValues;
import io.convo.rules.state.SortedMapKeyValues;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deep snapshots of in-memory stores, to show that a function changed nothing: every entry's value as its Avro JSON
 * text, so that a value changed in place shows as well as one put or deleted.
 */
public final class Snapshots {

    private Snapshots() {
    }

    public static Map<String, Map<String, String>> of(ConversationAggregate.Stores s) {
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        all.put("conversations", of(s.conversations()));
        all.put("participants", of(s.participants()));
        all.put("participantIndex", of(s.participantIndex()));
        all.put("messages", of(s.messages()));
        all.put("summaries", of(s.summaries()));
        all.put("statuses", of(s.statuses()));
        return all;
    }

    public static Map<String, Map<String, String>> of(IdentityAggregate.Stores s) {
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        all.put("counts", of(s.counts()));
        all.put("memberships", of(s.memberships()));
        return all;
    }

    public static Map<String, Map<String, String>> of(ServiceAggregate.Stores s) {
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        all.put("users", of(s.users()));
        all.put("roles", of(s.roles()));
        return all;
    }

    /** The entries of one store; keys shown with their NUL separators as '|'. */
    public static Map<String, String> of(KeyValues<?> store) {
        Map<String, String> entries = new TreeMap<>();
        ((SortedMapKeyValues<?>) store).entries()
                .forEach((k, v) -> entries.put(k.replace('\u0000', '|'), String.valueOf(v)));
        return entries;
    }
}
