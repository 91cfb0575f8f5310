package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Conditional parameters ({@code when:}) in every sampler: an inactive parameter never appears, an active one does. */
class ConditionalSamplersTest {

    private static final When SGD = new When(Map.of("optimizer", List.of("sgd")));
    private static final When ADAM = new When(Map.of("optimizer", List.of("adam")));

    static SearchSpace space() {
        return new SearchSpace(List.of(new CategoricalParam("optimizer", List.of("sgd", "adam")),
                new FloatParam("lr", 1e-4, 1, true), new FloatParam("momentum", 0, 0.99, false, SGD),
                new FloatParam("beta", 0.8, 0.999, false, ADAM),
                new CategoricalParam("nesterov", List.of(true, false), SGD)), Direction.MINIMIZE, null);
    }

    /** Best with sgd, momentum near 0.9 and Nesterov, lr near 0.01; adam's floor is higher. */
    static double objective(Map<String, Object> p) {
        double lr = Math.log10((Double) p.get("lr"));
        if (p.get("optimizer").equals("sgd")) {
            double m = (Double) p.get("momentum") - 0.9;
            return (lr + 2) * (lr + 2) + 4 * m * m + (Boolean.TRUE.equals(p.get("nesterov")) ? 0 : 0.1);
        }
        double b = (Double) p.get("beta") - 0.9;
        return 0.5 + (lr + 3) * (lr + 3) + 10 * b * b;
    }

    private static List<Trial> run(Sampler sampler, int trials) {
        List<Trial> history = new ArrayList<>();
        while (history.size() < trials) {
            List<Map<String, Object>> next = sampler.suggest(space(), history, 1);
            if (next.isEmpty()) {
                break;
            }
            Map<String, Object> p = next.getFirst();
            history.add(Trial.succeeded(history.size() + 1, p, objective(p), List.of(), 0));
        }
        return history;
    }

    private static void assertOnlyActiveParameters(List<Trial> history) {
        Set<Object> optimizers = new HashSet<>();
        Set<Object> momenta = new HashSet<>();
        for (Trial t : history) {
            Map<String, Object> p = t.params();
            optimizers.add(p.get("optimizer"));
            if (p.get("optimizer").equals("sgd")) {
                assertThat(p.keySet()).as("trial %d", t.number())
                        .containsExactly("optimizer", "lr", "momentum", "nesterov");
                momenta.add(p.get("momentum"));
            } else {
                assertThat(p.keySet()).as("trial %d", t.number()).containsExactly("optimizer", "lr", "beta");
            }
        }
        assertThat(optimizers).containsExactlyInAnyOrder("sgd", "adam");
        assertThat(momenta.size()).isGreaterThan(3);
    }

    @Test
    void everySamplerGivesActiveParametersOnlyAndSamplesThem() {
        Map<String, Supplier<Sampler>> samplers = Map.of("random", () -> Samplers.random(3),
                "tpe", () -> Samplers.tpe(3, false), "tpe-multivariate", () -> Samplers.tpe(3, true),
                "bayes", () -> Samplers.bayes(3), "auto", () -> Samplers.forStrategy(Strategy.AUTO, space(), 30, 3));
        samplers.forEach((name, sampler) -> {
            List<Trial> history = run(sampler.get(), 30);
            assertThat(history).as(name).hasSize(30);
            assertOnlyActiveParameters(history);
        });
    }

    @Test
    void modelsFindTheOptimumInsideItsBranch() {
        for (Sampler sampler : List.of(Samplers.tpe(5, true), Samplers.bayes(5))) {
            List<Trial> history = run(sampler, 40);
            Trial best = history.stream().min((a, b) -> Double.compare(a.value(), b.value())).orElseThrow();
            assertThat(best.params().get("optimizer")).as(sampler.name()).isEqualTo("sgd");
            assertThat(best.value()).as(sampler.name()).isLessThan(0.2);
        }
    }

    @Test
    void gridEnumeratesOnlyActiveCombinationsEachOnce() {
        List<Trial> history = run(Samplers.grid(1), 1000);

        // sgd: 5 lr × 5 momentum × 2 nesterov; adam: 5 lr × 5 beta
        assertThat(history).hasSize(50 + 25);
        assertThat(history.stream().map(t -> ParamSets.key(t.params())).distinct()).hasSize(75);
        assertOnlyActiveParameters(history);
        assertThat(Grid.search(space().params()).size()).isEqualTo(75);
    }

    @Test
    void aParameterUnderAnInactiveParentIsInactiveToo() {
        List<Param> params = List.of(new CategoricalParam("optimizer", List.of("sgd", "adam")),
                new CategoricalParam("schedule", List.of("step", "cosine"), SGD),
                new IntParam("step_size", 1, 10, false, new When(Map.of("schedule", List.of("step")))));

        assertThat(Conditions.active(params, Map.of("optimizer", "adam", "schedule", "step", "step_size", 3L)))
                .containsExactly(Map.entry("optimizer", "adam"));
        assertThat(Conditions.active(params, Map.of("optimizer", "sgd", "schedule", "step", "step_size", 3L)))
                .containsExactly(Map.entry("optimizer", "sgd"), Map.entry("schedule", "step"),
                        Map.entry("step_size", 3L));
        // adam; sgd with cosine; sgd with step and each of 10 step sizes
        assertThat(Grid.search(params).size()).isEqualTo(1 + 1 + 10);
    }

    @Test
    void aSearchSpaceWithAFlawedConditionIsRefused() {
        assertThatThrownBy(() -> new SearchSpace(List.of(new FloatParam("lr", 0, 1, false),
                new FloatParam("momentum", 0, 1, false, new When(Map.of("lr", List.of(0.1))))),
                Direction.MINIMIZE, null)).isInstanceOf(SearchSpaceException.class).hasMessage(
                "tune.params.momentum.when.lr: \"lr\" is a range, not a categorical parameter — when: names a"
                        + " parameter given as a list of choices");
    }

    @Test
    void aRerunsChangeKeepsTheConditionAndFixingTheParentLeavesTheOtherBranchInactive() {
        FloatParam momentum = new FloatParam("momentum", 0, 0.99, false, SGD);
        assertThat(new ParamChange.Range("momentum", 0.5, 0.9).applyTo(momentum).when()).isEqualTo(SGD);

        Param adamOnly = new ParamChange.Fixed("optimizer", "adam").applyTo(space().params().getFirst());
        List<Param> params = new ArrayList<>(space().params());
        params.set(0, adamOnly);
        SearchSpace fixed = new SearchSpace(params, Direction.MINIMIZE, null);
        for (Map<String, Object> p : Samplers.random(1).suggest(fixed, List.of(), 20)) {
            assertThat(p.keySet()).containsExactly("optimizer", "lr", "beta");
        }
    }
}
