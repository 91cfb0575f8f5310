package dev.hone.tune;

import java.util.List;

/**
 * What a sampler searches: the declared parameters, which way is better, and the target (null: none).
 */
public record SearchSpace(List<Param> params, Direction direction, Double target) {

    public boolean isEmpty() {
        return params.isEmpty();
    }
}
