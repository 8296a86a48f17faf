package io.convo.tools.chaos;

import static io.convo.tools.chaos.PoisonHarness.keyOn;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.app.AppConfig;
import io.convo.model.serde.ConvoSerdes;
import io.convo.testkit.KafkaBrokerExtension;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /health/live} fails while stream threads keep failing for a reason no record explains (here decoding
 * fails as if the registry were unreachable), the record is not dead-lettered meanwhile, and once the fault is gone
 * the record is decided once and convo is live again when the window has passed.
 */
class StreamThreadLivenessIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void liveFailsWhileThreadsKeepFailingWithoutARecordToBlameAndRecoversWhenTheFaultIsGone() throws Exception {
        Properties config = new Properties();
        config.setProperty(ConvoSerdes.SERDE_CONFIG, FaultInjectingSerde.class.getName());
        config.setProperty(AppConfig.HEALTH_THREAD_FAILURES.name(), "3");
        config.setProperty(AppConfig.HEALTH_THREAD_FAILURE_WINDOW.name(), "20000");
        FaultInjectingSerde.UNREACHABLE.set(true);
        try (PoisonHarness convo = new PoisonHarness(KAFKA.bootstrapServers(), "convo-liveness", config)) {
            assertThat(convo.live()).isEqualTo(200);
            String key = keyOn(0, "CH-unreachable");
            convo.send(key, convo.encode(convo.create(key, convo.nextId("unreachable-"))));

            assertThat(convo.await(() -> convo.live() == 503)).as("/health/live fails").isTrue();
            assertThat(convo.get("/health/live").body()).contains("\"threadFailureLimit\":3");
            assertThat(convo.outputs.deadLetters(key)).as("a fault of the surroundings is not the record's").isEmpty();
            assertThat(convo.metric("convo_stream_thread_failures_total", "pinned", "false")).isGreaterThanOrEqualTo(3.0);
            assertThat(convo.log.any("A stream thread failed (", "such failures within 20 s")).isTrue();

            FaultInjectingSerde.UNREACHABLE.set(false);

            assertThat(convo.await(() -> !convo.outputs.events(key).isEmpty())).as("decided once the fault is gone").isTrue();
            assertThat(convo.await(() -> convo.live() == 200)).as("live again after the window").isTrue();
            String next = keyOn(0, "CH-after");
            convo.created(next);
            assertThat(convo.await(() -> !convo.outputs.events(next).isEmpty())).isTrue();
            assertThat(convo.outputs.events(key)).containsExactly("ConversationCreated");
            assertThat(convo.outputs.deadLetters(key)).isEmpty();
        } finally {
            FaultInjectingSerde.UNREACHABLE.set(true);
        }
    }
}
