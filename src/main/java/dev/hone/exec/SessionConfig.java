package dev.hone.exec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run's environment is made of. {@code labels} identify the run's resources (for Docker: container
 * labels {@code hone.run}, {@code hone.project}). Fields the local executor cannot honour are ignored by it.
 * {@code secrets}: values every executor replaces with {@value Masks#MASK} in the commands' output (the log file,
 * the tail, the line consumer); {@code toString} shows none of them. {@code gpus}: the UUIDs of the GPUs the run's
 * trials may be given (for Docker: the workspace container's device request; each trial narrows them with
 * {@code CUDA_VISIBLE_DEVICES}); empty for none.
 */
public record SessionConfig(String runId, String project, String image, Double cpus, Long memoryBytes,
                            boolean network, Map<String, String> env, Set<String> secrets, List<String> gpus) {

    public SessionConfig {
        secrets = secrets == null ? Set.of() : Set.copyOf(secrets);
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }

    /** No GPUs. */
    public SessionConfig(String runId, String project, String image, Double cpus, Long memoryBytes, boolean network,
                         Map<String, String> env, Set<String> secrets) {
        this(runId, project, image, cpus, memoryBytes, network, env, secrets, List.of());
    }

    /** No secrets to mask. */
    public SessionConfig(String runId, String project, String image, Double cpus, Long memoryBytes, boolean network,
                         Map<String, String> env) {
        this(runId, project, image, cpus, memoryBytes, network, env, Set.of());
    }

    /** The masks of {@link #secrets}. */
    public Masks masks() {
        return Masks.of(secrets);
    }

    @Override
    public String toString() {
        Map<String, String> shown = null;
        if (env != null) {
            Masks masks = masks();
            shown = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : env.entrySet()) {
                shown.put(e.getKey(), e.getValue() == null ? null : masks.apply(e.getValue()));
            }
        }
        return "SessionConfig[runId=" + runId + ", project=" + project + ", image=" + image + ", cpus=" + cpus
                + ", memoryBytes=" + memoryBytes + ", network=" + network + ", env=" + shown + ", secrets="
                + Collections.nCopies(secrets.size(), Masks.MASK) + ", gpus=" + gpus + "]";
    }
}
