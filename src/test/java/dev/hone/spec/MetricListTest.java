package dev.hone.spec;

import static dev.hone.spec.SpecLoaderTest.parse;
import static dev.hone.spec.SpecLoaderTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.tune.Direction;
import dev.hone.tune.Objective;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code metric} as a list: several objectives, the first carrying the target. */
class MetricListTest {

    @Test
    void aListIsTheFirstMetricWithTheOthersAsFurtherObjectives() {
        Spec spec = parse("""
                metric:
                  - {name: accuracy, direction: maximize, target: 0.95, constraints: ["model_mb < 20"]}
                  - {name: latency_ms, direction: minimize}
                  - name: model_mb
                    direction: minimize
                tune:
                  params: {C: {min: 0.1, max: 10}}
                """);

        assertThat(spec.metric().name()).isEqualTo("accuracy");
        assertThat(spec.metric().direction()).isEqualTo(Direction.MAXIMIZE);
        assertThat(spec.metric().target()).isEqualTo(0.95);
        assertThat(spec.metric().constraints()).hasSize(1);
        assertThat(spec.metric().further()).containsExactly(new Objective("latency_ms", Direction.MINIMIZE),
                new Objective("model_mb", Direction.MINIMIZE));
    }

    @Test
    void aMappingStaysOneMetric() {
        Spec spec = parse("metric: {name: loss, direction: minimize, target: 0.1}\n");

        assertThat(spec.metric()).isEqualTo(new Spec.Metric("loss", Direction.MINIMIZE, 0.1));
        assertThat(spec.metric().further()).isEmpty();
    }

    @Test
    void aListOfOneIsOneMetric() {
        assertThat(parse("metric: [{name: loss, direction: minimize}]\n").metric())
                .isEqualTo(new Spec.Metric("loss", Direction.MINIMIZE, null));
    }

    @Test
    void anEmptyListIsAProblem() {
        assertThat(problems("metric: []\n")).containsExactly("hone.yaml:1:9: metric: is an empty list — give at least"
                + " one metric, e.g. metric: [{name: accuracy, direction: maximize, target: 0.95}, {name: latency_ms,"
                + " direction: minimize}]");
    }

    @Test
    void eachMetricOfAListNeedsAName() {
        assertThat(problems("metric:\n  - {name: accuracy}\n  - {direction: minimize}\n")).containsExactly(
                "hone.yaml:3:5: metric[1].name: is required — each metric of a list names what the trial prints,"
                        + " e.g. name: latency_ms");
    }

    @Test
    void aNameListedTwiceInAnyCaseIsAProblem() {
        assertThat(problems("metric:\n  - {name: accuracy}\n  - {name: Accuracy, direction: minimize}\n"))
                .containsExactly("hone.yaml:3:12: metric[1].name: Accuracy is already the name of metric[0] (names"
                        + " match in any case) — list each metric once");
    }

    @Test
    void onlyTheFirstMetricHasATargetConstraintsOrATolerance() {
        assertThat(problems("""
                metric:
                  - {name: accuracy, target: 0.9}
                  - {name: latency_ms, direction: minimize, target: 20, constraints: ["x < 1"]}
                  - {name: size, regression_tolerance: 0.1, confirm: {repeats: 3}}
                """)).containsExactly(
                "hone.yaml:3:53: metric[1].target: only the first metric of the list has a target (the run reaches"
                        + " the target when a trial's first metric does) — move it to metric[0] or remove it",
                "hone.yaml:3:70: metric[1].constraints: only the first metric of the list has constraints — move it"
                        + " to metric[0] or remove it",
                "hone.yaml:4:40: metric[2].regression_tolerance: only the first metric of the list has a"
                        + " regression_tolerance — move it to metric[0] or remove it",
                "hone.yaml:4:54: metric[2].confirm: only the first metric of the list has confirm (the target's"
                        + " confirmation) — move it to metric[0] or remove it");
    }

    @Test
    void anItemThatIsNotAMappingIsAProblem() {
        assertThat(problems("metric: [accuracy]\n")).containsExactly(
                "hone.yaml:1:10: metric[0]: must be a mapping (keys: name, direction, target, constraints,"
                        + " regression_tolerance, confirm), got \"accuracy\"");
    }

    @Test
    void bayesModelsOneMetric() {
        assertThat(problems("""
                metric: [{name: accuracy}, {name: latency_ms, direction: minimize}]
                tune:
                  strategy: bayes
                  params: {C: {min: 0.1, max: 10}}
                """)).containsExactly("hone.yaml:1:9: metric: a list of metrics needs a sampler that models several,"
                + " but tune.strategy is bayes, which models one — use strategy: auto or tpe (multi-objective TPE),"
                + " random or grid");
    }

    @Test
    void theSchemaAcceptsAListAndRejectsAnEmptyOneOrAnItemWithoutAName() {
        HoneSchema schema = new HoneSchema();

        assertThat(schema.problems("metric: [{name: accuracy, target: 0.9}, {name: latency_ms, direction: minimize}]\n"))
                .isEmpty();
        assertThat(schema.problems("metric: []\n")).isNotEmpty();
        assertThat(schema.problems("metric: [{name: accuracy}, {direction: minimize}]\n")).isNotEmpty();
        assertThat(schema.problems("metric: [{name: accuracy, bogus: 1}]\n")).isNotEmpty();
    }
}
