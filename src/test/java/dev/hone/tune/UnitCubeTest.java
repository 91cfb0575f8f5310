package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A search space as points of the unit cube, and back. */
class UnitCubeTest {

    final UnitCube cube = new UnitCube(List.of(new FloatParam("lr", 1e-4, 1, true),
            new IntParam("units", 8, 512, true), new IntParam("layers", 1, 4, false),
            new CategoricalParam("kernel", List.of("rbf", "poly", "linear"))));

    @Test
    void aCategoricalIsOneCoordinatePerChoice() {
        assertThat(cube.dims()).isEqualTo(6);
        assertThat(cube.parameters()).isEqualTo(4);
        assertThat(cube.offset(3)).isEqualTo(3);
        assertThat(cube.choices(3)).isEqualTo(3);
        assertThat(cube.choices(0)).as("a numeric parameter").isZero();
    }

    @Test
    void encodingThenDecodingGivesTheSameParameterSet() {
        Map<String, Object> set = Map.of("lr", 0.01, "units", 64L, "layers", 3L, "kernel", "poly");

        double[] u = cube.encode(set);

        assertThat(u[0]).isCloseTo(0.5, within(1e-12)); // 0.01 is halfway between 1e-4 and 1 in log space
        assertThat(cube.decode(u.clone())).containsOnlyKeys("lr", "units", "layers", "kernel")
                .containsEntry("units", 64L).containsEntry("layers", 3L).containsEntry("kernel", "poly");
        assertThat((Double) cube.decode(u.clone()).get("lr")).isCloseTo(0.01, within(1e-12));
    }

    @Test
    void snappingMovesAPointOntoARunnableParameterSet() {
        double[] u = {1.7, 0.5, 0.4, 0.2, 0.9, 0.3};

        cube.snap(u);

        assertThat(u[0]).isEqualTo(1.0);
        assertThat(new double[] {u[3], u[4], u[5]}).containsExactly(0, 1, 0);
        assertThat(cube.encode(cube.decode(u.clone()))).containsExactly(u, within(1e-12));
    }

    @Test
    void aValueOutsideTheSpaceIsNotEncoded() {
        assertThat(cube.encode(Map.of("lr", 0.01, "units", 64L, "layers", 3L, "kernel", "sigmoid"))).isNull();
        assertThat(cube.encode(Map.of("lr", 0.01))).isNull();
    }

    @Test
    void aLatinHypercubeUsesEveryStratumOfEveryParameter() {
        double[][] points = cube.latinHypercube(4, new SplittableRandom(3));

        assertThat(points.length).isEqualTo(4);
        assertThat(Arrays.stream(points).map(p -> (int) (p[2] * 4)).sorted().toList())
                .as("layers 1..4, one each").containsExactly(0, 1, 2, 3);
    }
}
