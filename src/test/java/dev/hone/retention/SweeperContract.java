package dev.hone.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.data.DataDir;
import dev.hone.data.RunDir;
import dev.hone.retention.Sweep.Item;
import dev.hone.retention.Sweep.Kind;
import dev.hone.run.RunStatus;
import dev.hone.spec.ServerSpec.Retention;
import dev.hone.store.NewRun;
import dev.hone.store.Store;
import dev.hone.testing.EndedRuns;
import dev.hone.testing.FakeClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a sweep deletes and keeps, on real files in a data directory and a real store (each store runs it): ages
 * counted from a run's end on a fake clock, live runs untouched, the best and the served trials kept.
 */
abstract class SweeperContract {

    static final String SERVES = "name: digits\nserve:\n  command: python3 serve.py\n";

    @TempDir
    Path root;
    DataDir data;
    FakeClock clock;

    /** A store with nothing in it, closed by the implementation. */
    abstract Store store();

    @BeforeEach
    void dataDirectory() {
        data = new DataDir(root);
        clock = new FakeClock(Instant.parse("2026-06-01T00:00:00Z"));
    }

    @Test
    void aWorkspaceGoesOnceItsAgeIsPastAndAYoungerOneStays() throws IOException {
        long old = run("digits", RunStatus.SUCCEEDED, ago(Duration.ofDays(8)), 0.5, 0.6);
        long young = run("digits", RunStatus.SUCCEEDED, ago(Duration.ofDays(6)), 0.7);

        Sweep sweep = sweeper(Retention.DEFAULT).sweep();

        assertThat(sweep.items()).extracting(Item::kind, Item::run, Item::path).containsExactly(
                tuple(Kind.WORKSPACES, old, dir(old).workspace()),
                tuple(Kind.WORKSPACES, old, dir(old).pristine()));
        assertThat(sweep.bytes()).isEqualTo(2 * 1000);
        assertThat(dir(old).workspace()).doesNotExist();
        assertThat(dir(old).pristine()).doesNotExist();
        assertThat(dir(old).trial(1).log()).exists(); // logs are kept 90 days
        assertThat(dir(young).workspace()).exists();
        assertThat(sweep.failures()).isEmpty();
    }

    @Test
    void trialLogsAndOutputsGoAfterTheirAgeButTheProjectsBestTrialStays() throws IOException {
        long best = run("digits", RunStatus.SUCCEEDED, ago(Duration.ofDays(120)), 0.5, 0.95);
        long worse = run("digits", RunStatus.SUCCEEDED, ago(Duration.ofDays(100)), 0.6, 0.7);
        Files.writeString(dir(best).rebuildLog(1), "x".repeat(10));

        Sweep sweep = sweeper(Retention.DEFAULT).sweep();

        assertThat(dir(best).trial(1).root()).doesNotExist();
        assertThat(dir(best).trial(2).output().resolve("model.bin")).hasSize(300);
        assertThat(dir(best).trial(2).log()).exists();
        assertThat(dir(best).rebuildLog(1)).doesNotExist();
        assertThat(dir(worse).trial(1).root()).doesNotExist();
        assertThat(dir(worse).trial(2).root()).doesNotExist();
        assertThat(sweep.count(Kind.LOGS)).isEqualTo(4); // 3 trials and a rebuild log
        assertThat(sweep.bytes(Kind.LOGS)).isEqualTo(3 * 400 + 10);
        assertThat(store().trials(worse)).hasSize(2); // records stay: runs are kept forever
    }

    @Test
    void aWholeRunGoesWithItsRecordsButNotTheRunHoldingTheBestTrial() throws IOException {
        Retention monthOfRuns = new Retention(Duration.ofDays(7), Duration.ofDays(90), Duration.ofDays(30),
                Set.of(Retention.Keep.BEST, Retention.Keep.SERVED));
        long best = run("digits", RunStatus.TARGET_REACHED, ago(Duration.ofDays(40)), 0.95);
        long expired = run("digits", RunStatus.FAILED, ago(Duration.ofDays(31)), 0.4);
        long recent = run("digits", RunStatus.SUCCEEDED, ago(Duration.ofDays(29)), 0.6);

        Sweep sweep = sweeper(monthOfRuns).sweep();

        assertThat(sweep.items()).filteredOn(i -> i.kind() == Kind.RUNS).extracting(Item::run, Item::path)
                .containsExactly(tuple(expired, dir(expired).root()));
        assertThat(dir(expired).root()).doesNotExist();
        assertThat(store().run(expired)).isEmpty();
        assertThat(store().trials(expired)).isEmpty();
        assertThat(store().events(expired)).isEmpty();
        assertThat(store().run(best)).isPresent();
        assertThat(dir(best).trial(1).output()).exists();
        assertThat(dir(best).workspace()).doesNotExist(); // the best trial keeps its output, not its workspace
        assertThat(store().run(recent)).isPresent();
        assertThat(store().projects()).containsExactly("digits");
    }

    @Test
    void theLastRunOfAProjectTakesTheProjectWithIt() throws IOException {
        Retention noBest = new Retention(null, null, Duration.ofDays(1), Set.of());
        long run = run("forecast", RunStatus.FAILED, ago(Duration.ofDays(2)), 0.1);

        sweeper(noBest).sweep();

        assertThat(store().run(run)).isEmpty();
        assertThat(store().projects()).isEmpty();
    }

