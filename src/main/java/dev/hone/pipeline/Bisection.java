package dev.hone.pipeline;

import dev.hone.data.DataDir;
import dev.hone.error.HoneException;
import dev.hone.source.Commit;
import dev.hone.source.History;
import dev.hone.spec.Spec;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.store.TrialRow;
import dev.hone.tune.Direction;
import dev.hone.tune.ParamText;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code hone bisect GOOD BAD}: the first commit between GOOD and BAD (on BAD's first-parent history) that made the
 * model worse. Each probed commit is trained once with the best parameters of GOOD's run, so that only the code
 * changed; a commit is bad when its value is worse than GOOD's best by more than {@code tolerance} (in the metric's
 * direction), or when it produced none. Binary search: about log2(N) trainings for N commits.
 */
public final class Bisection {

    /**
     * What bisect found: the first bad commit, its parent (the last good one), the values at each (GOOD's best when
     * the parent is GOOD; {@code badValue} null: it produced no value), the metric, GOOD's run, and how many commits
     * were trained of how many after GOOD.
     */
    public record Result(Commit firstBad, Commit lastGood, Double badValue, double goodValue, String metric,
                         long goodRun, int trained, int commits) {

        /** What the command prints. */
        public String message() {
            return "the first bad commit is " + shortSha(firstBad.sha()) + " by " + firstBad.author() + ": "
                    + firstBad.message() + "\n" + metric + " " + ParamText.exact(goodValue) + " at its parent "
                    + shortSha(lastGood.sha()) + ", " + (badValue == null ? "no value" : ParamText.exact(badValue))
                    + " at " + shortSha(firstBad.sha()) + " (" + trained + " of " + commits
                    + " commits trained with the parameters of run " + goodRun + ")";
        }
    }

    private final Store store;
    private final Function<RunRequest, RunOutcome> train;
    private final Spec.Executor executor;
    private final PrintStream out;

    /** @param train runs a request (a pipeline of the installation); {@code executor} null: the spec's */
    public Bisection(Store store, Function<RunRequest, RunOutcome> train, Spec.Executor executor, PrintStream out) {
        this.store = store;
        this.train = train;
        this.executor = executor;
        this.out = out;
    }

    /**
     * What a bisection will train, checked before anything trains: the commits from GOOD to BAD (oldest first), GOOD's
     * run and the parameters every probe trains with; {@code name} names each probe's checkout directory.
     */
    public record Plan(History history, String name, List<Commit> commits, RunRow goodRun,
                       Map<String, Object> params) {

        public Plan {
            commits = List.copyOf(commits);
            params = Map.copyOf(params);
        }
    }

    /** Bisects the repository whose work tree holds {@code dir}; {@code tolerance}: 0 or more. */
    public Result bisect(Path dir, String good, String bad, double tolerance) {
        return bisect(plan(History.of(dir), dir.toAbsolutePath().normalize().getFileName().toString(), null, good,
                bad), tolerance);
    }

    /**
     * Checks GOOD and BAD in {@code history} without training: both commits, GOOD on BAD's first-parent history and
     * earlier, GOOD's finished run (of {@code project}; null: of any project).
     *
     * @throws HoneException (a {@link dev.hone.source.GitException} for the commits) saying what to give instead
     */
    public Plan plan(History history, String name, String project, String good, String bad) {
        List<Commit> commits = history.firstParents(good, bad);
        if (commits.size() < 2) {
            throw new HoneException("GOOD and BAD are the same commit (" + shortSha(commits.getFirst().sha())
                    + "): give an earlier GOOD");
        }
        RunRow goodRun = runOf(commits.getFirst().sha(), project);
        Map<String, Object> params = store.trials(goodRun.id()).stream().map(TrialRow::trial)
                .filter(t -> t.number() == goodRun.bestTrial()).findFirst().orElseThrow().params();
        return new Plan(history, name, commits, goodRun, params);
    }

