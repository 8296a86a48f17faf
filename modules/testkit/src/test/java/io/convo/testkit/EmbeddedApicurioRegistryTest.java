package io.convo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Locating the registry server and reporting why it did not start, without starting the real server. */
class EmbeddedApicurioRegistryTest {

    @Test
    void prefersTheSystemPropertyOverTheEnvironmentVariable() {
        assertThat(EmbeddedApicurioRegistry.home("/from/property", "/from/env")).isEqualTo(Path.of("/from/property"));
        assertThat(EmbeddedApicurioRegistry.home(null, "/from/env")).isEqualTo(Path.of("/from/env"));
        assertThat(EmbeddedApicurioRegistry.home(" ", "/from/env")).isEqualTo(Path.of("/from/env"));
    }

    @Test
    void saysHowToGetTheServerWhenNoLocationIsConfigured() {
        assertThatThrownBy(() -> EmbeddedApicurioRegistry.home(null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("convo.registry.home")
                .hasMessageContaining("CONVO_REGISTRY_HOME")
                .hasMessageContaining("io.apicurio:apicurio-registry-app:3.0.9:zip:all");
    }

    @Test
    void findsTheRunnerJarInHomeOrInAFolderBelowIt(@TempDir Path home) throws IOException {
        Path nested = Files.createDirectories(home.resolve("apicurio-registry-app-3.0.9"));
        Path jar = Files.createFile(nested.resolve("apicurio-registry-app-3.0.9-runner.jar"));
        Files.createDirectories(nested.resolve("lib"));
        Files.createFile(nested.resolve("lib/io.apicurio.apicurio-registry-common-3.0.9.jar"));

        assertThat(EmbeddedApicurioRegistry.findRunnerJar(home)).isEqualTo(jar);
        assertThat(EmbeddedApicurioRegistry.findRunnerJar(nested)).isEqualTo(jar);
    }

    @Test
    void failsWithTheServerOutputWhenTheServerExitsBeforeItIsReady(@TempDir Path home) throws IOException {
        Files.writeString(home.resolve("apicurio-registry-app-3.0.9-runner.jar"), "not a jar");

        assertThatThrownBy(() -> EmbeddedApicurioRegistry.start(home))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited with code 1 before it was ready")
                .hasMessageContaining("lines of output")
                .hasMessageContaining("Invalid or corrupt jarfile");
    }

    @Test
    void failsClearlyWhenHomeHoldsNoRunnerJar(@TempDir Path home) {
        assertThatThrownBy(() -> EmbeddedApicurioRegistry.findRunnerJar(home))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No apicurio-registry-app-*-runner.jar in " + home);
        assertThatThrownBy(() -> EmbeddedApicurioRegistry.findRunnerJar(home.resolve("missing")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not a directory");
    }
}
