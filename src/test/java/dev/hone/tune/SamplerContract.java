package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every sampler promises (in the spirit of Optuna's BasicSamplerTestCase); each sampler's test extends it.
 */
abstract class SamplerContract {

    abstract Sampler sampler(long seed);

    static SearchSpace space(Param... params) {
        return new SearchSpace(List.of(params), Direction.MAXIMIZE, null);
    }

    static Trial finished(int number, Map<String, Object> params, TrialState state, Double value) {
        return new Trial(number, params, state, value, List.of(), 0, 10, null, "");
    }

    private static final SearchSpace MIXED = space(
            new FloatParam("lr", 0.1, 10, false),
            new IntParam("layers", -3, 7, false),
            new CategoricalParam("kernel", List.of("rbf", 3L, 0.5, true)));

    @Test
    void valuesStayWithinTheirBoundsWithTheirTypes() {
        List<Map<String, Object>> sets = sampler(1).suggest(MIXED, List.of(), 40);

        assertThat(sets).isNotEmpty();
        for (Map<String, Object> set : sets) {
            assertThat(set.keySet()).containsExactly("lr", "layers", "kernel");
            assertThat(set.get("lr")).isInstanceOfSatisfying(Double.class,
                    v -> assertThat(v).isBetween(0.1, 10.0));
            assertThat(set.get("layers")).isInstanceOfSatisfying(Long.class,
                    v -> assertThat(v).isBetween(-3L, 7L));
            assertThat(set.get("kernel")).isIn("rbf", 3L, 0.5, true);
        }
    }

    @Test
    void categoricalChoicesKeepTheirTypes() {
        SearchSpace space = space(new CategoricalParam("c", List.of("rbf", 3L, 0.5, true)));

        List<Map<String, Object>> sets = sampler(3).suggest(space, List.of(), 4);

        assertThat(sets).extracting(s -> s.get("c")).containsExactlyInAnyOrder("rbf", 3L, 0.5, true);
    }

    @Test
    void logFloatsAreSpreadOverTheDecades() {
        SearchSpace space = space(new FloatParam("C", 1e-3, 1e3, true));

        List<Double> values = new ArrayList<>();
        for (Map<String, Object> set : sampler(5).suggest(space, List.of(), 500)) {
            values.add((Double) set.get("C"));
        }

        assertThat(values).allSatisfy(v -> assertThat(v).isBetween(1e-3, 1e3));
        assertThat(median(values)).as("median of log-uniform values: the geometric mean 1").isBetween(1 / 3.0, 3.0);
    }

    @Test
    void logIntsAreSpreadOverTheDecades() {
        SearchSpace space = space(new IntParam("units", 10, 100_000, true));

        List<Double> values = new ArrayList<>();
        for (Map<String, Object> set : sampler(5).suggest(space, List.of(), 100)) {
            assertThat(set.get("units")).isInstanceOf(Long.class);
            values.add(((Long) set.get("units")).doubleValue());
        }

        assertThat(values).allSatisfy(v -> assertThat(v).isBetween(10.0, 100_000.0));
        assertThat(median(values)).as("median of log-uniform values: the geometric mean 1000")
                .isBetween(1000 / 3.0, 3000.0);
    }

    @Test
    void theSameSeedAndHistoryGiveTheSameSuggestions() {
        List<Trial> history = List.of(finished(1, Map.of("lr", 1.0, "layers", 2L, "kernel", "rbf"),
                TrialState.SUCCEEDED, 0.5));
        Sampler once = sampler(42);
        Sampler twice = sampler(42);
        twice.suggest(MIXED, List.of(), 3); // what came before does not matter

        assertThat(twice.suggest(MIXED, history, 5)).isEqualTo(once.suggest(MIXED, history, 5));
    }

    @Test
    void differentSeedsGiveDifferentSuggestions() {
        assertThat(sampler(1).suggest(MIXED, List.of(), 5)).isNotEqualTo(sampler(2).suggest(MIXED, List.of(), 5));
    }

    @Test
    void failedNanRunningAndForeignTrialsInTheHistoryAreTolerated() {
        List<Trial> history = List.of(
                finished(1, Map.of(), TrialState.SUCCEEDED, 0.3),
                finished(2, Map.of("lr", 1.0, "layers", 2L, "kernel", "rbf"), TrialState.FAILED, null),
                finished(3, Map.of("lr", 2.0, "layers", 3L, "kernel", true), TrialState.SUCCEEDED, Double.NaN),
                finished(4, Map.of("other", "x"), TrialState.KILLED, null),
                Trial.running(5, Map.of("lr", 3.0, "layers", 4L, "kernel", 0.5)));

        List<Map<String, Object>> sets = sampler(9).suggest(MIXED, history, 3);

        assertThat(sets).hasSize(3);
        assertThat(sets).doesNotContainAnyElementsOf(history.stream().map(Trial::params).toList());
    }

    @Test
    void aBatchHoldsNoDuplicatesAndNothingFromTheHistory() {
        SearchSpace space = space(new IntParam("x", 1, 5, false),
                new CategoricalParam("k", List.of("a", "b", "c", "d")));
        List<Trial> history = List.of(finished(1, Map.of("x", 1L, "k", "a"), TrialState.SUCCEEDED, 0.1),
                Trial.running(2, Map.of("x", 2L, "k", "b")));

        List<Map<String, Object>> sets = sampler(11).suggest(space, history, 18);

        assertThat(sets).hasSize(18).doesNotHaveDuplicates()
                .doesNotContain(Map.of("x", 1L, "k", "a"), Map.of("x", 2L, "k", "b"));
    }

    @Test
    void aTinySpaceIsUsedUpAndThenGivesNothing() {
        SearchSpace space = space(new IntParam("x", 1, 2, false), new CategoricalParam("k", List.of("a", "b")));
        Sampler sampler = sampler(4);

        List<Map<String, Object>> all = sampler.suggest(space, List.of(), 10);
        List<Trial> history = new ArrayList<>();
        for (Map<String, Object> set : all) {
            history.add(finished(history.size() + 1, set, TrialState.SUCCEEDED, 0.5));
        }

        assertThat(new HashSet<>(all)).hasSize(4).containsExactlyInAnyOrder(
                Map.of("x", 1L, "k", "a"), Map.of("x", 1L, "k", "b"),
                Map.of("x", 2L, "k", "a"), Map.of("x", 2L, "k", "b"));
        assertThat(sampler.suggest(space, history, 1)).isEmpty();
    }

    @Test
    void anEmptySpaceHasOneParameterSet() {
        Sampler sampler = sampler(1);

        assertThat(sampler.suggest(space(), List.of(), 3)).containsExactly(Map.of());
        assertThat(sampler.suggest(space(), List.of(finished(1, Map.of(), TrialState.SUCCEEDED, 1.0)), 3))
                .isEmpty();
    }

    /** A history of {@code count} finished trials on MIXED, valued by a smooth function, so a model is in use. */
    static List<Trial> modelHistory(int count) {
        List<Trial> history = new ArrayList<>();
        List<Map<String, Object>> sets = Samplers.random(99).suggest(MIXED, List.of(), count);
        for (Map<String, Object> set : sets) {
            double lr = (Double) set.get("lr");
            double layers = (Long) set.get("layers");
            double v = -Math.pow(Math.log(lr), 2) - 0.1 * Math.pow(layers - 2, 2)
                    + ("rbf".equals(set.get("kernel")) ? 0.5 : 0);
            history.add(finished(history.size() + 1, set, TrialState.SUCCEEDED, v));
        }
        return history;
    }

    @Test
    void suggestionsFromAModelStayWithinBoundsWithTheirTypesAndDoNotRepeat() {
        List<Trial> history = new ArrayList<>(modelHistory(30));
        history.add(Trial.running(31, Map.of("lr", 1.0, "layers", 2L, "kernel", "rbf")));

        List<Map<String, Object>> sets = sampler(6).suggest(MIXED, history, 8);

        assertThat(sets).hasSize(8).doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(history.stream().map(Trial::params).toList());
        for (Map<String, Object> set : sets) {
            assertThat(set.keySet()).containsExactly("lr", "layers", "kernel");
            assertThat(set.get("lr")).isInstanceOfSatisfying(Double.class, v -> assertThat(v).isBetween(0.1, 10.0));
            assertThat(set.get("layers")).isInstanceOfSatisfying(Long.class, v -> assertThat(v).isBetween(-3L, 7L));
            assertThat(set.get("kernel")).isIn("rbf", 3L, 0.5, true);
        }
    }

    @Test
    void aModelIgnoresFailedAndNanTrialsAndIsDeterministic() {
        List<Trial> history = new ArrayList<>(modelHistory(20));
        history.add(finished(21, Map.of("lr", 5.0, "layers", 0L, "kernel", 3L), TrialState.FAILED, null));
        history.add(finished(22, Map.of("lr", 6.0, "layers", 1L, "kernel", 0.5), TrialState.SUCCEEDED, Double.NaN));
        history.add(finished(23, Map.of("lr", 7.0, "layers", 1L, "kernel", true), TrialState.SUCCEEDED,
                Double.POSITIVE_INFINITY));
        history.add(finished(24, Map.of("lr", 8.0), TrialState.SUCCEEDED, 1.0)); // from another space

        List<Map<String, Object>> once = sampler(8).suggest(MIXED, history, 3);

        assertThat(once).hasSize(3).doesNotHaveDuplicates();
        assertThat(sampler(8).suggest(MIXED, history, 3)).isEqualTo(once);
    }

    @Test
    void logScaledSuggestionsFromAModelStayWithinTheirDecades() {
        SearchSpace space = space(new FloatParam("C", 1e-3, 1e3, true), new IntParam("units", 10, 100_000, true));
        List<Trial> history = new ArrayList<>();
        for (Map<String, Object> set : Samplers.random(3).suggest(space, List.of(), 25)) {
            double c = Math.log10((Double) set.get("C"));
            double u = Math.log10((Long) set.get("units"));
            double v = -(c + 2) * (c + 2) - (u - 3) * (u - 3);
            history.add(finished(history.size() + 1, set, TrialState.SUCCEEDED, v));
        }

        List<Map<String, Object>> sets = sampler(2).suggest(space, history, 5);

        assertThat(sets).hasSize(5).allSatisfy(set -> {
            assertThat(set.get("C")).isInstanceOfSatisfying(Double.class, v -> assertThat(v).isBetween(1e-3, 1e3));
            assertThat(set.get("units")).isInstanceOfSatisfying(Long.class,
                    v -> assertThat(v).isBetween(10L, 100_000L));
        });
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
