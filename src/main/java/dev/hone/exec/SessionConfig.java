package dev.hone.exec;

import java.util.Map;

/**
 * What a run's environment is made of. {@code labels} identify the run's resources (for Docker: container
 * labels {@code hone.run}, {@code hone.project}). Fields the local executor cannot honour are ignored by it.
 */
public record SessionConfig(String runId, String project, String image, Double cpus, Long memoryBytes,
                            boolean network, Map<String, String> env) {}
