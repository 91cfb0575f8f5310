package dev.hone.tune;

import java.util.List;

/**
 * What a sampler searches: the declared parameters, which way is better, and the target (null: none).
 */
public record SearchSpace(List<Param> params, Direction direction, Double target) {

    /** @throws SearchSpaceException when a parameter's condition ({@code when:}) cannot hold as written */
    public SearchSpace {
        Conditions.check(params);
    }

    public boolean isEmpty() {
        return params.isEmpty();
    }
}
