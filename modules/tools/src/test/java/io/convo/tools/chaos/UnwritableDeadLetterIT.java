package io.convo.tools.chaos;

import static io.convo.tools.chaos.PoisonHarness.header;
import static io.convo.tools.chaos.PoisonHarness.keyOn;
import static org.assertj.core.api.Assertions.assertThat;

import io.convo.model.DeadLetterHeaders;
import io.convo.model.TopicNames;
import io.convo.model.config.TopicsConfig;
import io.convo.testkit.KafkaBrokerExtension;
import io.convo.testkit.KafkaTestClients;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The last rungs of the safety net, on a real broker: when even the dead letter cannot be written (here the
 * operator gave {@code commands-dlq} a 2 KB {@code max.message.bytes}, so the broker refuses a 10 KB dead letter
 * after the producer took it), the record is retried, then dead-lettered as a pointer (headers only: where the
 * original is, its size and digest), and the records behind it are decided once.
 */
class UnwritableDeadLetterIT {

    @RegisterExtension
    static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();

    @Test
    void aDeadLetterTheBrokerRefusesIsRetriedThenReplacedByAPointerAndNothingBehindItIsLostOrDoubled() throws Exception {
        String prefix = "small-dlq.";
        try (Admin admin = KafkaTestClients.admin(KAFKA.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(TopicNames.withPrefix(prefix).commandsDlq(), PoisonHarness.PARTITIONS,
                    (short) 1).configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2048")))).all().get();
        }
        Properties config = new Properties();
        config.setProperty(TopicsConfig.PREFIX.name(), prefix);
        try (PoisonHarness convo = new PoisonHarness(KAFKA.bootstrapServers(), "convo-small-dlq", config)) {
            byte[] garbage = new byte[10_000];
            new Random(7).nextBytes(garbage);
            garbage[0] = 0x3A;
            String key = keyOn(1, "CH-unwritable");
            RecordMetadata[] sent = new RecordMetadata[1];

            List<String> decided = convo.around("unwritable", 1, () -> sent[0] = convo.send(key, garbage));

            ConsumerRecord<String, byte[]> pointer = convo.theDeadLetter(key);
            assertThat(pointer.value()).as("a pointer has no value").isNull();
            assertThat(header(pointer, DeadLetterHeaders.TRUNCATED)).isEqualTo("value,headers");
            assertThat(header(pointer, DeadLetterHeaders.ORIGINAL_SIZE)).isEqualTo("10000");
            assertThat(header(pointer, DeadLetterHeaders.ATTEMPTS)).isEqualTo("3");
            assertThat(header(pointer, DeadLetterHeaders.OFFSET)).isEqualTo(String.valueOf(sent[0].offset()));
            assertThat(header(pointer, DeadLetterHeaders.REASON)).contains("the original stays at "
                    + convo.topics.conversationCommands() + "-1@" + sent[0].offset(), "RecordTooLargeException");
            convo.decidedOnceEach(decided);
            convo.stillRunningAndLive();
            assertThat(convo.metric("convo_dead_letters_total", "kind", "repeated-failure-pointer", "partition", "1"))
                    .isEqualTo(1.0);
            assertThat(convo.log.any(convo.topics.conversationCommands() + "-1@" + sent[0].offset(),
                    "dead-lettering its headers only")).isTrue();
        }
    }
}
