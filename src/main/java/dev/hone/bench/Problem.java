package dev.hone.bench;

import dev.hone.tune.Direction;
import dev.hone.tune.FloatParam;
import dev.hone.tune.Param;
import dev.hone.tune.SearchSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A tuning benchmark problem: a search space with its target and the objective, minimised. The same problems,
 * bounds and targets as {@code shared/bench/optuna_anchor.py} and {@code bench/optuna_side.py}.
 *
 * @param name the name both sides print ("branin")
 * @param label the table's row label ("Branin, f <= 0.45")
 */
record Problem(String name, String label, SearchSpace space, ToDoubleFunction<Map<String, Object>> objective) {

    double evaluate(Map<String, Object> params) {
        return objective.applyAsDouble(params);
    }

    /** Branin-Hoo on [-5, 10] × [0, 15]; optimum 0.397887 (three of them); target f ≤ 0.45. */
    static Problem branin() {
        SearchSpace space = new SearchSpace(List.of(new FloatParam("x", -5, 10, false),
                new FloatParam("y", 0, 15, false)), Direction.MINIMIZE, 0.45);
        return new Problem("branin", "Branin, f <= 0.45 (optimum 0.3979)", space,
                p -> branin((Double) p.get("x"), (Double) p.get("y")));
    }

    static double branin(Map<String, Object> p) {
        return branin((Double) p.get("x"), (Double) p.get("y"));
    }

    static double branin(double x, double y) {
        double t = y - 5.1 / (4 * Math.PI * Math.PI) * x * x + 5 / Math.PI * x - 6;
        return t * t + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;
    }

    private static final double[][] A = {{10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14},
            {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
    private static final double[][] P = {{1312, 1696, 5569, 124, 8283, 5886}, {2329, 4135, 8307, 3736, 1004, 9991},
            {2348, 1451, 3522, 2883, 3047, 6650}, {4047, 8828, 8732, 5743, 1091, 381}};
    private static final double[] ALPHA = {1.0, 1.2, 3.0, 3.2};

    /** Hartmann-6 on [0, 1]⁶; optimum −3.32237; target f ≤ −3.0. */
    static Problem hartmann6() {
        List<Param> params = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            params.add(new FloatParam("x" + i, 0, 1, false));
        }
        SearchSpace space = new SearchSpace(params, Direction.MINIMIZE, -3.0);
        return new Problem("hartmann6", "Hartmann6, f <= -3.0 (optimum -3.3224)", space, p -> {
            double[] x = new double[6];
            for (int i = 0; i < 6; i++) {
                x[i] = (Double) p.get("x" + i);
            }
            return hartmann6(x);
        });
    }

    static double hartmann6(double[] x) {
        double f = 0;
        for (int i = 0; i < 4; i++) {
            double s = 0;
            for (int j = 0; j < 6; j++) {
                double t = x[j] - P[i][j] * 1e-4;
                s += A[i][j] * t * t;
            }
            f -= ALPHA[i] * Math.exp(-s);
        }
        return f;
    }
}
