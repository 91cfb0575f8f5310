package dev.hone.server;

import dev.hone.data.DataDir;
import dev.hone.pipeline.Pipeline;
import dev.hone.pipeline.RunRequest;
import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.source.Commit;
import dev.hone.source.GitException;
import dev.hone.source.PullRef;
import dev.hone.store.EventRow;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.time.Durations;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one claimed run: fetches the commit into the repository's cache (shallow where the server allows it), writes its files, submodules included, into the run's
 * {@link DataDir#checkout}, and runs the pipeline there on the queued record. A repository that cannot be
 * fetched puts the run back in the queue (the repository waits, with backoff); a commit that no branch holds any
 * more ends the run failed, with an event that says so.
 */
final class RunWorker {

    private static final Logger LOG = LoggerFactory.getLogger(RunWorker.class);

    private final Store store;
    private final Watchlist watchlist;
    private final Mirrors mirrors;
    private final RepositoryBackoff backoff;
    private final DataDir data;
    private final InstantSource clock;

    RunWorker(Store store, Watchlist watchlist, Mirrors mirrors, RepositoryBackoff backoff, DataDir data,
              InstantSource clock) {
        this.store = store;
        this.watchlist = watchlist;
        this.mirrors = mirrors;
        this.backoff = backoff;
        this.data = data;
        this.clock = clock;
    }

    /** Checks the run's commit out; empty when the run ended or went back to the queue instead. */
    Optional<Path> checkout(RunRow run) {
        Optional<Watched> repository = watchlist.bySource(run.source());
        if (repository.isEmpty()) {
            fail(run, new RunEvent.RepositoryRemoved(run.source()));
            return Optional.empty();
        }
        Watched repo = repository.get();
        String rev = run.commit() != null ? run.commit() : run.branch();
        try {
            Optional<Commit> commit = mirrors.with(repo, mirror -> {
                Optional<Commit> known;
                Optional<PullRef> pull = PullRef.of(run.branch());
                if (pull.isPresent()) {
                    known = mirror.fetchPull(pull.get(), run.commit());
                } else if (run.commit() != null) {
                    known = mirror.fetchCommit(run.commit(), run.branch());
                } else {
                    mirror.fetchHeads(List.of(run.branch()));
                    known = mirror.commit(run.branch());
                }
                delete(dir(run));
                known.ifPresent(c -> mirror.checkout(c.sha(), dir(run)));
                return known;
            });
            boolean recovered = backoff.succeeded(repo.source());
            RepositoryStatus.State state = watchlist.status(repo).state();
            if (recovered || state != RepositoryStatus.State.OK) {
                LOG.info("event=repository_reachable repository={}", repo.source());
                store.installation().addRepositoryEvent(repo.source(), new EventRow(RepositoryStatus.RECOVERED_EVENT,
                        repo.source() + (state == RepositoryStatus.State.UNCHECKED ? " can be reached"
                                : " can be reached again"), clock.instant()));
            }
            if (commit.isEmpty()) {
                fail(run, new RunEvent.CommitNotFound(run.commit(), run.branch(), repo.source()));
                return Optional.empty();
            }
            Commit c = commit.get();
            if (!c.sha().equals(run.commit()) || run.author() == null) {
                store.queue().resolveCommit(run.id(), c.sha(), c.author(), c.message());
            }
            return Optional.of(dir(run));
        } catch (GitException e) {
            delete(dir(run));
            Duration wait = backoff.failed(repo.source());
            RunEvent.FetchFailed failed = new RunEvent.FetchFailed(e.getMessage(), backoff.retry(repo.source(), wait));
            store.addEvent(run.id(), failed, clock.instant());
            store.installation().addRepositoryEvent(repo.source(), new EventRow(RepositoryStatus.FAILED_EVENT,
                    failed.message(), clock.instant()));
            store.queue().requeue(run.id());
            LOG.warn("event=fetch_failed run={} repository={} retry_in_s={} reason=\"{}\"", run.id(), repo.source(),
                    wait.toSeconds(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Runs the pipeline on the checkout, then removes the checkout (the run keeps its own workspace copy). */
    void run(RunRow run, Path checkout, Pipeline pipeline) {
        try {
            pipeline.run(run.id(), RunRequest.of(checkout));
        } catch (RuntimeException e) {
            LOG.error("event=run_error run={} reason=\"{}\"", run.id(), e.toString());
            if (store.run(run.id()).map(r -> r.status() == RunStatus.RUNNING).orElse(false)) {
                fail(run, new RunEvent.StoppedOnError(e.getMessage()));
            }
        } finally {
            delete(checkout);
        }
    }

    Path dir(RunRow run) {
        return data.checkout(run.id());
    }

    private void fail(RunRow run, RunEvent why) {
        store.addEvent(run.id(), why, clock.instant());
        store.finishRun(run.id(), RunStatus.FAILED, null, clock.instant());
        LOG.warn("event={} run={} message=\"{}\"", why.type(), run.id(), why.message());
    }

    static void delete(Path dir) {
        try {
            DataDir.delete(dir);
        } catch (IOException e) {
            LOG.warn("event=cleanup_failed dir={} reason=\"{}\"", dir, e.getMessage());
        }
    }
}
