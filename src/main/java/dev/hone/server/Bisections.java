package dev.hone.server;

import dev.hone.error.HoneException;
import dev.hone.pipeline.Bisection;
import dev.hone.pipeline.RunOutcome;
import dev.hone.pipeline.RunRequest;
import dev.hone.source.GitException;
import dev.hone.source.History;
import dev.hone.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/projects/{name}/bisect}: {@code hone bisect} on the server, over the project's watched repository
 * (its cache, fetched whole first), one at a time. What is checked before anything trains (the commits, GOOD's run)
 * is refused at once; the training runs on a thread of its own, and {@link #get} tells how far it is. Kept in
 * memory: the last {@value #KEPT} bisections, until the server stops.
 */
public final class Bisections {

    static final int KEPT = 50;
    private static final Logger LOG = LoggerFactory.getLogger(Bisections.class);

    /** Where a bisection stands. */
    public enum Status {
        RUNNING, FOUND, FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One bisection: {@code result} once {@link Status#FOUND}, {@code error} once {@link Status#FAILED}; {@code log}
     * the lines {@code hone bisect} prints as it goes (each probed commit and its value).
     */
    public record Job(long id, String project, String good, String bad, double tolerance, Status status,
                      Bisection.Result result, String error, List<String> log, Instant startedAt,
                      Instant finishedAt) {}

    private final Store store;
    private final Watchlist watchlist;
    private final Mirrors mirrors;
    private final Function<RunRequest, RunOutcome> train;
    private final InstantSource clock;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Job> jobs = new LinkedHashMap<>();
    private final Map<Long, ByteArrayOutputStream> logs = new LinkedHashMap<>();

    Bisections(Store store, Watchlist watchlist, Mirrors mirrors, Function<RunRequest, RunOutcome> train,
               InstantSource clock) {
        this.store = store;
        this.watchlist = watchlist;
        this.mirrors = mirrors;
        this.train = train;
        this.clock = clock;
    }

    /**
     * Starts bisecting {@code project} from GOOD to BAD; its id.
     *
     * @throws ServeException NOT_FOUND for a project no watched repository runs; INVALID for commits that are not
     *                        the repository's, not on one of its branches, in the wrong order, or a GOOD without a
     *                        finished run; CONFLICT while another bisection runs
     */
    public long start(String project, String good, String bad, double tolerance) {
        if (good == null || good.isBlank() || bad == null || bad.isBlank()) {
            throw new ServeException(ServeException.Kind.INVALID, "give the commits to bisect between: {\"good\":"
                    + " \"COMMIT\", \"bad\": \"COMMIT\"} (ids, branches or tags; GOOD needs a finished run)");
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new ServeException(ServeException.Kind.INVALID, "tolerance must be a number, 0 or more, got "
                    + tolerance);
        }
        Watched repository = watchlist.byProject(project, store).orElseThrow(() -> new ServeException(
                ServeException.Kind.NOT_FOUND, "no watched repository runs project " + project + ": add its "
                + "repository (hone repo add URL) or check the name (GET /api/projects)"));
        synchronized (this) {
            jobs.values().stream().filter(j -> j.status() == Status.RUNNING).findFirst().ifPresent(j -> {
                throw new ServeException(ServeException.Kind.CONFLICT, "bisection " + j.id() + " of project "
                        + j.project() + " is still running (GET /api/projects/" + j.project() + "/bisect/" + j.id()
                        + "): one bisection runs at a time; start this one when it has ended");
            });
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
            Bisection bisection = new Bisection(store, train, null, out);
            Bisection.Plan plan = plan(bisection, repository, project, good, bad);
            long id = ids.incrementAndGet();
            jobs.put(id, new Job(id, project, good, bad, tolerance, Status.RUNNING, null, null, List.of(),
                    clock.instant(), null));
            logs.put(id, log);
            while (jobs.size() > KEPT) {
                Long oldest = jobs.keySet().iterator().next();
                jobs.remove(oldest);
                logs.remove(oldest);
            }
            Thread.ofVirtual().name("hone-bisect-" + id).start(() -> run(id, bisection, plan, tolerance));
            LOG.info("event=bisect_started bisect={} project={} good={} bad={}", id, project, good, bad);
            return id;
        }
    }

    /** The bisection {@code id} of {@code project} as it stands now; empty when there is none (or no longer). */
    public synchronized Optional<Job> get(String project, long id) {
        Job job = jobs.get(id);
        if (job == null || !job.project().equals(project)) {
            return Optional.empty();
        }
        ByteArrayOutputStream log = logs.get(id);
        List<String> lines = log == null ? List.of()
                : log.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        return Optional.of(new Job(job.id(), job.project(), job.good(), job.bad(), job.tolerance(), job.status(),
                job.result(), job.error(), lines, job.startedAt(), job.finishedAt()));
    }

    /** The repository's cache fetched whole, and the bisection checked against it. */
    private Bisection.Plan plan(Bisection bisection, Watched repository, String project, String good, String bad) {
        try {
            Path gitDir = mirrors.with(repository, mirror -> {
                mirror.fetch();
                return mirror.dir();
            });
            History history = History.ofGitDir(gitDir, repository.source());
            for (String commit : List.of(good, bad)) {
                if (!history.onABranch(commit)) {
                    throw new ServeException(ServeException.Kind.INVALID, commit + " is on no branch of "
                            + repository.source() + ": bisect commits of a branch (a pull request's code is not"
                            + " trusted with the server's secrets)");
                }
            }
            return bisection.plan(history, project, project, good, bad);
        } catch (GitException e) {
            if (e.kind() == GitException.Kind.NOT_FOUND) {
                throw new ServeException(ServeException.Kind.INVALID, e.getMessage());
            }
            throw e;
        } catch (ServeException e) {
            throw e;
        } catch (HoneException e) {
            throw new ServeException(ServeException.Kind.INVALID, e.getMessage());
        }
    }

    private void run(long id, Bisection bisection, Bisection.Plan plan, double tolerance) {
        Bisection.Result result = null;
        String error = null;
        try {
            result = bisection.bisect(plan, tolerance);
        } catch (RuntimeException e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
            if (!(e instanceof HoneException)) {
                LOG.error("event=bisect_error bisect={} reason=\"{}\"", id, e.toString(), e);
            }
        }
        synchronized (this) {
            Job job = jobs.get(id);
            if (job != null) {
                jobs.put(id, new Job(id, job.project(), job.good(), job.bad(), job.tolerance(),
                        result != null ? Status.FOUND : Status.FAILED, result, error, List.of(), job.startedAt(),
                        clock.instant()));
            }
        }
        LOG.info("event=bisect_ended bisect={} status={}", id, result != null ? "found" : "failed");
    }
}
