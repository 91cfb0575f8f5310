package dev.hone.pipeline;

import dev.hone.spec.Spec;
import java.nio.file.Path;

/**
 * One {@code hone run}: the directory and the command line's overrides of {@code hone.yaml} (null: not given).
 */
public record RunRequest(Path dir, Spec.Executor executor, Double target, Integer maxTrials, Integer parallel,
                         Long seed) {

    public static RunRequest of(Path dir) {
        return new RunRequest(dir, null, null, null, null, null);
    }
}
