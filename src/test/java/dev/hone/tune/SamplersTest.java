package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplersTest {

    static final SearchSpace SPACE = new SearchSpace(List.of(), Direction.MAXIMIZE, null);

    static SearchSpace space(Param... params) {
        return new SearchSpace(List.of(params), Direction.MAXIMIZE, 0.9);
    }

    @Test
    void eachStrategyHasItsSampler() {
        assertThat(Samplers.forStrategy(Strategy.RANDOM, SPACE, 30, 1).name()).isEqualTo("random");
        assertThat(Samplers.forStrategy(Strategy.GRID, SPACE, 30, 1).name()).isEqualTo("grid");
        assertThat(Samplers.forStrategy(Strategy.TPE, SPACE, 30, 1).name()).isEqualTo("tpe");
        assertThat(Samplers.forStrategy(Strategy.BAYES, SPACE, 30, 1).name()).isEqualTo("bayes");
    }

    @Test
    void autoIsBayesianOptimisationForASmallNumericSpaceAndBudget() {
        SearchSpace space = space(new FloatParam("C", 1e-3, 1e3, true), new IntParam("layers", 1, 4, false),
                new CategoricalParam("kernel", List.of("rbf", "poly")));

        assertThat(Samplers.forStrategy(Strategy.AUTO, space, 150, 1).name()).isEqualTo("bayes");
    }

    @Test
    void autoIsMultivariateTpeForALargeBudget() {
        assertThat(Samplers.forStrategy(Strategy.AUTO, space(new FloatParam("x", 0, 1, false)), 1000, 1).name())
                .isEqualTo("tpe-multivariate");
    }

    @Test
    void autoIsMultivariateTpeForACategoricalHeavySpace() {
        SearchSpace space = space(new FloatParam("x", 0, 1, false),
                new CategoricalParam("a", List.of("p", "q")), new CategoricalParam("b", List.of("p", "q")));

        assertThat(Samplers.forStrategy(Strategy.AUTO, space, 50, 1).name()).isEqualTo("tpe-multivariate");
    }

    @Test
    void autoIsMultivariateTpeForAWideSpace() {
        List<Param> params = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            params.add(new FloatParam("x" + i, 0, 1, false));
        }

        assertThat(Samplers.forStrategy(Strategy.AUTO, space(params.toArray(Param[]::new)), 100, 1).name())
                .isEqualTo("tpe-multivariate");
    }

    @Test
    void autoWithNothingToTuneIsRandom() {
        assertThat(Samplers.forStrategy(Strategy.AUTO, SPACE, 30, 1).name()).isEqualTo("random");
    }

    @Test
    void scriptHasNoSampler() {
        assertThatThrownBy(() -> Samplers.forStrategy(Strategy.SCRIPT, SPACE, 30, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("strategy script has no sampler");
    }
}