    @Test
    void queuedRunningAndInterruptedRunsAreNeverTouchedHoweverOld() throws IOException {
        Retention everything = new Retention(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1),
                Set.of());
        Instant yearAgo = ago(Duration.ofDays(365));
        long running = run("digits", RunStatus.RUNNING, yearAgo, 0.5);
        long interrupted = run("digits", RunStatus.INTERRUPTED, yearAgo, 0.5);
        long queued = store().queue().enqueue(new NewRun("digits", "/src/digits", null, "main", null, null, null,
                yearAgo));
        EndedRuns.files(dir(queued), 1);

        Sweep sweep = sweeper(everything).sweep();

        assertThat(sweep.items()).isEmpty();
        for (long id : List.of(running, interrupted, queued)) {
            assertThat(dir(id).workspace()).exists();
            assertThat(dir(id).trial(1).log()).exists();
            assertThat(store().run(id)).isPresent();
            assertThat(store().deleteRun(id)).as("the store refuses to delete live run %d", id).isFalse();
        }
    }

    @Test
    void theServedTrialKeepsItsOutputAndItsRunsWorkspace() throws IOException {
        Retention noBest = new Retention(Duration.ofDays(7), Duration.ofDays(90), Duration.ofDays(100),
                Set.of(Retention.Keep.SERVED));
        long served = run("digits", RunStatus.TARGET_REACHED, ago(Duration.ofDays(200)), SERVES, 0.5, 0.95);
        long notServing = run("digits", RunStatus.TARGET_REACHED, ago(Duration.ofDays(300)), "name: digits\n", 0.99);

        Sweep sweep = sweeper(noBest).sweep();

        assertThat(dir(served).workspace()).exists();
        assertThat(dir(served).trial(2).output()).exists();
        assertThat(dir(served).trial(1).root()).doesNotExist();
        assertThat(store().run(served)).isPresent();
        assertThat(store().run(notServing)).isEmpty(); // best value of all, but best is not kept here
        assertThat(sweep.count(Kind.RUNS)).isEqualTo(1);
    }

    @Test
    void aTrialTheServerServesIsKeptThoughTheStoreSaysANewerRunServes() throws IOException {
        long serving = run("digits", RunStatus.TARGET_REACHED, ago(Duration.ofDays(200)), SERVES, 0.91);
        long newer = run("digits", RunStatus.TARGET_REACHED, ago(Duration.ofDays(150)), SERVES, 0.92);
        Retention served = new Retention(Duration.ofDays(7), Duration.ofDays(90), null,
                Set.of(Retention.Keep.SERVED));

        new Sweeper(store(), data, served, Map.of(), clock, () -> Set.of(new Sweeper.TrialRef(serving, 1))).sweep();

        assertThat(dir(serving).workspace()).exists(); // its new model failed its health check: the old one serves
        assertThat(dir(serving).trial(1).output()).exists();
        assertThat(dir(newer).workspace()).exists();
        assertThat(dir(newer).trial(1).output()).exists();
    }

    @Test
    void withoutKeepTheBestTrialGoesLikeAnyOther() throws IOException {
        long best = run("digits", RunStatus.SUCCEEDED, ago(Duration.ofDays(91)), 0.95);

        sweeper(new Retention(null, Duration.ofDays(90), null, Set.of())).sweep();

        assertThat(dir(best).trial(1).root()).doesNotExist();
        assertThat(dir(best).workspace()).exists(); // workspaces: forever
    }

    @Test
    void aPlanDeletesNothingAndSaysWhatASweepWouldFree() throws IOException {
        long old = run("digits", RunStatus.FAILED, ago(Duration.ofDays(8)), 0.5);
        Sweeper sweeper = sweeper(Retention.DEFAULT);

        Sweep plan = sweeper.plan();

        assertThat(dir(old).workspace()).exists();
        assertThat(plan.items()).extracting(Item::path).containsExactly(dir(old).workspace(), dir(old).pristine());
        assertThat(sweeper.sweep().items()).isEqualTo(plan.items());
        assertThat(sweeper.plan().items()).isEmpty();
    }

    @Test
    void anAgeCountsFromTheRunsEndOnTheClock() throws IOException {
        long run = run("digits", RunStatus.SUCCEEDED, clock.instant(), 0.5);
        Sweeper sweeper = sweeper(Retention.DEFAULT);

        clock.advance(Duration.ofDays(7).minusSeconds(1));
        assertThat(sweeper.sweep().items()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(sweeper.sweep().items()).extracting(Item::path)
                .containsExactly(dir(run).workspace(), dir(run).pristine());
    }

    Sweeper sweeper(Retention retention) {
        return new Sweeper(store(), data, retention, Map.of(), clock, Set::of);
    }

    Instant ago(Duration age) {
        return clock.instant().minus(age);
    }

    RunDir dir(long run) {
        return data.run(run);
    }

    long run(String project, RunStatus status, Instant ended, double... values) throws IOException {
        return run(project, status, ended, "name: " + project + "\n", values);
    }

    long run(String project, RunStatus status, Instant ended, String spec, double... values) throws IOException {
        return EndedRuns.run(store(), data, project, status, ended, spec, values);
    }

    static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }
}
