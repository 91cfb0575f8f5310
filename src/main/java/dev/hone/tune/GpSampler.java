package dev.hone.tune;

import dev.hone.tune.gp.AcquisitionSearch;
import dev.hone.tune.gp.GaussianProcess;
import dev.hone.tune.gp.HyperCache;
import dev.hone.tune.gp.RankCorrelation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Bayesian optimisation with a Gaussian process ({@link GaussianProcess}: Matérn-5/2 on the numeric coordinates
 * times an exponentiated Hamming kernel on the categorical ones, ARD length scales fitted by maximum a posteriori)
 * on the {@link UnitCube} (log parameters in log space, integers rounded inside the acquisition, categoricals
 * one-hot), observations standardised. Conditional parameters ({@code when:}): an inactive parameter's coordinates
 * are held at a fixed point (see {@link UnitCube}), so the model lives on each branch's active subspace and the
 * branches are told apart by their parent's categorical coordinates.
 * <ul>
 *   <li>Start: the first {@code max(5, params + 1)} trials are a Latin hypercube drawn from the seed.</li>
 *   <li>Then: the point that maximises the acquisition over {@link AcquisitionSearch}'s random candidates,
 *       candidates near the best trials, and local refinement. The acquisition is expected improvement over the
 *       best trial; with a target, once the model gives some point a fair chance of reaching it
 *       ({@value AcquisitionSearch#TARGET_CHANCE}), the probability of reaching the target is maximised instead:
 *       the study stops at the first trial that reaches it, so that probability is what one more trial is for.
 *       Categorical choices are searched explicitly (every combination when there are few, see
 *       {@link AcquisitionSearch}), and the exploration safeguard ({@link #revisit}) keeps a choice from being
 *       abandoned on a few trials.</li>
 *   <li>Parallel trials (constant liar): running trials, and the batch's earlier suggestions, enter the model
 *       with the mean value observed, so a batch spreads out instead of repeating itself (the worst value, on
 *       Branin with values from 0.4 to 300, made the pending points look like spikes and drove the search from the
 *       optimum: 7 of 10 seeds reached the target with {@code parallel: 4}, against 10 of 10 with the mean).</li>
 *   <li>A pruned trial enters with its last intermediate value: a pessimistic estimate, as a curve improves with
 *       training (counting it as the worst value instead lost the target on 5 of 10 seeds with ASHA in
 *       {@code hone bench tuning}). Failed trials and trials without a finite value are ignored.</li>
 * </ul>
 * Hyperparameters: fitted to every observation up to {@value #REFIT_ALL}, past that refitted every
 * {@value #REFIT_EVERY}th observation; the sampler keeps its recent fits ({@link HyperCache}), which the portfolio's
 * check reuses. Deterministic: the generator is derived from the seed and the history's size, and a fit depends on
 * the history alone (a kept fit is the fit that would be made again).
 * <p>With a warm start ({@link WarmStart}), the earlier runs' trials enter the model too, each with
 * {@value WarmStart#GP_NOISE} more noise variance (in units of the values' variance) than this run's, so that where
 * this run has trials its own values win, and elsewhere the earlier ones shape the model; they count toward the
 * initial design (with as many, none is drawn), and expected improvement is measured from this run's best.
 */
final class GpSampler implements Sampler {

    /** How often the exploration safeguard may hold a categorical choice: every this many model trials. */
    static final int REVISIT_EVERY = 4;

    /**
     * Past this many observations, the hyperparameters are refitted every {@value #REFIT_EVERY}th: they are fitted
     * to the first {@code n − n mod} {@value #REFIT_EVERY} (the model is still conditioned on all n). One more
     * trial among a hundred barely moves the fit, and it saves a fit on nine suggestions of ten; below, every
     * suggestion refits, as the early trials are where the fit moves and the benchmark's studies are decided.
     */
    static final int REFIT_ALL = 100;
    /** How often the hyperparameters are refitted past {@value #REFIT_ALL} observations (= the check's window). */
    static final int REFIT_EVERY = Portfolio.RECENT;

    private final long seed;
    /** The fits made recently: the portfolio's check reuses the suggestion's fit of ten trials before. */
    private final HyperCache fits = new HyperCache();
    private final List<Trial> prior;

    GpSampler(long seed) {
        this(seed, List.of());
    }

    private GpSampler(long seed, List<Trial> prior) {
        this.seed = seed;
        this.prior = List.copyOf(prior);
    }

    @Override
    public GpSampler warmedBy(List<Trial> earlier) {
        return new GpSampler(seed, earlier);
    }

    @Override
    public String name() {
        return "bayes";
    }

    /** Trials drawn from the initial design before the model is used. */
    static int startupTrials(SearchSpace space) {
        return Math.max(5, space.params().size() + 1);
    }

    @Override
    public List<Map<String, Object>> suggest(SearchSpace space, List<Trial> history, int n) {
        if (space.isEmpty()) {
            return new RandomSampler(seed).suggest(space, history, n);
        }
        UnitCube cube = new UnitCube(space.params());
        double sign = space.direction() == Direction.MAXIMIZE ? -1 : 1; // the model minimises
        List<double[]> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<double[]> liars = new ArrayList<>(); // running trials and the batch so far
        for (Trial t : prior) {
            double[] u = cube.encode(t.params());
            if (u != null && t.hasValue() && Double.isFinite(t.value())) {
                xs.add(u);
                ys.add(sign * t.value());
            }
        }
        int earlier = xs.size();
        for (Trial t : history) {
            double[] u = cube.encode(t.params());
            if (u == null) {
                continue;
            }
            if (t.hasValue() && Double.isFinite(t.value())) {
                xs.add(u);
                ys.add(sign * t.value());
            } else if (t.state() == TrialState.PRUNED && lastValue(t) != null) {
                xs.add(u); // a partial value: pessimistic, as curves improve with training
                ys.add(sign * lastValue(t));
            } else if (t.state() == TrialState.RUNNING || t.state() == TrialState.PRUNED) {
                liars.add(u);
            }
        }
        Set<Map<String, Object>> used = ParamSets.used(history);
        SplittableRandom random = new SplittableRandom(ParamSets.mix(seed, history.size()));
        int startup = startupTrials(space);
        List<Map<String, Object>> out = new ArrayList<>();
        Model model = null;
        double[][] design = null;
        for (int i = 0; i < n; i++) {
            Map<String, Object> next = null;
            if (xs.size() < startup) {
                int index = history.size() + i;
                if (index < startup) {
                    if (design == null) {
                        design = cube.latinHypercube(startup, new SplittableRandom(ParamSets.mix(seed, 0x1A7E)));
                    }
                    next = fresh(cube.decode(design[index].clone()), used);
                }
            } else {
                if (model == null) {
                    model = new Model(cube, xs, ys, earlier, space.target() == null ? null : sign * space.target(),
                            fits);
                }
                next = model.next(liars, used, random, revisit(cube, xs, history.size() + i - startup));
            }
            if (next == null) {
                next = RandomSampler.draw(space.params(), random, used);
                if (next == null) {
                    break;
                }
            }
            used.add(ParamSets.key(next));
            out.add(next);
            liars.add(cube.encode(next));
        }
        return out;
    }

    /**
     * The exploration safeguard: every {@value #REVISIT_EVERY}th trial the model chooses, the categorical choice
     * tried least, if it has fewer than ⌈√n⌉ of the n trials, is held for that trial (the model picks the rest), so
     * that no choice is abandoned on the strength of a few unlucky trials. Returns, per parameter, the choice held
     * or −1; null when nothing is held.
     */
    static int[] revisit(UnitCube cube, List<double[]> xs, int modelTrial) {
        if (modelTrial % REVISIT_EVERY != REVISIT_EVERY - 1) {
            return null;
        }
        int required = (int) Math.ceil(Math.sqrt(xs.size()));
        int bestParam = -1;
        int bestChoice = -1;
        int fewest = required;
        for (int i = 0; i < cube.parameters(); i++) {
            int choices = cube.choices(i);
            int o = cube.offset(i);
            for (int k = 0; k < choices; k++) {
                int count = 0;
                for (double[] u : xs) {
                    count += u[o + k] > 0.5 ? 1 : 0;
                }
                if (count < fewest) {
                    fewest = count;
                    bestParam = i;
                    bestChoice = k;
                }
            }
        }
        if (bestParam < 0) {
            return null;
        }
        int[] fixed = new int[cube.parameters()];
        Arrays.fill(fixed, -1);
        fixed[bestParam] = bestChoice;
        return fixed;
    }

    private static boolean[] categorical(UnitCube cube) {
        boolean[] categorical = new boolean[cube.dims()];
        for (int i = 0; i < cube.parameters(); i++) {
            Arrays.fill(categorical, cube.offset(i), cube.offset(i) + cube.choices(i), true);
        }
        return categorical;
    }

    /**
     * How well the model predicts: Spearman's rank correlation between the values of the last {@code k} trials
     * with a value and the model's predictions of them, the model fitted to the trials before them (as it stood
     * when they were chosen, roughly). NaN while there are fewer than the initial design and {@code k} such
     * trials, or when the values or predictions are all equal.
     */
    static double recentRankCorrelation(SearchSpace space, List<Trial> history, int k) {
        return new GpSampler(0).rankCorrelation(space, history, k);
    }

    /**
     * {@link #recentRankCorrelation(SearchSpace, List, int)} with this sampler's fits: the fit to the trials before
     * the last {@code k} is, when {@code k} = {@value #REFIT_EVERY}, the one this sampler's suggestion made
     * {@code k} trials ago, and is not made again.
     */
    double rankCorrelation(SearchSpace space, List<Trial> history, int k) {
        if (space.isEmpty()) {
            return Double.NaN;
        }
        UnitCube cube = new UnitCube(space.params());
        double sign = space.direction() == Direction.MAXIMIZE ? -1 : 1; // as the suggestion's model, to share fits
        List<double[]> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (Trial t : history) {
            double[] u = t.hasValue() && Double.isFinite(t.value()) ? cube.encode(t.params()) : null;
            if (u != null) {
                xs.add(u);
                ys.add(sign * t.value());
            }
        }
        int before = xs.size() - k;
        if (before < startupTrials(space)) {
            return Double.NaN;
        }
        double[][] x = xs.subList(0, before).toArray(double[][]::new);
        double[] y = standardised(ys.subList(0, before));
        GaussianProcess gp = GaussianProcess.withHyper(x, y, hyper(fits, x, ys, categorical(cube)));
        double[] predicted = new double[k];
        double[] observed = new double[k];
        for (int i = 0; i < k; i++) {
            predicted[i] = gp.mean(xs.get(before + i));
            observed[i] = ys.get(before + i);
        }
        return RankCorrelation.spearman(predicted, observed);
    }

    /** The values less their mean, over their standard deviation (1 when they are all equal). */
    private static double[] standardised(List<Double> values) {
        double[] raw = values.stream().mapToDouble(Double::doubleValue).toArray();
        double m = Arrays.stream(raw).average().orElse(0);
        double v = Arrays.stream(raw).map(a -> (a - m) * (a - m)).sum() / Math.max(1, raw.length - 1);
        double sd = v > 0 ? Math.sqrt(v) : 1;
        return Arrays.stream(raw).map(a -> (a - m) / sd).toArray();
    }

    /**
     * The hyperparameters for a model of the points {@code x} (the first {@code x.length} of {@code raw}'s
     * values): fitted to them all up to {@value #REFIT_ALL}, past that to the first {@code n − n mod}
     * {@value #REFIT_EVERY}, each prefix standardised on its own (so that a fit is the same whoever asks for it).
     */
    static GaussianProcess.Hyper hyper(HyperCache fits, double[][] x, List<Double> raw, boolean[] categorical) {
        int n = x.length;
        int m = n <= REFIT_ALL ? n : n - n % REFIT_EVERY;
        return fits.fit(m == n ? x : Arrays.copyOf(x, m), standardised(raw.subList(0, m)), categorical);
    }

    /** The last finite intermediate value of a trial, or null. */
    private static Double lastValue(Trial t) {
        if (t.intermediate() == null || t.intermediate().isEmpty()) {
            return null;
        }
        double v = t.intermediate().getLast().value();
        return Double.isFinite(v) ? v : null;
    }

    private static Map<String, Object> fresh(Map<String, Object> set, Set<Map<String, Object>> used) {
        return used.contains(ParamSets.key(set)) ? null : set;
    }

    /** The fitted model of the finished trials, asked for one point at a time. */
    private static final class Model {
        private final UnitCube cube;
        private final double[][] x;
        private final double[] y;
        private final double mean;
        private final double sd;
        private final Double target;
        private final GaussianProcess.Hyper hyper;
        /** The first {@code earlier} observations are a warm start's earlier trials. */
        private final int earlier;

        Model(UnitCube cube, List<double[]> xs, List<Double> ys, int earlier, Double target, HyperCache fits) {
            this.cube = cube;
            this.earlier = earlier;
            this.x = xs.toArray(double[][]::new);
            double[] raw = ys.stream().mapToDouble(Double::doubleValue).toArray();
            double m = Arrays.stream(raw).average().orElse(0);
            double v = Arrays.stream(raw).map(a -> (a - m) * (a - m)).sum() / Math.max(1, raw.length - 1);
            this.mean = m;
            this.sd = v > 0 ? Math.sqrt(v) : 1;
            this.y = standardised(ys);
            this.target = target == null ? null : (target - mean) / sd;
            this.hyper = hyper(fits, x, ys, categorical(cube));
        }

        Map<String, Object> next(List<double[]> liars, Set<Map<String, Object>> used, SplittableRandom random,
                                 int[] fixed) {
            double[][] all = Arrays.copyOf(x, x.length + liars.size());
            double[] values = Arrays.copyOf(y, y.length + liars.size());
            for (int i = 0; i < liars.size(); i++) {
                all[x.length + i] = liars.get(i);
                values[y.length + i] = 0; // the mean of the standardised observations
            }
            double[] extraNoise = new double[all.length];
            Arrays.fill(extraNoise, 0, earlier, WarmStart.GP_NOISE);
            GaussianProcess gp = earlier == 0 ? GaussianProcess.withHyper(all, values, hyper)
                    : GaussianProcess.withHyper(all, values, hyper, extraNoise);
            double[] own = earlier < y.length ? Arrays.copyOfRange(y, earlier, y.length) : y;
            double best = Arrays.stream(own).min().orElse(0);
            AcquisitionSearch search = new AcquisitionSearch(cube, gp, best, target, x, y, random, fixed);
            for (double[] u : search.ranked()) {
                Map<String, Object> set = cube.decode(u);
                if (!used.contains(ParamSets.key(set))) {
                    return set;
                }
            }
            return null;
        }
    }
}
