package io.convo.app.read;

import io.convo.rules.identity.IdentityAggregate;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A read API path, parsed: which resource, and the key of the aggregate that holds it (a conversation's sid, or
 * {@code service \0 identity} for an identity's memberships).
 *
 * @param kind the resource
 * @param key  the aggregate's key
 * @param ids  the path's ids in order (conversationSid, then participantSid or messageSid; or serviceSid, identity)
 */
record ReadRoute(Kind kind, String key, List<String> ids) {

    enum Kind { CONVERSATION, PARTICIPANTS, UNREAD, DELIVERY, IDENTITY_CONVERSATIONS, HEALTH }

    /** The route of a raw (still percent-encoded) path, or null when the API has no such resource. */
    static ReadRoute parse(String rawPath) {
        List<String> s = segments(rawPath);
        if (s.size() < 2 || !s.get(0).equals("v1")) {
            return null;
        }
        if (s.size() == 2 && s.get(1).equals("health")) {
            return new ReadRoute(Kind.HEALTH, null, List.of());
        }
        if (s.get(1).equals("conversations") && s.size() >= 3) {
            String sid = s.get(2);
            if (s.size() == 3) {
                return conversation(Kind.CONVERSATION, sid);
            }
            if (s.size() == 4 && s.get(3).equals("participants")) {
                return conversation(Kind.PARTICIPANTS, sid);
            }
            if (s.size() == 6 && s.get(3).equals("participants") && s.get(5).equals("unread")) {
                return conversation(Kind.UNREAD, sid, s.get(4));
            }
            if (s.size() == 6 && s.get(3).equals("messages") && s.get(5).equals("delivery")) {
                return conversation(Kind.DELIVERY, sid, s.get(4));
            }
            return null;
        }
        if (s.get(1).equals("services") && s.size() == 6 && s.get(3).equals("identities")
                && s.get(5).equals("conversations")) {
            String key = IdentityAggregate.key(s.get(2), s.get(4));
            return new ReadRoute(Kind.IDENTITY_CONVERSATIONS, key, List.of(s.get(2), s.get(4)));
        }
        return null;
    }

    private static ReadRoute conversation(Kind kind, String... ids) {
        return new ReadRoute(kind, ids[0], List.of(ids));
    }

    /** Decoded path segments; empty ones (doubled or trailing slashes) are dropped. */
    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                // '+' is a literal plus in a path, not a space as in a form.
                segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }
}
