package io.convo.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs one {@link EmbeddedApicurioRegistry} per test class, located through system
 * property {@code convo.registry.home} (set by the build for Failsafe tests). Register it on a static field:
 * {@code @RegisterExtension static final ApicurioRegistryExtension registry = new ApicurioRegistryExtension();}.
 */
public final class ApicurioRegistryExtension implements BeforeAllCallback, AfterAllCallback {

    private EmbeddedApicurioRegistry registry;
    private String owner; // unique id of the class context that started the registry

    @Override
    public void beforeAll(ExtensionContext context) {
        if (registry == null) {
            registry = EmbeddedApicurioRegistry.start();
            owner = context.getUniqueId();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (registry != null && context.getUniqueId().equals(owner)) {
            registry.close();
            registry = null;
            owner = null;
        }
    }

    /** The running registry. */
    public EmbeddedApicurioRegistry registry() {
        if (registry == null) {
            throw new IllegalStateException(
                    "No registry: register ApicurioRegistryExtension on a static field with @RegisterExtension");
        }
        return registry;
    }

    /** The core REST API URL, {@code http://127.0.0.1:<port>/apis/registry/v3}. */
    public String url() {
        return registry().url();
    }

    /** The Confluent-compatible API URL, {@code http://127.0.0.1:<port>/apis/ccompat/v7}. */
    public String ccompatUrl() {
        return registry().ccompatUrl();
    }
}
