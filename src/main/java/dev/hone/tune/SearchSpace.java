package dev.hone.tune;

import dev.hone.spec.Spec.Direction;
import dev.hone.spec.Spec.Param;
import java.util.List;

/**
 * What a sampler searches: the declared parameters, which way is better, and the target (null: none).
 */
public record SearchSpace(List<Param> params, Direction direction, Double target) {

    public boolean isEmpty() {
        return params.isEmpty();
    }
}
