package io.convo.testkit;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The broker contract against the {@code apache/kafka} image (the public one, or the stand-in
 * {@code docker/local-images/build} makes where it cannot be pulled), so that the embedded broker is held to the
 * same behaviour as a stock one. Skipped where Testcontainers finds no Docker engine, failed there if one is required
 * ({@link DockerRequirement}).
 */
@ExtendWith(DockerRequirement.class)
@Testcontainers
class KafkaContainerBrokerIT extends BrokerContract {

    /** The image docker/docker-compose.yml runs too. */
    static final String IMAGE = "apache/kafka:4.1.1";
    /** The image's PLAINTEXT listener inside the container, which KafkaContainer exposes. */
    private static final int LISTENER_PORT = 9092;

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(IMAGE)
            // A modest heap beside the suite's other JVMs (the image's default is 1 GB).
            .withEnv("KAFKA_HEAP_OPTS", "-Xmx384m -Xms384m")
            // The host port on loopback only, not on every interface as Testcontainers publishes by default.
            .withCreateContainerCmdModifier(create -> create.getHostConfig().withPortBindings(
                    new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(LISTENER_PORT))));

    @Override
    String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }
}
