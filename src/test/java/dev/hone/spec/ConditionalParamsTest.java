package dev.hone.spec;

import static dev.hone.spec.SpecLoaderTest.parse;
import static dev.hone.spec.SpecLoaderTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.tune.CategoricalParam;
import dev.hone.tune.FloatParam;
import dev.hone.tune.Param;
import dev.hone.tune.When;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A parameter's {@code when:} in hone.yaml: what it reads as, and what is wrong with it, where. */
class ConditionalParamsTest {

    @Test
    void readsAConditionOnOneValueOrSeveral() {
        Spec spec = parse("""
                tune:
                  params:
                    optimizer: [sgd, adam, nadam]
                    lr: {min: 0.0001, max: 1, log: true}
                    momentum: {min: 0, max: 0.99, when: {optimizer: sgd}}
                    beta: {min: 0.8, max: 0.999, when: {optimizer: [adam, nadam]}}
                    nesterov: {choices: [true, false], when: {optimizer: sgd}}
                """);

        List<Param> params = spec.tune().params();
        assertThat(params.stream().map(Param::name)).containsExactly("optimizer", "lr", "momentum", "beta",
                "nesterov");
        assertThat(params.get(0).when()).isEqualTo(When.ALWAYS);
        assertThat(params.get(2)).isEqualTo(new FloatParam("momentum", 0, 0.99, false,
                new When(Map.of("optimizer", List.of("sgd")))));
        assertThat(params.get(3).when()).isEqualTo(new When(Map.of("optimizer", List.of("adam", "nadam"))));
        assertThat(params.get(4)).isEqualTo(new CategoricalParam("nesterov", List.of(true, false),
                new When(Map.of("optimizer", List.of("sgd")))));
    }

    @Test
    void aParentMustBeADeclaredCategoricalParameterAndTheValueOneOfItsChoices() {
        assertThat(problems("""
                tune:
                  params:
                    optimizer: [sgd, adam]
                    lr: {min: 0.0001, max: 1, log: true}
                    momentum: {min: 0, max: 0.99, when: {optimiser: sgd}}
                    beta: {min: 0.8, max: 0.999, when: {lr: 0.1}}
                    eps: {min: 0, max: 1, when: {optimizer: [adam, adamw]}}
                """)).containsExactly(
                "hone.yaml:5:53: tune.params.momentum.when.optimiser: \"optimiser\" is not a parameter of"
                        + " tune.params — name a categorical parameter (optimizer)",
                "hone.yaml:6:45: tune.params.beta.when.lr: \"lr\" is a range, not a categorical parameter — when:"
                        + " names a parameter given as a list of choices",
                "hone.yaml:7:45: tune.params.eps.when.optimizer: adamw is not one of optimizer's choices [sgd,"
                        + " adam] — use one of them");
    }

    @Test
    void conditionsMustNotGoRound() {
        assertThat(problems("""
                tune:
                  params:
                    a: {choices: [x, y], when: {b: u}}
                    b: {choices: [u, v], when: {a: x}}
                    c: {min: 0, max: 1, when: {c: 1}}
                """)).containsExactly(
                "hone.yaml:5:35: tune.params.c.when.c: a parameter cannot depend on itself — name another"
                        + " (categorical) parameter");
        assertThat(problems("""
                tune:
                  params:
                    a: {choices: [x, y], when: {b: u}}
                    b: {choices: [u, v], when: {a: x}}
                """)).containsExactly(
                "hone.yaml:3:36: tune.params.a.when.b: the conditions form a cycle (a → b → a) — a parameter cannot"
                        + " depend on itself through others");
    }

    @Test
    void saysWhatAConditionMustLookLike() {
        assertThat(problems("""
                tune:
                  params:
                    optimizer: [sgd, adam]
                    momentum: {min: 0, max: 0.99, when: sgd}
                    beta: {min: 0.8, max: 0.999, when: {optimizer: []}}
                    nesterov: {choices: [true, false], min: 0, when: {optimizer: sgd}}
                """)).containsExactly(
                "hone.yaml:4:41: tune.params.momentum.when: must be a mapping of parent parameter to value(s), e.g."
                        + " {optimizer: sgd}, got \"sgd\"",
                "hone.yaml:5:52: tune.params.beta.when.optimizer: must list at least one value of optimizer",
                "hone.yaml:6:40: tune.params.nesterov.min: does not go with choices — a parameter is either a range"
                        + " or a list of choices");
    }

    @Test
    void theSchemaTakesConditionsAndRefusesWhatTheLoaderRefuses() {
        HoneSchema schema = new HoneSchema(HoneSchema.HONE_YAML);
        assertThat(schema.problems("""
                tune:
                  params:
                    optimizer: [sgd, adam]
                    momentum: {min: 0, max: 0.99, when: {optimizer: sgd}}
                    beta: {min: 0.8, max: 0.999, when: {optimizer: [adam]}}
                    nesterov: {choices: [true, false], when: {optimizer: sgd}}
                """)).isEmpty();
        for (String broken : List.of("{min: 0, max: 1, when: sgd}", "{min: 0, max: 1, when: {}}",
                "{min: 0, max: 1, when: {optimizer: []}}", "{choices: [a, b], min: 0}", "{when: {optimizer: sgd}}")) {
            assertThat(schema.problems("tune:\n  params:\n    optimizer: [sgd, adam]\n    p: " + broken + "\n"))
                    .as(broken).isNotEmpty();
            assertThat(problems("tune:\n  params:\n    optimizer: [sgd, adam]\n    p: " + broken + "\n"))
                    .as(broken).isNotEmpty();
        }
    }

    private static String withCommand(String command) {
        return """
                train:
                  command: %s
                tune:
                  params:
                    optimizer: [sgd, adam]
                    momentum: {min: 0, max: 0.99, when: {optimizer: sgd}}
                """.formatted(command);
    }

    @Test
    void aConditionalParameterCannotStandInTheCommandAsAPlaceholder() {
        assertThat(problems(withCommand("python3 main.py --momentum {momentum} {args}"))).containsExactly(
                "hone.yaml:6:42: tune.params.momentum.when.optimizer: train.command uses {momentum}, but a"
                        + " conditional parameter is absent from the trials where it is inactive — use {args} (which"
                        + " leaves it out) or read $HONE_PARAMS");
        assertThat(parse(withCommand("python3 main.py --optimizer {optimizer} {args}")).tune().params()).hasSize(2);
    }
}
