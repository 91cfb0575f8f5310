package dev.hone.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hone.metrics.MetricPoint;
import dev.hone.pipeline.Bisection;
import dev.hone.pipeline.Summary;
import dev.hone.run.RunStatus;
import dev.hone.server.Bisections;
import dev.hone.serving.Deployments;
import dev.hone.source.Commit;
import dev.hone.store.EventRow;
import dev.hone.store.RunRow;
import dev.hone.store.TrialRow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The REST API's request and response bodies (snake_case on the wire). */
final class Bodies {

    private Bodies() {}

    record Error(String error) {}

    /** {@code /session}: whether reads need a token, and the token a dashboard session signed in with. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Session(String readAccess, boolean signedIn, String name, String scope) {}

    /** A page of a list: {@code next_offset} is null on the last page. */
    record Page<T>(List<T> items, int limit, int offset, Integer nextOffset) {}

    /**
     * A page of runs: as {@link Page}, and {@code next_before}, the cursor of the next page ({@code ?before=}: the
     * runs older than that one), null on the last page.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record RunPage(List<RunItem> items, int limit, int offset, Integer nextOffset, Long nextBefore) {}

    record Best(int trial, Double value) {}

    /** A run in a list; {@code live}: queued or running, so its status will change by itself. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record RunItem(long id, String project, String commit, String branch, String author, String message,
                   RunStatus status, boolean live, Best best, int trials, Instant createdAt, Instant finishedAt) {

        static RunItem of(RunRow r) {
            return new RunItem(r.id(), r.project(), r.commit(), r.branch(), r.author(), r.message(), r.status(),
                    r.status().live(), r.bestTrial() == null ? null : new Best(r.bestTrial(), r.bestValue()),
                    r.trialCount(), r.createdAt(), r.finishedAt());
        }
    }

    /** A project with its latest run and the model it serves ({@code serving}: null when it serves none). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ProjectItem(String name, RunItem latestRun, Serving serving) {}

    /**
     * The model a project serves ({@code serve:}): its run and trial, the port, the state (starting, serving,
     * restarting, gave_up, stopped, failed), restarts, the container's short id, why the last deploy or restart
     * failed, and since when it serves. Nothing of the container's environment.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Serving(Long run, Integer trial, int port, String state, int restarts, String container, String detail,
                   Instant since) {

        static Serving of(Deployments.Status s) {
            return new Serving(s.runId() == 0 ? null : s.runId(), s.runId() == 0 ? null : s.trial(), s.port(),
                    s.state(), s.restarts(), s.container() == null ? null
                            : s.container().substring(0, Math.min(12, s.container().length())), s.detail(), s.since());
        }
    }

    record Point(long step, Double value) {}

    /**
     * A trial: {@code intermediate} holds the run's own metric's intermediate values, {@code metrics} the last value
     * of every metric it reported, {@code metrics_intermediate} the intermediate values of the others, by name;
     * {@code resources} what it used, as in the summary (null when not known).
     */
    record TrialItem(int number, String state, Double value, Map<String, Object> params, Integer exitCode,
                     long durationMs, String error, Instant startedAt, List<Point> intermediate,
                     Map<String, Double> metrics, Map<String, List<Point>> metricsIntermediate,
                     Summary.Resources resources) {

        static TrialItem of(TrialRow t) {
            var trial = t.trial();
            Map<String, List<Point>> others = new TreeMap<>();
            t.otherIntermediate().forEach((name, points) -> others.put(name, points(points)));
            return new TrialItem(trial.number(), trial.state().label(), trial.value(), trial.params(),
                    trial.exitCode(), trial.durationMs(), trial.error(), t.startedAt(),
                    trial.intermediate() == null ? List.of() : points(trial.intermediate()), trial.metrics(), others,
                    Summary.Resources.of(trial.resources()));
        }

        private static List<Point> points(List<MetricPoint> points) {
            return points.stream().map(p -> new Point(p.step(), Double.isFinite(p.value()) ? p.value() : null))
                    .toList();
        }
    }

    /** {@code GET /api/runs/{id}/importance}: each parameter's share (0…1), highest first. */
    record Importances(String method, double quantile, int trials, List<ParamShare> params, String note) {
    }

    record ParamShare(String name, double importance) {
    }

