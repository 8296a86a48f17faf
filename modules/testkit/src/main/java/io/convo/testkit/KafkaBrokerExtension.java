package io.convo.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs one temporary {@link EmbeddedKafkaBroker} per test class. Register it on a
 * static field, {@code @RegisterExtension static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();},
 * so that it starts in beforeAll and closes in afterAll; {@code @Nested} classes share the outer broker.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedKafkaBroker broker;
    private String owner; // unique id of the class context that started the broker

    @Override
    public void beforeAll(ExtensionContext context) {
        if (broker == null) {
            broker = EmbeddedKafkaBroker.startTemporary();
            owner = context.getUniqueId();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (broker != null && context.getUniqueId().equals(owner)) {
            broker.close();
            broker = null;
            owner = null;
        }
    }

    /** The running broker, e.g. to {@code stop()} and {@code restart()} it. */
    public EmbeddedKafkaBroker broker() {
        if (broker == null) {
            throw new IllegalStateException(
                    "No broker: register KafkaBrokerExtension on a static field with @RegisterExtension");
        }
        return broker;
    }

    /** The broker's address, {@code 127.0.0.1:<port>}. */
    public String bootstrapServers() {
        return broker().bootstrapServers();
    }

    /** Creates the topics that do not exist yet; see {@link EmbeddedKafkaBroker#createTopics}. */
    public void createTopics(int partitions, String... names) {
        broker().createTopics(partitions, names);
    }
}
