package dev.hone.tune;

import java.util.List;

/**
 * What a sampler searches: the declared parameters, which way is better, and the target (null: none).
 * {@code further}: the objectives after the first of a multi-objective study ({@code metric} as a list), empty for
 * one metric.
 */
public record SearchSpace(List<Param> params, Direction direction, Double target, List<Objective> further) {

    /** @throws SearchSpaceException when a parameter's condition ({@code when:}) cannot hold as written */
    public SearchSpace {
        Conditions.check(params);
        further = further == null ? List.of() : List.copyOf(further);
    }

    /** One metric. */
    public SearchSpace(List<Param> params, Direction direction, Double target) {
        this(params, direction, target, List.of());
    }

    public boolean isEmpty() {
        return params.isEmpty();
    }

    /** True with more than one objective. */
    public boolean multiObjective() {
        return !further.isEmpty();
    }
}
