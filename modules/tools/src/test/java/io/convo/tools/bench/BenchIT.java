package io.convo.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convo.tools.operate.ConvoInstance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** convo bench, small: every phase runs, every outcome is the expected one, and the report has its figures. */
class BenchIT {

    @TempDir
    Path dir;

    @Test
    void aSmallBenchmarkMeasuresBothApplicationsAndSimulateOnTheSameCommands() throws Exception {
        Path json = dir.resolve("bench.json");
        ConvoInstance.Run run = ConvoInstance.cli(new BenchCommand(), "--commands", "2000", "--latency-commands", "300",
                "--latency-share", "0.5", "--worker-heap", "512m", "--work-dir", dir.toString(), "--out", json.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("pass-through").contains("convo").contains("simulate")
                .contains("convo / pass-through: throughput");

        JsonNode result = new ObjectMapper().readTree(json.toFile());
        assertThat(result.get("machine").get("cores").asInt()).isPositive();
        for (String app : new String[] {"passThrough", "convo"}) {
            JsonNode a = result.get(app);
            assertThat(a.get("unexpectedOutcomes").asLong()).as(app).isZero();
            assertThat(a.get("outcomes").asLong()).as(app).isEqualTo(2_300);
            assertThat(a.get("commandsPerSecond").asDouble()).as(app).isPositive();
            assertThat(a.get("latency").get("samples").asInt()).as(app).isEqualTo(300);
            assertThat(a.get("latency").get("p99Ms").asDouble()).as(app)
                    .isGreaterThanOrEqualTo(a.get("latency").get("p50Ms").asDouble());
            assertThat(a.get("rssBytes").asLong()).as(app).isPositive();
            // Issue 16: the latency phase runs at the stated share of the capacity just measured.
            assertThat(a.get("latency").get("ratePerSecond").asDouble()).as(app)
                    .isCloseTo(0.5 * a.get("commandsPerSecond").asDouble(), org.assertj.core.data.Offset.offset(1.0));
            assertThat(a.get("cpuMillisPerCommand").asDouble()).as(app).isPositive();
            List<String> topics = new ArrayList<>();
            a.get("written").forEach(w -> topics.add(w.get("topic").asText()));
            assertThat(topics).as(app).isNotEmpty();
            a.get("written").forEach(w -> assertThat(w.get("bytesPerCommand").asDouble()).isPositive());
        }
        List<String> convoTopics = new ArrayList<>();
        result.get("convo").get("written").forEach(w -> convoTopics.add(w.get("topic").asText()));
        assertThat(convoTopics).as("events and changelogs both count").contains("convo.conversation-events")
                .anyMatch(t -> t.endsWith("-changelog"));
        assertThat(result.get("simulateCommandsPerSecond").asDouble()).isPositive();
        assertThat(result.get("simulateUnexpectedOutcomes").asLong()).isZero();
        assertThat(result.get("workload").get("rejectedShare").asDouble()).isBetween(0.03, 0.2);
        assertThat(result.get("replay").get("equal").asBoolean()).isTrue();
        assertThat(result.get("replay").get("events").asLong()).isPositive();
    }
}
