package dev.hone.server;

import dev.hone.source.HookEvent;
import dev.hone.source.Push;
import dev.hone.store.Installation;
import dev.hone.store.NewRun;
import dev.hone.store.RunQueue;
import dev.hone.store.RunRow;
import java.time.InstantSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue's front door: a push (from a webhook or a poll) or a request through the API becomes a queued run,
 * written to the store before the caller is answered, under its project ({@link QueuedProjects}). Never fetches,
 * nor waits for a repository's cache, so a webhook is answered at once.
 */
public final class Intake {

    /** What became of a push: the queued run's id, or why nothing was queued. */
    public record Outcome(Optional<Long> runId, String ignored) {

        static Outcome queued(long id) {
            return new Outcome(Optional.of(id), null);
        }

        static Outcome ignored(String why) {
            return new Outcome(Optional.empty(), why);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);

    private final RunQueue queue;
    private final Installation installation;
    private final InstantSource clock;
    private final Runnable wake;
    private final QueuedProjects projects;

    Intake(RunQueue queue, Installation installation, InstantSource clock, Runnable wake, QueuedProjects projects) {
        this.queue = queue;
        this.projects = projects;
        this.installation = installation;
        this.clock = clock;
        this.wake = wake;
    }

    /** Queues a run of {@code push.after()} unless the branch is not watched, was deleted, or that commit ran. */
    public Outcome push(Watched repository, Push push, String via) {
        if (push.branch() == null) {
            return Intake.Outcome.ignored("not a branch push");
        }
        if (!repository.watches(push.branch())) {
            return Outcome.ignored("branch " + push.branch() + " is not watched (watching " + repository.branches()
                    + ")");
        }
        if (push.deleted()) {
            installation.saveSeenBranch(repository.source(), push.branch(), null, clock.instant());
            LOG.info("event=branch_deleted repository={} branch={} via={}", repository.source(), push.branch(), via);
            return Outcome.ignored("branch " + push.branch() + " was deleted");
        }
        Optional<Long> id = queue.enqueueOnce(new NewRun(projects.of(repository, push.after()), repository.source(),
                push.after(), push.branch(), push.author(), push.message(), null, clock.instant()));
        installation.saveSeenBranch(repository.source(), push.branch(), push.after(), clock.instant());
        if (id.isEmpty()) {
            return Outcome.ignored("commit " + push.after() + " of " + push.branch() + " is already queued or ran");
        }
        LOG.info("event=run_queued run={} repository={} branch={} commit={} via={}", id.get(), repository.source(),
                push.branch(), push.after(), via);
        wake.run();
        return Outcome.queued(id.get());
    }

    /**
     * Queues a run of a pull or merge request's head, when the repository runs them ({@code pull_requests: true})
     * and it would merge into a watched branch. Its branch is the request's ({@code pull:7}): a newer push to the
     * request supersedes it, and the pipeline runs it untrusted (no secrets, no network, Docker only).
     */
    public Outcome pullRequest(Watched repository, HookEvent.PullRequest pull, String via) {
        if (!repository.pullRequests()) {
            return Outcome.ignored(pull.ref().label() + " is not run: pull_requests is off for "
                    + repository.source() + " — set pull_requests: true on it in hone-server.yaml to train them "
                    + "(untrusted: without secrets nor network, in Docker)");
        }
        if (!repository.watches(pull.base())) {
            return Outcome.ignored(pull.ref().label() + " merges into " + pull.base() + ", which is not watched "
                    + "(watching " + repository.branches() + ")");
        }
        installation.saveTriggerState(repository.source(), "base:" + pull.ref().branch(), pull.base(),
                clock.instant());
        Optional<Long> id = queue.enqueueOnce(new NewRun(projects.of(repository, pull.head()), repository.source(),
                pull.head(), pull.ref().branch(), null, pull.title(), null, clock.instant()));
        if (id.isEmpty()) {
            return Outcome.ignored("commit " + pull.head() + " of " + pull.ref().label() + " is already queued or ran");
        }
        LOG.info("event=run_queued run={} repository={} pull={} commit={} via={}", id.get(), repository.source(),
                pull.ref().branch(), pull.head(), via);
        wake.run();
        return Outcome.queued(id.get());
    }

    /**
     * Queues a run of {@code branch}'s head as it is when the run starts, though that commit may have run already
     * (the data, or the time, changed): a schedule or new data ({@code via}).
     */
    long retrain(Watched repository, String branch, String via) {
        long id = queue.enqueue(new NewRun(projects.of(repository, null), repository.source(), null, branch, null,
                null, null, clock.instant()));
        LOG.info("event=run_queued run={} repository={} branch={} via={}", id, repository.source(), branch, via);
        wake.run();
        return id;
    }

    /**
     * Queues a run asked for through the API: {@code commit} (a SHA, possibly abbreviated), or, when null, the
     * head of the repository's first branch as it is when the run starts.
     */
    public long trigger(Watched repository, String commit) {
        return trigger(repository, commit, null);
    }

    /**
     * Queues run {@code of} made again: its commit and branch, the search space changed as {@code rerun} says
     * ({@code pipeline.Rerun}'s JSON, checked by the caller).
     */
    public long rerun(Watched repository, RunRow of, String rerun) {
        if (of.commit() == null) {
            throw new ServeException(ServeException.Kind.CONFLICT, "run " + of.id() + " has no commit yet ("
                    + of.status().label() + "): re-run it once it has started, or run its branch");
        }
        long id = queue.enqueue(new NewRun(of.project(), repository.source(), of.commit(), of.branch(), null, null,
                null, clock.instant()), rerun);
        LOG.info("event=run_queued run={} repository={} commit={} via=rerun of={}", id, repository.source(),
                of.commit(), of.id());
        wake.run();
        return id;
    }

    /**
     * Queues a run asked for through the API or the dashboard: {@code commit}, else the head of {@code branch} (a
     * branch the repository's remote has; null: its first watched branch) as it is when the run starts.
     */
    public long trigger(Watched repository, String commit, String wanted) {
        if (commit != null && !commit.matches("[0-9a-fA-F]{7,40}")) {
            throw new ServeException(ServeException.Kind.INVALID,
                    "commit must be a SHA of 7 to 40 hex digits, got \"" + commit + "\"");
        }
        if (commit != null && wanted != null) {
            throw new ServeException(ServeException.Kind.INVALID, "give either the commit or the branch to run, "
                    + "not both");
        }
        if (wanted != null && !wanted.matches("[A-Za-z0-9._/-]{1,200}")) {
            throw new ServeException(ServeException.Kind.INVALID, "branch must be a branch name such as main, got \""
                    + wanted + "\"");
        }
        String branch = wanted != null ? wanted : commit == null ? repository.branches().stream().filter(b -> !b.contains("*")).findFirst()
                .orElseThrow(() -> new ServeException(ServeException.Kind.INVALID, "the repository watches only "
                        + "branch patterns " + repository.branches() + ": give the commit to run"))
                : null;
        long id = queue.enqueue(new NewRun(projects.of(repository, commit), repository.source(), commit, branch, null,
                null, null, clock.instant()));
        LOG.info("event=run_queued run={} repository={} branch={} commit={} via=api", id, repository.source(), branch,
                commit);
        wake.run();
        return id;
    }
}