    record EventItem(String type, String message, Instant at) {

        static EventItem of(EventRow e) {
            return new EventItem(e.type(), e.message(), e.at());
        }
    }

    /** A metric as the dashboard needs it: name, direction (maximize, minimize), target (null: none). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record MetricItem(String name, String direction, Double target) {

        static MetricItem of(dev.hone.spec.Spec.Metric m) {
            return new MetricItem(m.name(), m.direction().label(), m.target());
        }
    }

    /**
     * A run in a project's history: {@code regression} when its best is worse than {@code previous_best}, the best of
     * {@code previous_run}, the run before it that had one (both null otherwise).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record HistoryPoint(RunItem run, Double target, boolean regression, Long previousRun, Double previousBest) {}

    /**
     * {@code /api/projects/{name}/history}: oldest run first; {@code metric}: the newest run's; {@code model}: whether
     * the project has a current model to download.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record History(String project, MetricItem metric, boolean model, List<HistoryPoint> runs) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record TrialValue(int number, String state, Double value) {}

    /**
     * A run in {@code /api/compare}: its best trial's parameters, every trial's value, the text of its commit's
     * {@code hone.yaml} (null: none), and {@code spec_diff}, the unified diff from the first run's (null for the
     * first, empty when the same).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Compared(RunItem run, MetricItem metric, Map<String, Object> bestParams, List<TrialValue> trials,
                    String spec, String specDiff) {}

    /** {@code POST /api/runs}: the project, and the commit or the branch whose head to run (neither: the first). */
    record TriggerRequest(String project, String commit, String branch) {}

    record Queued(long id, String status) {}

    /** {@code POST /api/projects/{name}/bisect}: GOOD and BAD (ids, branches or tags), the tolerance (default 0). */
    record BisectRequest(String good, String bad, Double tolerance) {}

    /** A commit bisect names: its id, author and first message line. */
    record CommitItem(String sha, String author, String message) {
        static CommitItem of(Commit c) {
            return new CommitItem(c.sha(), c.author(), c.message());
        }
    }

    /**
     * A bisection ({@code GET /api/projects/{name}/bisect/{id}}): {@code status} running, found or failed; once found,
     * the first bad commit, its parent (the last good one), the values at each ({@code bad_value} null: it produced
     * none), GOOD's run, how many of how many commits were trained, and the {@code message} {@code hone bisect}
     * prints; once failed, the {@code error}; {@code log}: each probe as it went.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record BisectItem(long id, String project, String good, String bad, double tolerance, String status,
                      CommitItem firstBad, CommitItem lastGood, Double badValue, Double goodValue, String metric,
                      Long goodRun, Integer trained, Integer commits, String message, String error,
                      List<String> log, Instant startedAt, Instant finishedAt) {

        static BisectItem of(Bisections.Job job) {
            Bisection.Result r = job.result();
            return new BisectItem(job.id(), job.project(), job.good(), job.bad(), job.tolerance(),
                    job.status().label(), r == null ? null : CommitItem.of(r.firstBad()),
                    r == null ? null : CommitItem.of(r.lastGood()), r == null ? null : r.badValue(),
                    r == null ? null : r.goodValue(), r == null ? null : r.metric(), r == null ? null : r.goodRun(),
                    r == null ? null : r.trained(), r == null ? null : r.commits(), r == null ? null : r.message(),
                    job.error(), job.log(), job.startedAt(), job.finishedAt());
        }
    }

    record HookAnswer(String status, Long run, String reason) {}

    /**
     * {@code POST /api/repositories}: secrets by the names of the server's environment variables; the SSH key by
     * the path of its file on the server.
     */
    record RepositoryRequest(String url, List<String> branches, String poll, String webhookSecretEnv,
                             String usernameEnv, String passwordEnv, String sshKeyFile, String passphraseEnv,
                             String knownHosts, String caCert) {}

    /**
     * A watched repository; {@code status} is ok, failing or unchecked, and {@code problem} says, while it fails,
     * what failed and what to do. Credentials never appear.
     */
    record RepositoryItem(Long id, String url, List<String> branches, String poll, boolean configured,
                          boolean webhook, Map<String, String> lastSeen, List<EventItem> events, String status,
                          String problem) {}
}
