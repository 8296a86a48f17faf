package io.convo.tools.chaos;

import io.convo.model.json.JsonLines;
import io.convo.operate.Simulator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * The oracle: `simulate` decides the same commands in the order they were produced, and every topic's records
 * for every key must be the same lines in the same order as the application wrote them. Per key, because a key's
 * records are in one partition, in order; across keys no order is defined.
 */
final class OracleComparison {

    /**
     * The outcome: how many topic/key sequences differ, a readable sample of the first differences, and the first
     * 50 differing sequences in full.
     */
    record Result(long keysCompared, long differences, String sample, String details) {
    }

    private OracleComparison() {
    }

    static Result compare(List<SpecificRecord> commands, Properties config,
                          Map<String, Map<String, List<String>>> live) {
        Map<String, Map<String, List<String>>> expected = simulate(commands, config);
        Set<String> topics = new LinkedHashSet<>(expected.keySet());
        topics.addAll(live.keySet());
        long compared = 0;
        long differences = 0;
        StringBuilder sample = new StringBuilder();
        StringBuilder full = new StringBuilder();
        for (String topic : topics) {
            Map<String, List<String>> want = expected.getOrDefault(topic, Map.of());
            Map<String, List<String>> got = live.getOrDefault(topic, Map.of());
            Set<String> keys = new LinkedHashSet<>(want.keySet());
            keys.addAll(got.keySet());
            for (String key : keys) {
                compared++;
                List<String> w = want.getOrDefault(key, List.of());
                List<String> g = got.getOrDefault(key, List.of());
                if (!w.equals(g)) {
                    differences++;
                    if (differences <= 5) {
                        sample.append(describe(topic, key, w, g));
                    }
                    if (differences <= 50) {
                        full.append("== ").append(topic).append(' ').append(key).append("\n-- simulate\n")
                                .append(String.join("\n", w)).append("\n-- live\n").append(String.join("\n", g)).append('\n');
                    }
                }
            }
        }
        return new Result(compared, differences, sample.toString(), full.toString());
    }

    private static Map<String, Map<String, List<String>>> simulate(List<SpecificRecord> commands, Properties config) {
        Map<String, Map<String, List<String>>> grouped = new LinkedHashMap<>();
        try (Simulator simulator = new Simulator(config)) {
            for (SpecificRecord command : commands) {
                for (Simulator.Output o : simulator.pipe(JsonLines.commandOf(command))) {
                    grouped.computeIfAbsent(o.topic(), t -> new LinkedHashMap<>())
                            .computeIfAbsent(o.key(), k -> new ArrayList<>())
                            .add(JsonLines.outputLine(o.topic(), o.key(), o.value()));
                }
            }
        }
        return grouped;
    }

    private static String describe(String topic, String key, List<String> want, List<String> got) {
        int i = 0;
        while (i < want.size() && i < got.size() && want.get(i).equals(got.get(i))) {
            i++;
        }
        return String.format("%s %s: %d expected, %d written; first difference at #%d:%n  simulate: %s%n  live:     %s%n",
                topic, key, want.size(), got.size(), i,
                i < want.size() ? want.get(i) : "(nothing)", i < got.size() ? got.get(i) : "(nothing)");
    }
}
