package io.convo.app;

import io.convo.operate.Simulator;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@code simulate} on 100,000 mixed commands decides every one without an error, and prints its throughput. Speed
 * is measured by {@code convo bench}, not asserted here: a shared machine's load would decide the verdict. An
 * integration test only because it takes a while; it needs no broker.
 */
class SimulatorThroughputIT {

    @Test
    void simulatesOneHundredThousandMixedCommandsWithoutAnError() throws IOException {
        String input = String.join("\n", CommandGenerator.generate(100_000, 1, 1_800_000_000_000L));
        Writer output = Writer.nullWriter();
        StringWriter errors = new StringWriter();

        long started = System.nanoTime();
        Simulator.Result result;
        try (Simulator simulator = new Simulator(new Properties())) {
            result = simulator.run(new StringReader(input), output, errors);
        }
        long millis = Math.max(1, (System.nanoTime() - started) / 1_000_000);

        System.err.printf("simulate: %d commands, %d output lines in %d ms: %.0f commands/s%n", result.commands(),
                result.outputLines(), millis, result.commands() * 1000.0 / millis);
        assertThat(errors.toString()).isEmpty();
        assertThat(result.commands()).isGreaterThanOrEqualTo(100_000);
        assertThat(result.outputLines()).isGreaterThanOrEqualTo(result.commands());
    }
}
