package dev.hone.pipeline;

import dev.hone.notify.Event;
import dev.hone.run.RunStatus;
import dev.hone.spec.Spec;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.tune.Direction;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a run's best fell below its base branch's previous best: the latest earlier run of the project on that
 * branch, at a commit, judged by the same metric and direction, that ended with a best value. Worse by more than
 * {@code metric.regression_tolerance} (in the metric's direction) is a {@code regression}.
 */
final class Regressions {

    /** How many earlier runs are looked through for the previous best, newest first. */
    private static final int LOOK_BACK = 500;
    private static final int PAGE = 100;
    /** The endings whose best is a whole study's, to compare with (not a cancelled or interrupted one's). */
    static final Set<RunStatus> ENDED = EnumSet.of(RunStatus.TARGET_REACHED, RunStatus.TARGET_MISSED,
            RunStatus.SUCCEEDED);

    private Regressions() {}

    /**
     * The regression of run {@code runId} (best {@code value}, at {@code origin}'s commit) against {@code base}'s
     * previous best; empty when it is none, or when the run or the branch has nothing to compare.
     *
     * @param base the branch the run is compared with: the run's own branch for a push (a pull request's run names its
     *             base branch)
     */
    static Optional<Event.Regression> of(Store store, long runId, Spec.Metric metric, String base, double value,
                                         Event.Origin origin) {
        if (base == null || origin.commit() == null) {
            return Optional.empty();
        }
        Optional<RunRow> previous = previous(store, origin.project(), runId, base, metric);
        if (previous.isEmpty()) {
            return Optional.empty();
        }
        double before = previous.get().bestValue();
        double worse = metric.direction() == Direction.MAXIMIZE ? before - value : value - before;
        if (!(worse > metric.regressionTolerance() + 1e-9)) {
            return Optional.empty();
        }
        return Optional.of(new Event.Regression(origin, metric.name(), metric.direction(), value, base,
                previous.get().id(), previous.get().commit(), before, metric.regressionTolerance()));
    }

    private static Optional<RunRow> previous(Store store, String project, long runId, String branch,
                                             Spec.Metric metric) {
        for (int offset = 0; offset < LOOK_BACK; offset += PAGE) {
            List<RunRow> page = store.runs(project, PAGE, offset);
            for (RunRow r : page) {
                if (r.id() < runId && branch.equals(r.branch()) && r.commit() != null && ENDED.contains(r.status())
                        && r.bestValue() != null && r.metric() != null && r.metric().name().equals(metric.name())
                        && r.metric().direction() == metric.direction()) {
                    return Optional.of(r);
                }
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        return Optional.empty();
    }
}
