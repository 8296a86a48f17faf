package io.convo.operate;

import io.convo.rules.state.StateKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * Compares two {@link StoreSnapshot}s store by store, key by key and field by field, and says where they differ:
 * a conversation's state and counts, each participant and its read horizon, message indexes, memberships, delivery
 * summaries and statuses, users and roles.
 */
public final class StateComparison {

    private static final int SHOWN_CHARS = 240;

    /** One difference: where, and the two values (rendered; {@code absent} when a side has no such entry). */
    public record Difference(VerifiedStore store, String key, String path, String live, String replayed) {

        /** E.g. {@code participants CH1/MB1 lastReadMessageIndex: live 3, replayed 5}. */
        public String describe() {
            return store.storeName() + " " + printableKey(key) + (path.isEmpty() ? "" : " " + path) + ": live "
                    + live + ", replayed " + replayed;
        }
    }

    /** Entries on each side and how many keys differ, for one store. */
    public record StoreCounts(VerifiedStore store, int live, int replayed, long differingKeys) {
    }

    /** The outcome: counts per store, the number of differences, and the first of them. */
    public record Result(List<StoreCounts> stores, long differenceCount, List<Difference> differences) {
        public boolean equal() {
            return differenceCount == 0;
        }
    }

    private final int kept;
    private final List<Difference> differences = new ArrayList<>();
    private long count;

    private StateComparison(int kept) {
        this.kept = kept;
    }

    /**
     * @param keep how many differences to keep for printing; all are counted
     */
    public static Result compare(StoreSnapshot live, StoreSnapshot replayed, int keep) {
        StateComparison comparison = new StateComparison(keep);
        List<StoreCounts> counts = new ArrayList<>();
        for (VerifiedStore store : VerifiedStore.values()) {
            counts.add(comparison.compareStore(store, live.entries(store), replayed.entries(store)));
        }
        return new Result(counts, comparison.count, List.copyOf(comparison.differences));
    }

    /** A store key as people write it: the NUL between two ids shown as {@code /}. */
    public static String printableKey(String key) {
        return key.replace(StateKeys.SEPARATOR, '/');
    }

    private StoreCounts compareStore(VerifiedStore store, NavigableMap<String, SpecificRecord> live,
                                     NavigableMap<String, SpecificRecord> replayed) {
        TreeSet<String> keys = new TreeSet<>(live.keySet());
        keys.addAll(replayed.keySet());
        long differing = 0;
        for (String key : keys) {
            long before = count;
            SpecificRecord l = live.get(key);
            SpecificRecord r = replayed.get(key);
            if (l == null || r == null) {
                add(store, key, "", render(l), render(r));
            } else {
                compareRecords(store, key, "", l, r);
            }
            if (count > before) {
                differing++;
            }
        }
        return new StoreCounts(store, live.size(), replayed.size(), differing);
    }


    private void compareRecords(VerifiedStore store, String key, String path, SpecificRecord live, SpecificRecord replayed) {
        for (Schema.Field field : live.getSchema().getFields()) {
            String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
            compareValues(store, key, fieldPath, live.get(field.pos()), replayed.get(field.pos()));
        }
    }

    private void compareValues(VerifiedStore store, String key, String path, Object live, Object replayed) {
        if (live == null || replayed == null) {
            if (live != replayed) {
                add(store, key, path, live == null ? "null" : render(live), replayed == null ? "null" : render(replayed));
            }
            return;
        }
        if (live instanceof SpecificRecord l && replayed instanceof SpecificRecord r) {
            compareRecords(store, key, path, l, r);
        } else if (live instanceof Map<?, ?> l && replayed instanceof Map<?, ?> r) {
            compareKeyed(store, key, path, stringKeys(l), stringKeys(r));
        } else if (!Objects.equals(live.toString(), replayed.toString())) {
            add(store, key, path, render(live), render(replayed));
        }
    }

    private void compareKeyed(VerifiedStore store, String key, String path, Map<String, Object> live,
                              Map<String, Object> replayed) {
        TreeSet<String> ids = new TreeSet<>(live.keySet());
        ids.addAll(replayed.keySet());
        for (String id : ids) {
            Object l = live.get(id);
            Object r = replayed.get(id);
            String itemPath = path + "[" + id + "]";
            if (l == null || r == null) {
                add(store, key, itemPath, render(l), render(r));
            } else {
                compareValues(store, key, itemPath, l, r);
            }
        }
    }



    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return copy;
    }

    private void add(VerifiedStore store, String key, String path, String live, String replayed) {
        count++;
        if (differences.size() < kept) {
            differences.add(new Difference(store, key, path, live, replayed));
        }
    }

    private static String render(Object value) {
        if (value == null) {
            return "absent";
        }
        String text = value instanceof CharSequence ? "\"" + value + "\"" : String.valueOf(value);
        return text.length() <= SHOWN_CHARS ? text : text.substring(0, SHOWN_CHARS) + "…";
    }
}