    /** Trains the probes of {@code plan}, binary-searching; {@code tolerance}: 0 or more. */
    public Result bisect(Plan plan, double tolerance) {
        List<Commit> commits = plan.commits();
        RunRow goodRun = plan.goodRun();
        Map<String, Object> params = plan.params();
        Direction direction = goodRun.metric().direction();
        double goodValue = goodRun.bestValue();
        out.printf("hone: bisect: %d commits after %s; each trained once with the parameters of run %d (%s), %s %s"
                        + " there%n", commits.size() - 1, shortSha(commits.getFirst().sha()), goodRun.id(),
                ParamText.exact(params), goodRun.metric().name(), ParamText.exact(goodValue));
        String good = commits.getFirst().sha();
        String bad = commits.getLast().sha();
        Map<Integer, Optional<Double>> values = new HashMap<>();
        values.put(0, Optional.of(goodValue));
        Path scratch = scratch();
        try {
            int lo = 0;
            int hi = commits.size() - 1;
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                Optional<Double> v = probe(plan, commits.get(mid), scratch, values, mid);
                if (worse(v, goodValue, direction, tolerance)) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            Optional<Double> badValue = probe(plan, commits.get(hi), scratch, values, hi);
            if (!worse(badValue, goodValue, direction, tolerance)) {
                throw new HoneException("trained with the parameters of run " + goodRun.id() + ", " + shortSha(bad)
                        + " is not worse than " + shortSha(good) + " (" + goodRun.metric().name() + " "
                        + badValue.map(ParamText::exact).orElse("none") + " against " + ParamText.exact(goodValue)
                        + "): its best came from other parameters or data, not from the code");
            }
            Optional<Double> lastGood = probe(plan, commits.get(lo), scratch, values, lo);
            return new Result(commits.get(hi), commits.get(lo), badValue.orElse(null), lastGood.orElseThrow(),
                    goodRun.metric().name(), goodRun.id(), values.size() - 1, commits.size() - 1);
        } finally {
            try {
                DataDir.delete(scratch);
            } catch (IOException e) {
                out.println("hone: bisect: could not remove " + scratch + ": " + e.getMessage());
            }
        }
    }

    /** Worse than GOOD beyond the tolerance, or no value at all. */
    private static boolean worse(Optional<Double> value, double good, Direction direction, double tolerance) {
        if (value.isEmpty()) {
            return true;
        }
        double by = direction == Direction.MAXIMIZE ? good - value.get() : value.get() - good;
        return by > tolerance + 1e-9;
    }

    /** The value of commit {@code index}, trained once (at most once: a commit probed before is not trained again). */
    private Optional<Double> probe(Plan plan, Commit commit, Path scratch, Map<Integer, Optional<Double>> values,
                                   int index) {
        Optional<Double> known = values.get(index);
        if (known != null) {
            return known;
        }
        Path checkout = scratch.resolve(commit.sha()).resolve(plan.name());
        plan.history().checkout(commit.sha(), checkout);
        RunOutcome outcome = train.apply(RunRequest.fixed(checkout, executor, plan.params()));
        Optional<Double> value = Optional.ofNullable(outcome.summary().best()).map(Summary.Best::value);
        out.printf("hone: bisect: %s %s: %s (run %d)%n", shortSha(commit.sha()), commit.message(),
                value.map(ParamText::exact).orElse("no value"), outcome.runId());
        values.put(index, value);
        return value;
    }

    /** GOOD's latest run that ended with a best, whose parameters every probe trains with. */
    private RunRow runOf(String sha, String project) {
        for (int offset = 0; offset < 10_000; offset += 100) {
            List<RunRow> page = store.runs(project, 100, offset);
            for (RunRow r : page) {
                if (sha.equals(r.commit()) && Regressions.ENDED.contains(r.status()) && r.bestTrial() != null
                        && r.bestValue() != null && r.metric() != null) {
                    return r;
                }
            }
            if (page.size() < 100) {
                break;
            }
        }
        throw new HoneException("no finished run of commit " + shortSha(sha) + (project == null ? " in " + store
                : " of project " + project) + ": bisect trains every commit with the best parameters of GOOD's run —"
                + " run GOOD first (" + (project == null ? "git checkout " + shortSha(sha) + " && hone run"
                : "POST /api/runs {\"project\": \"" + project + "\", \"commit\": \"" + sha + "\"}") + ")");
    }

    private static Path scratch() {
        try {
            return Files.createTempDirectory("hone-bisect-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for bisect's checkouts: " + e.getMessage(), e);
        }
    }

    private static String shortSha(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
