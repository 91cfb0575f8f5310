package dev.hone.pipeline;

import java.util.Optional;

/**
 * Who may record runs under a project name. Under {@code hone serve} a project belongs to the first watched
 * repository that ran under it, so two repositories cannot write one project's model; {@code hone run} claims
 * nothing.
 */
@FunctionalInterface
public interface ProjectClaims {

    /** Nobody's claim stands in the way. */
    ProjectClaims NONE = (project, source) -> Optional.empty();

    /** Why a run from {@code source} may not be recorded under {@code project}; empty when it may. */
    Optional<String> refusal(String project, String source);
}
