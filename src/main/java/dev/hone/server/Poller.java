package dev.hone.server;

import dev.hone.source.Commit;
import dev.hone.source.GitException;
import dev.hone.source.Push;
import dev.hone.store.EventRow;
import dev.hone.store.Installation;
import dev.hone.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks for new commits in the repositories that poll. A poll is one {@code ls-remote} compared with the heads
 * last seen (by a poll or a webhook), so it costs almost nothing when nothing changed; only a changed watched
 * branch is fetched and queued. The first poll of a repository queues the head of each watched branch (as Jenkins
 * forces an initial build), unless its {@code initial_run} is false, and records the heads: a restart does not
 * queue them again, nor does adding a removed repository back (its heads are kept, and a commit runs once). A
 * changed branch's head is fetched shallow where the server allows it. A repository that cannot be read gets an event that says
 * what to do and when it is tried again (its status, until a poll succeeds) and is polled again after a backoff;
 * the others are polled on their own threads as usual. Of several controllers on one store only the one that leads
 * polls.
 */
final class Poller {

    private static final Logger LOG = LoggerFactory.getLogger(Poller.class);

    private final Watchlist watchlist;
    private final Installation installation;
    private final Intake intake;
    private final Mirrors mirrors;
    private final RepositoryBackoff backoff;
    private final ServerMetrics metrics;
    private final InstantSource clock;
    private final BooleanSupplier leading;
    private final Map<String, Instant> due = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker =
            Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "hone-poll"));
    private final ExecutorService polls = Executors.newFixedThreadPool(4, r -> daemon(r, "hone-poll-worker"));

    /** @param leading whether this controller leads ({@link Leases}): only the leader polls */
    Poller(Watchlist watchlist, Installation installation, Intake intake, Mirrors mirrors,
           RepositoryBackoff backoff, ServerMetrics metrics, InstantSource clock, BooleanSupplier leading) {
        this.watchlist = watchlist;
        this.installation = installation;
        this.intake = intake;
        this.mirrors = mirrors;
        this.backoff = backoff;
        this.metrics = metrics;
        this.clock = clock;
        this.leading = leading;
    }

    void start(Duration tick) {
        ticker.scheduleWithFixedDelay(this::tick, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop() {
        ticker.shutdownNow();
        polls.shutdownNow();
    }

    private void tick() {
        if (!leading.getAsBoolean()) {
            return;
        }
        try {
            Instant now = clock.instant();
            for (Watched repository : watchlist.all()) {
                String source = repository.source();
                if (repository.polls() && !now.isBefore(due.getOrDefault(source, Instant.MIN))
                        && inFlight.add(source)) {
                    polls.submit(() -> {
                        try {
                            due.put(source, clock.instant().plus(poll(repository)));
                        } finally {
                            inFlight.remove(source);
                        }
                    });
                }
            }
        } catch (RuntimeException e) {
            LOG.error("event=poll_tick_failed reason=\"{}\"", e.toString());
        }
    }

    /** Polls once; returns how long to wait until the next poll. */
    Duration poll(Watched repository) {
        String source = repository.source();
        try {
            Map<String, String> heads = mirrors.branches(repository);
            Optional<Map<String, String>> seen = installation.lastSeen(source);
            if (seen.isEmpty()) {
                if (repository.initialRun()) {
                    queueChanged(repository, Map.of(), heads, "initial_run");
                }
                installation.saveSeen(source, heads, clock.instant());
                LOG.info("event=repository_watched repository={} branches={} initial_run={}", source, heads.keySet(),
                        repository.initialRun());
            } else if (!heads.equals(seen.get())) {
                queueChanged(repository, seen.get(), heads, "poll");
                installation.saveSeen(source, heads, clock.instant());
            }
            metrics.poll("ok");
            if (backoff.succeeded(source)
                    || watchlist.status(repository).state() == RepositoryStatus.State.FAILING) {
                installation.addRepositoryEvent(source, new EventRow(RepositoryStatus.RECOVERED_EVENT,
                        source + " can be reached again", clock.instant()));
            }
            return repository.poll();
        } catch (GitException e) {
            metrics.poll("failed");
            Duration wait = backoff.failed(source);
            Duration next = wait.compareTo(repository.poll()) > 0 ? wait : repository.poll();
            installation.addRepositoryEvent(source, new EventRow(RepositoryStatus.FAILED_EVENT, e.getMessage()
                    + "; " + backoff.schedule(source, next), clock.instant()));
            LOG.warn("event=repository_unreachable repository={} kind={} failures={} retry_in_s={} reason=\"{}\"",
                    source, e.kind(), backoff.failures(source), next.toSeconds(), e.getMessage());
            return next;
        } catch (RuntimeException e) {
            metrics.poll("error");
            LOG.error("event=poll_failed repository={} reason=\"{}\"", source, e.toString());
            return repository.poll();
        }
    }

    private void queueChanged(Watched repository, Map<String, String> seen, Map<String, String> heads, String via) {
        List<String> changed = heads.keySet().stream()
                .filter(b -> repository.watches(b) && !heads.get(b).equals(seen.get(b))).sorted().toList();
        if (changed.isEmpty()) {
            return;
        }
        Map<String, Commit> commits = mirrors.with(repository, mirror -> {
            mirror.fetchHeads(changed);
            Map<String, Commit> found = new ConcurrentHashMap<>();
            changed.forEach(b -> mirror.commit(heads.get(b)).ifPresent(c -> found.put(b, c)));
            return found;
        });
        for (String branch : changed) {
            Commit c = commits.get(branch);
            intake.push(repository, new Push(List.of(repository.url()), branch, seen.get(branch), heads.get(branch),
                    c == null ? null : c.author(), c == null ? null : c.message(), false), via);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
