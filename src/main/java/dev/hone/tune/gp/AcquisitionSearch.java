package dev.hone.tune.gp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Maximises the Gaussian process's acquisition over the unit cube: random candidates (fewer as the model grows, so
 * the cost stays bounded), candidates around the best trials, then a local hill-climb from the best few with steps
 * scaled by the fitted length scales. Scores are logarithms (log EI, log PI) so that far-off candidates still rank
 * when the plain values underflow to zero. Every point is snapped before it is scored, so an integer is rounded
 * inside the acquisition and the acquisition is that of a point that can be run.
 *
 * <p>Categorical parameters are searched explicitly. When their choices combine into at most {@value #ENUMERATE}
 * combinations, every combination gets its share of the random candidates, the best trial's numeric settings are
 * scored under every combination, and the best candidate of each combination is hill-climbed with its choices held,
 * so that no choice loses only because the random draw missed its good region. With more combinations, the search
 * is local: the best trial with each single choice changed joins the candidates, and the climb may change a choice.
 * A parameter can be held at one choice ({@code fixed}).
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
    /**
     * The fewest model evaluations, reached past about 150 trials (with 20 coordinates; later with fewer): half the
     * random candidates of before (400), as a history that long has settled where the good regions are and the
     * candidates near the best trials and the climbs from them keep their share.
     */
    static final int MIN_EVALUATIONS = 200;
    /** Up to this many combinations of categorical choices, each is searched on its own. */
    public static final int ENUMERATE = 32;

    private final Cube cube;
    private final GaussianProcess gp;
    private final double best;
    private final Double target;
    private final double[][] x;
    private final double[] y;
    private final SplittableRandom random;
    private final double[] kstar;
    private final double[] prediction = new double[2];
    private final int[] fixed;
    private final List<int[]> combinations;
    private boolean aimAtTarget;
    private final boolean revisiting;

    /**
     * @param gp     the model, fitted to {@code x}, {@code y} (and any pending points)
     * @param best   the best (lowest) standardised observation
     * @param target the standardised target (reached at or below), or null
     * @param x      the observed points, {@code y} their standardised values
     */
    public AcquisitionSearch(Cube cube, GaussianProcess gp, double best, Double target, double[][] x, double[] y,
                             SplittableRandom random) {
        this(cube, gp, best, target, x, y, random, null);
    }

    /**
     * @param fixed per parameter, the choice a categorical parameter is held at, or −1; null: none held. With
     *              a choice held (the sampler's exploration safeguard) the score is the lower confidence bound
     *              {@code −(μ − 2σ)}: the configuration of that choice the model expects to do well, rather than
     *              its most uncertain corner, where the chance of reaching the target peaks for a choice that
     *              looks poor.
     */
    public AcquisitionSearch(Cube cube, GaussianProcess gp, double best, Double target, double[][] x, double[] y,
                             SplittableRandom random, int[] fixed) {
        this.cube = cube;
        this.gp = gp;
        this.best = best;
        this.target = target;
        this.x = x;
        this.y = y;
        this.random = random;
        this.kstar = new double[gp.size()];
        this.fixed = fixed == null ? free(cube.parameters()) : fixed;
        this.revisiting = fixed != null;
        this.combinations = combinations(cube, this.fixed);
    }

    private static int[] free(int parameters) {
        int[] none = new int[parameters];
        Arrays.fill(none, -1);
        return none;
    }

    /** Every combination of the free categorical parameters' choices (held ones as held), or null when too many. */
    static List<int[]> combinations(Cube cube, int[] fixed) {
        long count = 1;
        for (int i = 0; i < cube.parameters(); i++) {
            if (cube.choices(i) > 0 && fixed[i] < 0) {
                count *= cube.choices(i);
                if (count > ENUMERATE) {
                    return null;
                }
            }
        }
        List<int[]> out = new ArrayList<>();
        out.add(fixed.clone());
        for (int i = 0; i < cube.parameters(); i++) {
            if (cube.choices(i) > 0 && fixed[i] < 0) {
                List<int[]> next = new ArrayList<>();
                for (int[] c : out) {
                    for (int k = 0; k < cube.choices(i); k++) {
                        int[] d = c.clone();
                        d[i] = k;
                        next.add(d);
                    }
                }
                out = next;
            }
        }
        return out;
    }

    private record Scored(double[] u, double score) {}

    /**
     * Candidates, the most promising first. The number of model evaluations shrinks as the model grows (one costs
     * about n²/2 + n·d operations), so that a suggestion stays within milliseconds with hundreds of trials.
     */
    public List<double[]> ranked() {
        long n = gp.size();
        int dims = cube.dims();
        long evaluations = Math.clamp(EVALUATION_BUDGET / (n * n / 2 + n * dims + 1), MIN_EVALUATIONS, 3000);
        int count = (int) (evaluations / 2);
        int perBest = (int) Math.clamp(evaluations / 5 / NEAR_BEST, 6, PER_BEST);
        int climbSteps = (int) Math.clamp(evaluations * 3 / 10 / STARTS, 10, CLIMB_STEPS);
        List<double[]> candidates = new ArrayList<>(count + NEAR_BEST * perBest);
        for (int i = 0; i < count; i++) {
            candidates.add(choose(cube.random(random), combinations == null ? fixed : combinations.get(
                    i % combinations.size())));
        }
        double[] lengths = gp.hyper().lengths();
        Integer[] order = new Integer[y.length];
        for (int i = 0; i < y.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> y[i]));
        for (int b = 0; b < Math.min(NEAR_BEST, y.length); b++) {
            double[] near = choose(x[order[b]].clone(), fixed);
            for (int k = 0; k < perBest; k++) {
                double scale = k % 3 == 0 ? 0.02 : k % 3 == 1 ? 0.1 : 0.3;
                candidates.add(perturb(near, lengths, scale));
            }
        }
        if (y.length > 0) {
            candidates.addAll(otherChoices(choose(x[order[0]].clone(), fixed)));
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
        aimAtTarget = target != null && bestChance >= Math.log(TARGET_CHANCE) && !stale();
        List<Scored> scored = new ArrayList<>(candidates.size());
        for (int i = 0; i < candidates.size(); i++) {
            scored.add(new Scored(candidates.get(i), score(predicted[i][0], predicted[i][1])));
        }
        scored.sort(Comparator.comparingDouble(Scored::score).reversed());
        List<Scored> starts = new ArrayList<>(scored.subList(0, Math.min(STARTS, scored.size())));
        if (combinations != null && combinations.size() > 1) { // and the best of each combination
            Set<Integer> seen = new HashSet<>();
            starts.forEach(st -> seen.add(combination(st.u())));
            for (Scored c : scored) {
                if (seen.add(combination(c.u()))) {
                    starts.add(c);
                }
            }
        }
        int steps = Math.max(10, climbSteps * STARTS / starts.size());
        List<Scored> refined = new ArrayList<>();
        for (Scored start : starts) {
            refined.add(climb(start, lengths, steps));
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

    /** {@code u} with its categorical parameters set as {@code choice} says (−1: left as it is), snapped. */
    private double[] choose(double[] u, int[] choice) {
        for (int i = 0; i < cube.parameters(); i++) {
            if (cube.choices(i) > 0 && choice[i] >= 0) {
                int o = cube.offset(i);
                for (int j = 0; j < cube.choices(i); j++) {
                    u[o + j] = j == choice[i] ? 1 : 0;
                }
            }
        }
        cube.snap(u);
        return u;
    }

    /** {@code u} under every other combination (enumerated), or with each single free choice changed (local). */
    private List<double[]> otherChoices(double[] u) {
        List<double[]> out = new ArrayList<>();
        if (combinations != null) {
            for (int[] c : combinations) {
                out.add(choose(u.clone(), c));
            }
            return out;
        }
        for (int i = 0; i < cube.parameters(); i++) {
            if (cube.choices(i) > 0 && fixed[i] < 0) {
                int[] c = free(cube.parameters());
                for (int k = 0; k < cube.choices(i); k++) {
                    c[i] = k;
                    out.add(choose(u.clone(), c));
                }
            }
        }
        return out;
    }

    /** The combination of choices of a snapped point, as one number (mixed radix). */
    private int combination(double[] u) {
        int key = 0;
        for (int i = 0; i < cube.parameters(); i++) {
            int choices = cube.choices(i);
            if (choices > 0) {
                int o = cube.offset(i);
                int k = 0;
                while (k < choices - 1 && u[o + k] < 0.5) {
                    k++;
                }
                key = key * choices + k;
            }
        }
        return key;
    }

    /**
     * A snapped point near {@code u}: Gaussian steps of {@code scale} × length scale; in a local search, a free
     * categorical changed now and then.
     */
    private double[] perturb(double[] u, double[] lengths, double scale) {
        double[] v = u.clone();
        int parameters = cube.parameters();
        for (int i = 0; i < parameters; i++) {
            int o = cube.offset(i);
            int choices = cube.choices(i);
            if (choices > 0) {
                if (combinations == null && fixed[i] < 0 && random.nextDouble() < 1.0 / parameters) {
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

    /**
     * Trials without improvement after which the search stops aiming at the target for now and maximises expected
     * improvement: the chance of reaching the target is highest, and stays so, at a point the model is sure sits
     * just short of it (on the mixed problem of {@code hone bench tuning}, SGD's optimum 0.075002 against the target
     * 0.075 drew trial after trial to the same point: 125 trials on one seed), while expected improvement there is
     * nil. 8 kept Branin and Hartmann-6 at 16.5 and 21 trials; 4 cost Branin half a trial and the mixed problem 2.5.
     */
    static final int STALE = 8;

    /** Whether the last {@value #STALE} observations did not improve on the best before them. */
    private boolean stale() {
        int bestAt = 0;
        for (int i = 1; i < y.length; i++) {
            if (y[i] < y[bestAt]) {
                bestAt = i;
            }
        }
        return y.length - 1 - bestAt >= STALE;
    }

    private double score(double mean, double variance) {
        double sigma = Math.sqrt(variance);
        if (revisiting) {
            return -(mean - 2 * sigma);
        }
        if (aimAtTarget) {
            return logChance(mean, variance);
        }
        return Math.log(sigma) + Normal.logH((best - mean) / sigma);
    }

    /** log P(f ≤ target). */
    private double logChance(double mean, double variance) {
        return Normal.logNormCdf((target - mean) / Math.sqrt(variance));
    }
}
