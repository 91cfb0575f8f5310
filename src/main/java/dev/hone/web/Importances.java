package dev.hone.web;

import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.store.TrialRow;
import dev.hone.tune.Direction;
import dev.hone.tune.TrialState;
import dev.hone.tune.importance.ParamImportance;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's parameter importance ({@code GET /api/runs/{id}/importance}): PED-ANOVA over its succeeded trials, worked
 * out once per set of ended trials. The answer of each of the {@value #RUNS} runs asked for last is kept with the
 * number of the run's trials that had ended; it is worked out again only when that number changed (a trial ended),
 * which one cheap count in the store tells — a run's page asks on every event of its stream.
 */
final class Importances {

    /** Runs whose answer is kept; the one asked for least recently goes first. */
    static final int RUNS = 64;

    /** What an answer was worked out from: a run that was deleted and whose id came again is another run. */
    private record Key(Instant created, int ended, Direction direction) {}

    private record Kept(Key key, Bodies.Importances answer) {}

    private final Store store;
    private final Map<Long, Kept> kept = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Kept> eldest) {
            return size() > RUNS;
        }
    };
    private long computed;

    Importances(Store store) {
        this.store = store;
    }

    /** Run {@code run}'s importance with its metric's {@code direction}. */
    Bodies.Importances of(RunRow run, Direction direction) {
        // counted before the trials are read: a trial that ends in between makes the next answer worked out again
        Key key = new Key(run.createdAt(), store.endedTrials(List.of(run.id())).getOrDefault(run.id(), 0), direction);
        synchronized (kept) {
            Kept answer = kept.get(run.id());
            if (answer != null && answer.key().equals(key)) {
                return answer.answer();
            }
        }
        Bodies.Importances answer = compute(run, direction);
        synchronized (kept) {
            kept.put(run.id(), new Kept(key, answer));
            computed++;
        }
        return answer;
    }

    /** How many answers were worked out rather than kept ones given. */
    long computed() {
        synchronized (kept) {
            return computed;
        }
    }

    private Bodies.Importances compute(RunRow run, Direction direction) {
        List<ParamImportance.Observation> trials = store.trials(run.id()).stream().map(TrialRow::trial)
                .filter(t -> t.state() == TrialState.SUCCEEDED && t.value() != null && Double.isFinite(t.value()))
                .map(t -> new ParamImportance.Observation(t.params(), t.value())).toList();
        List<ParamImportance.Importance> importances = ParamImportance.pedAnova(trials, direction);
        String note = importances.isEmpty() ? "importance needs at least " + ParamImportance.MIN_TRIALS
                + " succeeded trials; run " + run.id() + " has " + trials.size() : null;
        return new Bodies.Importances("ped-anova", ParamImportance.QUANTILE, trials.size(),
                importances.stream().map(i -> new Bodies.ParamShare(i.param(), i.importance())).toList(), note);
    }
}
