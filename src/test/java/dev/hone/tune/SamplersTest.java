package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.HoneException;
import dev.hone.spec.Spec.Direction;
import dev.hone.spec.Spec.Strategy;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplersTest {

    static final SearchSpace SPACE = new SearchSpace(List.of(), Direction.MAXIMIZE, null);

    @Test
    void autoAndRandomAreRandomAndGridIsGrid() {
        assertThat(Samplers.forStrategy(Strategy.AUTO, SPACE, 30, 1).name()).isEqualTo("random");
        assertThat(Samplers.forStrategy(Strategy.RANDOM, SPACE, 30, 1).name()).isEqualTo("random");
        assertThat(Samplers.forStrategy(Strategy.GRID, SPACE, 30, 1).name()).isEqualTo("grid");
    }

    @Test
    void tpeAndBayesAreNotAvailableYet() {
        assertThatThrownBy(() -> Samplers.forStrategy(Strategy.TPE, SPACE, 30, 1))
                .isInstanceOf(HoneException.class)
                .hasMessage("strategy: tpe is not available yet; use random or grid");
        assertThatThrownBy(() -> Samplers.forStrategy(Strategy.BAYES, SPACE, 30, 1))
                .isInstanceOf(HoneException.class)
                .hasMessage("strategy: bayes is not available yet; use random or grid");
    }

    @Test
    void scriptHasNoSampler() {
        assertThatThrownBy(() -> Samplers.forStrategy(Strategy.SCRIPT, SPACE, 30, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("strategy script has no sampler");
    }
}
