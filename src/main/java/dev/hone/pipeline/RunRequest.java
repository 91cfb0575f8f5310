package dev.hone.pipeline;

import dev.hone.spec.Spec;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code hone run}: the directory and the command line's overrides of {@code hone.yaml} (null: not given).
 * {@code fixed}: parameters fixed to these values (null: tuned as the spec says) — one trial with exactly them, no
 * target, nothing served and nobody notified: what {@code hone bisect} and {@code hone reproduce} train.
 */
public record RunRequest(Path dir, Spec.Executor executor, Double target, Integer maxTrials, Integer parallel,
                         Long seed, Map<String, Object> fixed) {

    public RunRequest {
        fixed = fixed == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
    }

    public RunRequest(Path dir, Spec.Executor executor, Double target, Integer maxTrials, Integer parallel,
                      Long seed) {
        this(dir, executor, target, maxTrials, parallel, seed, null);
    }

    public static RunRequest of(Path dir) {
        return new RunRequest(dir, null, null, null, null, null);
    }

    /** {@code dir} trained once with exactly {@code params} (see {@link #fixed()}). */
    public static RunRequest fixed(Path dir, Spec.Executor executor, Map<String, Object> params) {
        return new RunRequest(dir, executor, null, 1, 1, null, params);
    }
}
