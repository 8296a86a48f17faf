package io.convo.testkit;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The broker contract against the official {@code apache/kafka} image, so that the embedded broker is held
 * to the same behaviour as a stock one. Reported as skipped where no Docker engine is available.
 */
@Testcontainers(disabledWithoutDocker = true)
class KafkaContainerBrokerIT extends BrokerContract {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.1");

    @Override
    String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }
}
