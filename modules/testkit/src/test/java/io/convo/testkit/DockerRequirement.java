package io.convo.testkit;

import java.util.Locale;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs a Testcontainers test class where Testcontainers finds a Docker engine. Where it finds none, the class is
 * skipped, unless a Docker engine is required ({@code CONVO_DOCKER_REQUIRED=true} or {@code -Dconvo.docker.required=true},
 * as {@code .ci/run} sets): then it fails, so that a CI run cannot pass with its containerised tests skipped.
 */
final class DockerRequirement implements ExecutionCondition {

    static final String PROPERTY = "convo.docker.required";
    static final String VARIABLE = "CONVO_DOCKER_REQUIRED";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String missing;
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return ConditionEvaluationResult.enabled("Testcontainers found a Docker engine");
            }
            missing = "Testcontainers found no Docker engine";
        } catch (RuntimeException e) {
            // An engine it found but cannot use, e.g. a helper image it cannot pull (the README's Docker section).
            missing = "Testcontainers cannot use the Docker engine: " + e;
        }
        if (required()) {
            throw new IllegalStateException(missing + ", and " + VARIABLE + " or -D" + PROPERTY + " says one is required");
        }
        return ConditionEvaluationResult.disabled(missing + " (" + VARIABLE + "=true fails the test instead)");
    }

    private static boolean required() {
        String value = System.getProperty(PROPERTY, System.getenv(VARIABLE));
        return value != null && value.trim().toLowerCase(Locale.ROOT).equals("true");
    }
}
