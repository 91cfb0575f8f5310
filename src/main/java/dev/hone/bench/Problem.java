package dev.hone.bench;

import dev.hone.tune.CategoricalParam;
import dev.hone.tune.Direction;
import dev.hone.tune.FloatParam;
import dev.hone.tune.IntParam;
import dev.hone.tune.Param;
import dev.hone.tune.SearchSpace;
import dev.hone.tune.When;
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

    /**
     * A mixed space shaped like a model search, the validation error of a made-up network: optimizer (sgd, adam,
     * rmsprop) and batch size (16 … 256) categorical, a log learning rate in [1e-5, 1], an integer depth in [1, 12],
     * a dropout in [0, 0.7]; target f ≤ 0.075 (optimum 0.05, Adam's). SGD's learning-rate basin is broad and
     * shallow, Adam's narrow and deep: random trials make SGD look better, but SGD's optimum (0.072) sits just under
     * the target — the trap of issue 16, where a model that locks onto SGD rarely gets there.
     */
    static Problem mixed() {
        SearchSpace space = new SearchSpace(List.of(
                new CategoricalParam("optimizer", List.of("sgd", "adam", "rmsprop")),
                new CategoricalParam("batch_size", List.of(16L, 32L, 64L, 128L, 256L)),
                new FloatParam("lr", 1e-5, 1, true), new IntParam("depth", 1, 12, false),
                new FloatParam("dropout", 0, 0.7, false)), Direction.MINIMIZE, 0.075);
        return new Problem("mixed", "Mixed (2 categorical + 3 numeric), f <= 0.075 (optimum 0.05)", space,
                p -> mixed((String) p.get("optimizer"), ((Number) p.get("batch_size")).longValue(),
                        (Double) p.get("lr"), ((Number) p.get("depth")).longValue(), (Double) p.get("dropout")));
    }

    static double mixed(String optimizer, long batch, double lr, long depth, double dropout) {
        int o = List.of("sgd", "adam", "rmsprop").indexOf(optimizer);
        double[] floor = {0.072, 0.050, 0.085};
        double[] lrOptimum = {-1.3, -3.3, -3.0};
        double[] curve = {0.01, 0.05, 0.03};
        double[] depthOptimum = {4, 6, 8};
        double batchPenalty = switch ((int) batch) {
            case 16 -> 0.01;
            case 32 -> 0.0;
            case 64 -> 0.003;
            case 128 -> 0.008;
            default -> 0.02;
        };
        double lr0 = lrOptimum[o] + (o == 0 ? 0.15 * Math.log(batch / 32.0) / Math.log(2) : 0); // linear scaling
        double dl = Math.log10(lr) - lr0;
        double dd = depth - depthOptimum[o];
        double dp = dropout - 0.3;
        return floor[o] + batchPenalty + curve[o] * dl * dl + 0.004 * dd * dd + 0.3 * dp * dp;
    }

    /** Levy in 8 dimensions on [-10, 10]⁸; optimum 0 at (1, …, 1); target f ≤ 5.0. */
    static Problem levy8() {
        List<Param> params = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            params.add(new FloatParam("x" + i, -10, 10, false));
        }
        return new Problem("levy8", "Levy-8, f <= 5.0 (optimum 0)", new SearchSpace(params, Direction.MINIMIZE,
                5.0), p -> {
                    double[] x = new double[8];
                    for (int i = 0; i < 8; i++) {
                        x[i] = (Double) p.get("x" + i);
                    }
                    return levy(x);
                });
    }

    static double levy(double[] x) {
        int d = x.length;
        double[] w = new double[d];
        for (int i = 0; i < d; i++) {
            w[i] = 1 + (x[i] - 1) / 4;
        }
        double s = Math.pow(Math.sin(Math.PI * w[0]), 2);
        for (int i = 0; i < d - 1; i++) {
            s += (w[i] - 1) * (w[i] - 1) * (1 + 10 * Math.pow(Math.sin(Math.PI * w[i] + 1), 2));
        }
        double last = w[d - 1] - 1;
        return s + last * last * (1 + Math.pow(Math.sin(2 * Math.PI * w[d - 1]), 2));
    }

    /**
     * A conditional space shaped like an optimizer search: optimizer (sgd, adam), a log learning rate in [1e-5, 1]
     * and a dropout in [0, 0.7] for both; momentum in [0, 0.99] and nesterov (true, false) only with SGD, beta in
     * [0.8, 0.999] only with Adam ({@code when:}). Target f ≤ 0.06, optimum 0.05 (Adam's); SGD's basin is broad
     * but its floor (0.065) sits above the target, so only the Adam branch, whose basin is narrow, reaches it.
     */
    static Problem conditional() {
        When sgd = new When(Map.of("optimizer", List.of("sgd")));
        SearchSpace space = new SearchSpace(List.of(new CategoricalParam("optimizer", List.of("sgd", "adam")),
                new FloatParam("lr", 1e-5, 1, true), new FloatParam("dropout", 0, 0.7, false),
                new FloatParam("momentum", 0, 0.99, false, sgd), new CategoricalParam("nesterov", List.of(true, false),
                        sgd), new FloatParam("beta", 0.8, 0.999, false, new When(Map.of("optimizer",
                        List.of("adam"))))), Direction.MINIMIZE, 0.06);
        return new Problem("conditional", "Conditional (optimizer → momentum, nesterov or beta), f <= 0.06"
                + " (optimum 0.05)", space, Problem::conditional);
    }

    static double conditional(Map<String, Object> p) {
        double lr = Math.log10((Double) p.get("lr"));
        double dp = (Double) p.get("dropout") - 0.3;
        if (p.get("optimizer").equals("sgd")) {
            double dm = (Double) p.get("momentum") - 0.9;
            return 0.065 + 0.01 * (lr + 1.5) * (lr + 1.5) + 0.2 * dm * dm
                    + (Boolean.TRUE.equals(p.get("nesterov")) ? 0 : 0.004) + 0.3 * dp * dp;
        }
        double db = (Double) p.get("beta") - 0.95;
        return 0.05 + 0.04 * (lr + 3.3) * (lr + 3.3) + 2.0 * db * db + 0.3 * dp * dp;
    }
}
