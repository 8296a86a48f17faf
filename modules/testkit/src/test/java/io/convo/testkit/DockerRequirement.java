package io.convo.testkit;

import java.util.Locale;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs a Testcontainers test class where Testcontainers finds a Docker engine. Where it finds none, the class is
 * skipped, unless a Docker engine is required ({@code mvn verify -Dconvo.docker.required=true}, as {@code .ci/run}
 * runs it): then it fails, so that a CI run cannot pass with its containerised tests skipped. A system property, not
 * a {@code CONVO_*} variable: those are convo's configuration.
 */
final class DockerRequirement implements ExecutionCondition {

    static final String PROPERTY = "convo.docker.required";

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
            throw new IllegalStateException(missing + ", and -D" + PROPERTY + "=true says one is required");
        }
        return ConditionEvaluationResult.disabled(missing + " (-D" + PROPERTY + "=true fails the test instead)");
    }

    private static boolean required() {
        return System.getProperty(PROPERTY, "false").trim().toLowerCase(Locale.ROOT).equals("true");
    }
}
