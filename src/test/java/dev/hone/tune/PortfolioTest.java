package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class PortfolioTest extends SamplerContract {

    @Override
    Sampler sampler(long seed) {
        return new Portfolio(seed);
    }

    static final SearchSpace LINE = new SearchSpace(List.of(new FloatParam("x", 0, 1, false)), Direction.MINIMIZE,
            null);

    /** 10 trials valued by {@code before}, then 10 by {@code after}, at x spread over [0, 1]. */
    static List<Trial> history(DoubleUnaryOperator before, DoubleUnaryOperator after) {
        List<Trial> history = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            double x = ((t * 7) % 20 + 0.5) / 20;
            double v = (t < 10 ? before : after).applyAsDouble(x);
            history.add(finished(t + 1, Map.of("x", x), TrialState.SUCCEEDED, v));
        }
        return history;
    }

    @Test
    void theGaussianProcessChoosesWhileItPredictsTheRecentTrialsWell() {
        List<Trial> smooth = history(x -> Math.sin(4 * x), x -> Math.sin(4 * x));

        assertThat(GpSampler.recentRankCorrelation(LINE, smooth, Portfolio.RECENT)).isGreaterThan(0.9);
        assertThat(Portfolio.poorModel(LINE, smooth)).isFalse();
        assertThat(sampler(3).suggest(LINE, smooth, 1)).isEqualTo(Samplers.bayes(3).suggest(LINE, smooth, 1));
    }

    @Test
    void multivariateTpeChoosesWhenTheModelRanksTheRecentTrialsBackwards() {
        List<Trial> turned = history(x -> x, x -> -x);

        assertThat(GpSampler.recentRankCorrelation(LINE, turned, Portfolio.RECENT)).isLessThan(-0.9);
        assertThat(Portfolio.poorModel(LINE, turned)).isTrue();
        assertThat(sampler(3).suggest(LINE, turned, 1)).isEqualTo(Samplers.tpe(3, true).suggest(LINE, turned, 1));
    }

    @Test
    void tooFewTrialsToJudgeLeaveTheGaussianProcessInCharge() {
        List<Trial> few = history(x -> x, x -> -x).subList(0, 14); // 4 recent past a design of 5: not 10

        assertThat(GpSampler.recentRankCorrelation(LINE, few, Portfolio.RECENT)).isNaN();
        assertThat(Portfolio.poorModel(LINE, few)).isFalse();
    }
}
