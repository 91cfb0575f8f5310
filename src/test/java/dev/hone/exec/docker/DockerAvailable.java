package dev.hone.exec.docker;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests that need a real Docker daemon and Hone's offline images (hone/python, hone/sklearn). Where they are
 * missing the tests are skipped on a developer's machine, but fail under CI ({@code CI=true}): CI must have them.
 */
final class DockerAvailable implements ExecutionCondition, BeforeAllCallback {

    static final List<String> IMAGES = List.of("hone/python", "hone/sklearn");
    private static volatile Optional<String> missing;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> why = missing();
        if (why.isEmpty()) {
            return ConditionEvaluationResult.enabled("Docker answers and has " + IMAGES);
        }
        if (inCi()) {
            return ConditionEvaluationResult.enabled("CI=true: Docker tests must run; " + why.get());
        }
        return ConditionEvaluationResult.disabled("skipped outside CI: " + why.get());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Optional<String> why = missing();
        if (why.isPresent() && inCi()) {
            throw new AssertionError("CI=true but the Docker tests cannot run: " + why.get()
                    + "\n  .ci/docker.sh installs docker.io, starts dockerd and builds the images");
        }
    }

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static Optional<String> missing() {
        Optional<String> known = missing;
        if (known == null) {
            known = probe();
            missing = known;
        }
        return known;
    }

    private static Optional<String> probe() {
        Map<String, String> env = System.getenv();
        Optional<String> down = Docker.unavailableReason(env);
        if (down.isPresent()) {
            return down;
        }
        try (var client = Docker.client(env, Docker.PING_TIMEOUT)) {
            for (String image : IMAGES) {
                try {
                    client.inspectImageCmd(image).exec();
                } catch (RuntimeException e) {
                    return Optional.of("image " + image + " is missing: build it with images/build-offline.sh "
                            + image.substring("hone/".length()));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    }
}
