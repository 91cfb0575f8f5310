package dev.hone.retention;

import dev.hone.data.DataDir;
import dev.hone.data.RunDir;
import dev.hone.retention.Sweep.Item;
import dev.hone.retention.Sweep.Kind;
import dev.hone.run.RunStatus;
import dev.hone.spec.ServerSpec.Retention;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what runs left once {@code retention} says it has expired, counted from each run's end: past
 * {@code workspaces} a run's workspace, past {@code logs} its trials' directories and its own logs, past
 * {@code runs} the whole run (its directory, then its records in the store). Never a queued, running or interrupted
 * run; never a trial {@code keep} names: each project's best trial ({@code best}: its directory, and its run), the
 * trial served ({@code served}: its directory and its run's workspace, where the model's container runs).
 * {@link #plan} says what a sweep would delete; {@link #sweep} deletes it.
 */
public final class Sweeper {

    /** A trial kept whatever its age: run {@code run}'s trial {@code trial}. */
    public record TrialRef(long run, int trial) {}

    private static final int PAGE = 500;
    private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);

    private final Store store;
    private final DataDir data;
    private final Retention retention;
    private final Map<String, String> env;
    private final InstantSource clock;
    private final Supplier<Set<TrialRef>> serving;

    /**
     * @param env     what the runs' specs are read with (their {@code ${VAR}}), to tell their metric and whether
     *                they serve
     * @param serving the trials whose models are being served now, beyond those the store tells (hone serve's
     *                deployments); none for {@code hone gc}
     */
    public Sweeper(Store store, DataDir data, Retention retention, Map<String, String> env, InstantSource clock,
                   Supplier<Set<TrialRef>> serving) {
        this.store = store;
        this.data = data;
        this.retention = retention;
        this.env = env;
        this.clock = clock;
        this.serving = serving;
    }

    /** What has expired now, each with its size; nothing is deleted. */
    public Sweep plan() {
        Instant now = clock.instant();
        List<RunRow> runs = allRuns();
        Set<TrialRef> kept = new HashSet<>();
        Set<Long> servedRuns = new HashSet<>();
        if (retention.keep().contains(Retention.Keep.BEST)) {
            kept.addAll(Kept.best(runs, env));
        }
        if (retention.keep().contains(Retention.Keep.SERVED)) {
            Set<TrialRef> served = new HashSet<>(Kept.served(runs, env));
            served.addAll(serving.get());
            kept.addAll(served);
            served.forEach(t -> servedRuns.add(t.run()));
        }
        Set<Long> holding = new HashSet<>();
        kept.forEach(t -> holding.add(t.run()));
        List<Item> items = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (RunRow run : runs.reversed()) {
            if (run.status().live() || run.status() == RunStatus.INTERRUPTED) {
                continue;
            }
            Instant ended = run.finishedAt() != null ? run.finishedAt() : run.createdAt();
            RunDir dir = data.run(run.id());
            try {
                if (expired(retention.runs(), ended, now) && !holding.contains(run.id())) {
                    items.add(item(Kind.RUNS, run.id(), null, dir.root()));
                    existing(data.checkout(run.id())).forEach(p -> items.add(item(Kind.RUNS, run.id(), null, p)));
                    continue;
                }
                if (expired(retention.workspaces(), ended, now) && !servedRuns.contains(run.id())) {
                    List<Path> workspaces = new ArrayList<>(dir.workspaces());
                    workspaces.addAll(existing(data.checkout(run.id())));
                    workspaces.forEach(p -> items.add(item(Kind.WORKSPACES, run.id(), null, p)));
                }
                if (expired(retention.logs(), ended, now)) {
                    for (int trial : dir.trialNumbers()) {
                        if (!kept.contains(new TrialRef(run.id(), trial))) {
                            items.add(item(Kind.LOGS, run.id(), trial, dir.trial(trial).root()));
                        }
                    }
                    dir.runLogs().forEach(p -> items.add(item(Kind.LOGS, run.id(), null, p)));
                }
            } catch (UncheckedIOException e) {
                failures.add("run " + run.id() + ": " + e.getMessage());
            }
        }
        return new Sweep(items, failures);
    }

    /**
     * Deletes what has expired now ({@link #plan}): files first, then a run's records once its files are gone (a
     * run whose files could not all be deleted keeps its records, for the next sweep). Logs one line.
     */
    public Sweep sweep() {
        Sweep plan = plan();
        List<Item> freed = new ArrayList<>();
        List<String> failures = new ArrayList<>(plan.failures());
        Map<Long, Boolean> runsWhole = new LinkedHashMap<>();
        for (Item item : plan.items()) {
            try {
                DataDir.delete(item.path());
                freed.add(item);
                if (item.kind() == Kind.RUNS) {
                    runsWhole.putIfAbsent(item.run(), true);
                }
            } catch (IOException e) {
                failures.add("cannot delete " + item.path() + ": " + e.getMessage());
                if (item.kind() == Kind.RUNS) {
                    runsWhole.put(item.run(), false);
                }
            }
        }
        runsWhole.forEach((run, whole) -> {
            if (whole && !store.deleteRun(run)) {
                failures.add("run " + run + ": its records were not deleted: the store no longer has it, or has it "
                        + "queued, running or interrupted");
            }
        });
        Sweep sweep = new Sweep(freed, failures);
        LOG.info("event=retention_sweep freed=\"{}\" failures={}{}", sweep.summary(), failures.size(),
                failures.isEmpty() ? "" : " first_failure=\"" + failures.getFirst() + "\"");
        return sweep;
    }

    private List<RunRow> allRuns() {
        List<RunRow> runs = new ArrayList<>();
        for (int offset = 0; ; offset += PAGE) {
            List<RunRow> page = store.runs(null, PAGE, offset);
            runs.addAll(page);
            if (page.size() < PAGE) {
                return runs;
            }
        }
    }

    private static boolean expired(Duration age, Instant ended, Instant now) {
        return age != null && !ended.plus(age).isAfter(now);
    }

    private static List<Path> existing(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? List.of(path) : List.of();
    }

    private static Item item(Kind kind, long run, Integer trial, Path path) {
        try {
            return new Item(kind, run, trial, path, DataDir.size(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + path + ": " + e.getMessage(), e);
        }
    }
}
