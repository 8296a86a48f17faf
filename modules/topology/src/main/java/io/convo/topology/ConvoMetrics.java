package io.convo.topology;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * convo's own metrics, registered with Kafka Streams' metrics so that they are exported wherever Streams' are
 * (the application exposes them in Prometheus format): commands by type and outcome, rejections by code, commands
 * parked behind a check. Each is a {@code -total} and a {@code -rate}, tagged with the task.
 */
final class ConvoMetrics {

    static final String COMMANDS = "convo-commands";
    static final String REJECTIONS = "convo-rejections";
    static final String CHECKS = "convo-checks";

    private final StreamsMetrics metrics;
    private final Map<String, Sensor> sensors = new HashMap<>();

    ConvoMetrics(StreamsMetrics metrics) {
        this.metrics = metrics;
    }

    /** A command decided: {@code accepted} or {@code rejected}, by command type; a rejection also by its code. */
    void decided(String commandType, String rejectionCode) {
        record(COMMANDS, commandType, rejectionCode == null ? "accepted" : "rejected");
        if (rejectionCode != null) {
            record(REJECTIONS, rejectionCode, "rejections");
        }
    }

    /** A command parked behind its conversation's pending check. */
    void parked() {
        record(CHECKS, "conversation", "parked");
    }

    /** A command that sent its check ahead of the older ones in flight (see PipelinedChecks). */
    void ranAhead() {
        record(CHECKS, "conversation", "ran-ahead");
    }

    /** A check sent to another key (a service's window, an identity's memberships). */
    void asked(String kind) {
        record(CHECKS, kind, "asked");
    }

    private void record(String scope, String entity, String operation) {
        sensors.computeIfAbsent(scope + '/' + entity + '/' + operation,
                k -> metrics.addRateTotalSensor(scope, entity, operation, Sensor.RecordingLevel.INFO)).record();
    }
}
