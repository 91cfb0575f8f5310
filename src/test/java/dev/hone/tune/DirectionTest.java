package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which way is better, and how a target reads: the sign is the comparison that reaches it. */
class DirectionTest {

    @ParameterizedTest
    @CsvSource({"MAXIMIZE, maximize, ≥, 0.95, 0.94, 0.96", "MINIMIZE, minimize, ≤, 0.2, 0.21, 0.19"})
    void aTargetIsReachedAtItsValueAndShownWithTheSignOfThatComparison(Direction direction, String label,
                                                                         String sign, double target, double worse,
                                                                         double better) {
        assertThat(direction.reaches(target, target)).isTrue();
        assertThat(direction.reaches(worse, target)).isFalse();
        assertThat(direction.reaches(better, target)).isTrue();
        assertThat(direction.better(better, worse)).isTrue();
        assertThat(direction.targetSign()).isEqualTo(sign);
        assertThat(direction.label()).isEqualTo(label);
    }
}
