package dev.hone.tune.gp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Maximises the Gaussian process's acquisition over the unit cube: random candidates (fewer as the model grows, so
 * the cost stays bounded), candidates around the best trials, then a local hill-climb from the best few with steps
 * scaled by the fitted length scales. Scores are logarithms (log EI, log PI) so that far-off candidates still rank
 * when the plain values underflow to zero.
 */
public final class AcquisitionSearch {

    /**
     * The chance of reaching the target, for the most promising candidate, from which the search maximises that
     * chance instead of the expected improvement.
     */
    public static final double TARGET_CHANCE = 0.05;
    static final int STARTS = 5;
    static final int CLIMB_STEPS = 40;
    static final int NEAR_BEST = 5;
    static final int PER_BEST = 24;
    /** Operations (multiply-adds) the search may spend on model evaluations, roughly. */
    static final long EVALUATION_BUDGET = 6_000_000;

    private final Cube cube;
    private final GaussianProcess gp;
    private final double best;
    private final Double target;
    private final double[][] x;
    private final double[] y;
    private final SplittableRandom random;
    private final double[] kstar;
    private final double[] prediction = new double[2];
    private boolean aimAtTarget;

    /**
     * @param gp     the model, fitted to {@code x}, {@code y} (and any pending points)
     * @param best   the best (lowest) standardised observation
     * @param target the standardised target (reached at or below), or null
     * @param x      the observed points, {@code y} their standardised values
     */
    public AcquisitionSearch(Cube cube, GaussianProcess gp, double best, Double target, double[][] x, double[] y,
                             SplittableRandom random) {
        this.cube = cube;
        this.gp = gp;
        this.best = best;
        this.target = target;
        this.x = x;
        this.y = y;
        this.random = random;
        this.kstar = new double[gp.size()];
    }

    private record Scored(double[] u, double score) {}

    /**
     * Candidates, the most promising first. The number of model evaluations shrinks as the model grows (one costs
     * about n²/2 + n·d operations), so that a suggestion stays within milliseconds with hundreds of trials.
     */
    public List<double[]> ranked() {
        long n = gp.size();
        int dims = cube.dims();
        long evaluations = Math.clamp(EVALUATION_BUDGET / (n * n / 2 + n * dims + 1), 400, 3000);
        int count = (int) (evaluations / 2);
        int perBest = (int) Math.clamp(evaluations / 5 / NEAR_BEST, 6, PER_BEST);
        int climbSteps = (int) Math.clamp(evaluations * 3 / 10 / STARTS, 10, CLIMB_STEPS);
        List<double[]> candidates = new ArrayList<>(count + NEAR_BEST * perBest);
        for (int i = 0; i < count; i++) {
            candidates.add(cube.random(random));
        }
        double[] lengths = gp.hyper().lengths();
        Integer[] order = new Integer[y.length];
        for (int i = 0; i < y.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> y[i]));
        for (int b = 0; b < Math.min(NEAR_BEST, y.length); b++) {
            for (int k = 0; k < perBest; k++) {
                double scale = k % 3 == 0 ? 0.02 : k % 3 == 1 ? 0.1 : 0.3;
                candidates.add(perturb(x[order[b]], lengths, scale));
            }
        }
        double[][] predicted = new double[candidates.size()][];
        double bestChance = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < candidates.size(); i++) {
            gp.predict(candidates.get(i), kstar, prediction);
            predicted[i] = prediction.clone();
            if (target != null) {
                bestChance = Math.max(bestChance, logChance(prediction[0], prediction[1]));
            }
        }
        aimAtTarget = target != null && bestChance >= Math.log(TARGET_CHANCE);
        List<Scored> scored = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            scored.add(new Scored(candidates.get(i), score(predicted[i][0], predicted[i][1])));
        }
        scored.sort(Comparator.comparingDouble(Scored::score).reversed());
        List<Scored> refined = new ArrayList<>();
        for (int s = 0; s < Math.min(STARTS, scored.size()); s++) {
            refined.add(climb(scored.get(s), lengths, climbSteps));
        }
        refined.sort(Comparator.comparingDouble(Scored::score).reversed());
        List<double[]> out = new ArrayList<>(refined.size() + scored.size());
        refined.forEach(r -> out.add(r.u()));
        scored.forEach(r -> out.add(r.u()));
        return out;
    }

    private Scored climb(Scored start, double[] lengths, int steps) {
        Scored current = start;
        double scale = 0.1;
        for (int step = 0; step < steps; step++) {
            double[] u = perturb(current.u(), lengths, scale);
            double s = score(u);
            if (s > current.score()) {
                current = new Scored(u, s);
            } else {
                scale = Math.max(scale * 0.85, 1e-4);
            }
        }
        return current;
    }

    /** A snapped point near {@code u}: Gaussian steps of {@code scale} × length scale, a categorical now and then. */
    private double[] perturb(double[] u, double[] lengths, double scale) {
        double[] v = u.clone();
        int parameters = cube.parameters();
        for (int i = 0; i < parameters; i++) {
            int o = cube.offset(i);
            int choices = cube.choices(i);
            if (choices > 0) {
                if (random.nextDouble() < 1.0 / parameters) {
                    int k = random.nextInt(choices);
                    for (int j = 0; j < choices; j++) {
                        v[o + j] = j == k ? 1 : 0;
                    }
                }
            } else {
                v[o] += random.nextGaussian() * scale * Math.min(lengths[o], 1);
            }
        }
        cube.snap(v);
        return v;
    }

    private double score(double[] u) {
        gp.predict(u, kstar, prediction);
        return score(prediction[0], prediction[1]);
    }

    private double score(double mean, double variance) {
        if (aimAtTarget) {
            return logChance(mean, variance);
        }
        double sigma = Math.sqrt(variance);
        return Math.log(sigma) + Normal.logH((best - mean) / sigma);
    }

    /** log P(f ≤ target). */
    private double logChance(double mean, double variance) {
        return Normal.logNormCdf((target - mean) / Math.sqrt(variance));
    }
}
