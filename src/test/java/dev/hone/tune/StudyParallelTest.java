package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.testing.FakeClock;
import dev.hone.tune.StudyResult.Ending;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StudyParallelTest {

    @ParameterizedTest
    @ValueSource(strings = {"bayes", "tpe", "tpe-multivariate", "random"})
    void parallelFourRunsFourTrialsAtOnceAndNoParameterSetRepeats(String name) {
        Sampler sampler = switch (name) {
            case "bayes" -> Samplers.bayes(3);
            case "tpe" -> Samplers.tpe(3, false);
            case "tpe-multivariate" -> Samplers.tpe(3, true);
            default -> Samplers.random(3);
        };
        CyclicBarrier firstFour = new CyclicBarrier(4);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        TrialRunner runner = (number, params, diff) -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                if (number <= 4) {
                    firstFour.await(10, TimeUnit.SECONDS); // only passes when four trials run at once
                } else {
                    Thread.sleep(number % 3); // finish out of order
                }
                return Trial.succeeded(number, params, GpSamplerTest.branin(params), List.of(), 1);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                running.decrementAndGet();
            }
        };
        SearchSpace space = new SearchSpace(GpSamplerTest.BRANIN.params(), GpSamplerTest.BRANIN.direction(), null);

        StudyResult result = new Study(new StudyConfig(space, 40, 0, 4, null), sampler, null, runner,
                StudyListener.NONE, new FakeClock()).run();

        assertThat(result.ending()).isEqualTo(Ending.BUDGET_SPENT);
        assertThat(result.trials()).hasSize(40).allMatch(Trial::hasValue);
        assertThat(most.get()).isEqualTo(4);
        Set<Map<String, Object>> distinct = new HashSet<>();
        result.trials().forEach(t -> distinct.add(t.params()));
        assertThat(distinct).hasSize(40);
    }
}
