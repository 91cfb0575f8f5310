package dev.hone.spec;

import static dev.hone.spec.SpecLoaderTest.parse;
import static dev.hone.spec.SpecLoaderTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.tune.Confirm;
import org.junit.jupiter.api.Test;

/** {@code metric.confirm}: read with its defaults, and every wrong value said with its place and the fix. */
class ConfirmSpecTest {

    @Test
    void readsRepeatsAndAggregate() {
        assertThat(parse("metric:\n  target: 0.9\n  confirm: {repeats: 5, aggregate: median}\n").metric().confirm())
                .isEqualTo(new Confirm(5, Confirm.Aggregate.MEDIAN));
    }

    @Test
    void anEmptyConfirmIsTheMeanOfThreeAndNoneIsOff() {
        assertThat(parse("metric:\n  confirm: {}\n").metric().confirm())
                .isEqualTo(new Confirm(3, Confirm.Aggregate.MEAN));
        assertThat(parse("metric:\n  target: 0.9\n").metric().confirm()).isNull();
    }

    @Test
    void repeatsOutsideTwoToTwentyOrAnUnknownAggregateAreProblemsWithTheirFix() {
        assertThat(problems("metric:\n  confirm: {repeats: 1, aggregate: avg}\n")).containsExactly(
                "hone.yaml:2:22: metric.confirm.repeats: must be an integer from 2 to 20 (how many runs the aggregate"
                        + " takes, the trial's own included; remove confirm for none), got 1",
                "hone.yaml:2:36: metric.confirm.aggregate: must be one of mean | median, got \"avg\"");
        assertThat(problems("metric:\n  confirm:\n    repeats: 21\n    agregate: median\n")).containsExactly(
                "hone.yaml:3:14: metric.confirm.repeats: must be an integer from 2 to 20 (how many runs the"
                        + " aggregate takes, the trial's own included; remove confirm for none), got 21",
                "hone.yaml:4:5: metric.confirm: unknown key \"agregate\" — did you mean \"aggregate\"?");
        assertThat(problems("metric:\n  confirm: 3\n")).containsExactly(
                "hone.yaml:2:12: metric.confirm: must be a mapping (keys: repeats, aggregate), got 3");
    }
}
