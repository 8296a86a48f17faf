package io.convo.tools.bench;

import io.convo.operate.OperateConfig;
import io.convo.topology.ConvoConfig;
import io.convo.topology.ConvoTopology;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * The application under test in {@code convo bench}, in a JVM of its own so that its resident memory is its own:
 * convo's topology or the pass-through, on the given Kafka Streams config. It talks to the benchmark through its
 * standard streams: it prints {@value #RUNNING} once Kafka Streams runs; on {@code heap} it collects garbage and
 * prints {@value #HEAP} and the heap in use; on {@code stop} or end of input it closes and exits.
 */
public final class BenchWorker {

    static final String PREFIX = "convo-bench-worker: ";
    static final String RUNNING = "RUNNING";
    static final String HEAP = "HEAP ";
    static final String FAILED = "FAILED ";
    static final String CONVO = "convo";
    static final String PASS_THROUGH = "pass-through";
    /** The worker's own config key: the prefix of the pass-through's output topics. */
    static final String OUTPUT_PREFIX = "convo.bench.output.prefix";

    private BenchWorker() {
    }

    /** Arguments: {@code convo|pass-through CONFIG_FILE}; the config holds the Streams and convo keys. */
    public static void main(String[] args) throws IOException, InterruptedException {
        // This is a process of its own whose standard output is its protocol with the benchmark.
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Properties config = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(args[1]), StandardCharsets.UTF_8)) {
            config.load(reader);
        }
        Topology topology = args[0].equals(CONVO)
                ? ConvoTopology.buildTopology(ConvoConfig.topologySettings(config))
                : PassThroughTopology.build(OperateConfig.topics(config), config.getProperty(OUTPUT_PREFIX, ""),
                        OperateConfig.serdeConfig(config));
        KafkaStreams streams = new KafkaStreams(topology, config);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                out.println(PREFIX + RUNNING);
            } else if (now == KafkaStreams.State.ERROR) {
                out.println(PREFIX + FAILED + before);
            }
        });
        streams.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("stop"); line = in.readLine()) {
            if (line.equals("heap")) {
                Runtime runtime = Runtime.getRuntime();
                System.gc();
                out.println(PREFIX + HEAP + (runtime.totalMemory() - runtime.freeMemory()));
            }
        }
        streams.close(Duration.ofSeconds(30));
        streams.cleanUp();
    }
}
