package dev.hone.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.hone.testing.FakeClock;
import dev.hone.tune.StudyResult.Ending;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class StudyTest {

    final FakeClock clock = new FakeClock();

    static SearchSpace space(Double target, Param... params) {
        return new SearchSpace(List.of(params), Direction.MAXIMIZE, target);
    }

    static StudyConfig config(SearchSpace space, int maxTrials, int maxFailed, int parallel, Duration timeout) {
        return new StudyConfig(space, maxTrials, maxFailed, parallel, timeout);
    }

    static Trial succeeded(int number, double value) {
        return Trial.succeeded(number, Map.of(), value, List.of(), 5);
    }

    static Trial ended(int number, TrialState state, String error) {
        return new Trial(number, Map.of(), state, null, List.of(), 1, 5, error, "");
    }

    /** A runner computing each trial's outcome with a function of (number, params). */
    static TrialRunner runner(Function<Integer, Trial> outcome) {
        return (number, params, diff) -> outcome.apply(number);
    }

    static final SearchSpace FLOATS = space(null, new FloatParam("x", 0, 1, false));

    @Nested
    class WithNothingToTune {

        @Test
        void runsOneTrialWithNoParametersAndReportsTheTarget() {
            List<Map<String, Object>> seen = new CopyOnWriteArrayList<>();
            TrialRunner runner = (number, params, diff) -> {
                seen.add(params);
                return succeeded(number, 0.97);
            };

            StudyResult result = new Study(config(space(0.95), 30, 3, 1, null), null, null, runner,
                    StudyListener.NONE, clock).run();

            assertThat(result.ending()).isEqualTo(Ending.TARGET_REACHED);
            assertThat(result.trials()).hasSize(1);
            assertThat(seen).containsExactly(Map.of());
            assertThat(result.best().number()).isEqualTo(1);
        }

        @Test
        void missingTheTargetSpendsTheBudget() {
            StudyResult result = new Study(config(space(0.95), 30, 3, 4, null), null, null,
                    runner(n -> succeeded(n, 0.9)), StudyListener.NONE, clock).run();

            assertThat(result.ending()).isEqualTo(Ending.BUDGET_SPENT);
            assertThat(result.trials()).extracting(Trial::number).containsExactly(1);
        }

        @Test
        void aFailedTrialSpendsTheBudgetEvenWithOneFailureAllowed() {
            StudyResult result = new Study(config(space(0.95), 30, 1, 1, null), null, null,
                    runner(n -> ended(n, TrialState.FAILED, "ZeroDivisionError: division by zero")),
                    StudyListener.NONE, clock).run();

            assertThat(result.ending()).isEqualTo(Ending.BUDGET_SPENT);
            assertThat(result.best()).isNull();
            assertThat(result.trials().getFirst().error()).isEqualTo("ZeroDivisionError: division by zero");
        }
    }

    @Nested
    class WithASampler {

        @Test
        void stopsAtTheFirstTrialThatReachesTheTarget() {
            StudyResult result = new Study(config(space(0.5, new FloatParam("x", 0, 1, false)), 30, 3, 1, null),
                    Samplers.random(1), null, runner(n -> succeeded(n, n / 10.0)), StudyListener.NONE, clock).run();

            assertThat(result.ending()).isEqualTo(Ending.TARGET_REACHED);
            assertThat(result.trials()).extracting(Trial::number).containsExactly(1, 2, 3, 4, 5);
            assertThat(result.best().number()).isEqualTo(5);
        }

        @Test
        void minimizingReachesATargetFromAbove() {
            SearchSpace space = new SearchSpace(FLOATS.params(), Direction.MINIMIZE, 0.25);

            StudyResult result = new Study(config(space, 30, 3, 1, null), Samplers.random(1), null,
                    runner(n -> succeeded(n, 1.0 / n)), StudyListener.NONE, clock).run();

            assertThat(result.ending()).isEqualTo(Ending.TARGET_REACHED);
            assertThat(result.trials()).hasSize(4);
        }

        @Test
        void withoutATargetRunsTheWholeBudgetAndKeepsTheEarliestBest() {
            StudyResult result = new Study(config(FLOATS, 7, 3, 1, null), Samplers.random(1), null,
                    runner(n -> succeeded(n, n == 3 || n == 6 ? 0.9 : 0.1)), StudyListener.NONE, clock).run();

            assertThat(result.ending()).isEqualTo(Ending.BUDGET_SPENT);
            assertThat(result.trials()).extracting(Trial::number).containsExactly(1, 2, 3, 4, 5, 6, 7);
            assertThat(result.trials()).extracting(t -> t.params().keySet())
                    .allSatisfy(k -> assertThat(k).containsExactly("x"));
            assertThat(result.best().number()).isEqualTo(3);
            assertThat(result.detail()).isNull();
        }

        @Test
        void stopsAfterMaxFailedTrialsCountingOnlyRealFailures() {
            TrialState[] states = {TrialState.FAILED, TrialState.KILLED, TrialState.PRUNED, TrialState.TIMED_OUT,
                    TrialState.SUCCEEDED, TrialState.OOM_KILLED, TrialState.FAILED};

            StudyResult result = new Study(config(space(0.99, new FloatParam("x", 0, 1, false)), 30, 3, 1, null),
                    Samplers.random(1), null, runner(n -> states[n - 1] == TrialState.SUCCEEDED ? succeeded(n, 0.5)
                            : ended(n, states[n - 1], "boom")), StudyListener.NONE, clock).run();

            assertThat(result.ending()).isEqualTo(Ending.TOO_MANY_FAILURES);
            assertThat(result.detail()).isEqualTo("3 trials failed (max_failed_trials: 3)");
            assertThat(result.trials()).hasSize(6);
        }

        @Test
        void endsWhenTheGridIsUsedUp() {
            StudyResult result = new Study(config(space(null, new IntParam("x", 1, 3, false)), 30, 3, 2, null),
                    Samplers.grid(1), null, runner(n -> succeeded(n, 0.5)), StudyListener.NONE, clock).run();

            assertThat(result.ending()).isEqualTo(Ending.SPACE_EXHAUSTED);
            assertThat(result.trials()).extracting(t -> t.params().get("x")).containsExactlyInAnyOrder(1L, 2L, 3L);
        }

        @Test
        void aRunnerThatThrowsFailsItsTrialAndTheStudyGoesOn() {
            StudyResult result = new Study(config(FLOATS, 4, 3, 1, null), Samplers.random(1), null, runner(n -> {
                if (n == 2) {
                    throw new IllegalStateException("bug in the runner");
                }
                return succeeded(n, 0.5);
            }), StudyListener.NONE, clock).run();

            assertThat(result.ending()).isEqualTo(Ending.BUDGET_SPENT);
            assertThat(result.trials()).hasSize(4);
            Trial second = result.trials().get(1);
            assertThat(second.state()).isEqualTo(TrialState.FAILED);
            assertThat(second.error())
                    .isEqualTo("trial runner failed: java.lang.IllegalStateException: bug in the runner");
            assertThat(second.params()).containsKey("x");
        }

        @Test
        void tellsTheListenerOfEveryTrialWithTheBestSoFar() {
            List<String> calls = Collections.synchronizedList(new ArrayList<>());
            StudyListener listener = new StudyListener() {
                @Override
                public void trialStarted(Trial trial) {
                    calls.add("started " + trial.number() + " " + trial.state().label());
                }

                @Override
                public void trialFinished(Trial trial, Trial best) {
                    calls.add("finished " + trial.number() + " best " + (best == null ? "none" : best.number()));
                }
            };
            double[] values = {Double.NaN, 0.3, 0.2};

            new Study(config(FLOATS, 3, 3, 1, null), Samplers.random(1), null,
                    runner(n -> n == 1 ? ended(n, TrialState.FAILED, "x") : succeeded(n, values[n - 1])), listener,
                    clock).run();

            assertThat(calls).containsExactly("started 1 running", "finished 1 best none",
                    "started 2 running", "finished 2 best 2", "started 3 running", "finished 3 best 2");
        }
    }

    @Nested
    class InParallel {

        @Test
        void runsParallelTrialsAtOnceWithNoParameterSetRepeated() {
            CyclicBarrier allFour = new CyclicBarrier(4);
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            SearchSpace space = space(null, new IntParam("x", 1, 4, false),
                    new CategoricalParam("k", List.of("a", "b")));
            TrialRunner runner = (number, params, diff) -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    allFour.await(10, TimeUnit.SECONDS); // only passes when four trials run together
                    return succeeded(number, 0.5);
                } catch (Exception e) {
                    return ended(number, TrialState.FAILED, "not concurrent: " + e);
                } finally {
                    running.decrementAndGet();
                }
            };

            StudyResult result = new Study(config(space, 8, 3, 4, null), Samplers.random(3), null, runner,
                    StudyListener.NONE, clock).run();

            assertThat(result.ending()).isEqualTo(Ending.BUDGET_SPENT);
            assertThat(result.trials()).hasSize(8)
                    .allSatisfy(t -> assertThat(t.state()).isEqualTo(TrialState.SUCCEEDED));
            assertThat(result.trials()).extracting(Trial::params).doesNotHaveDuplicates();
            assertThat(most.get()).isEqualTo(4);
        }

        @Test
        void asksTheSamplerForTheFreeSlotsShowingItTheRunningTrials() {
            List<String> asked = new CopyOnWriteArrayList<>();
            Sampler random = Samplers.random(1);
            Sampler recording = new Sampler() {
                @Override
                public String name() {
                    return "recording";
                }

                @Override
                public List<Map<String, Object>> suggest(SearchSpace space, List<Trial> history, int n) {
                    long running = history.stream().filter(t -> t.state() == TrialState.RUNNING).count();
                    asked.add(n + " with " + running + " running");
                    return random.suggest(space, history, n);
                }
            };

            new Study(config(FLOATS, 7, 3, 3, null), recording, null, runner(n -> succeeded(n, 0.1)),
                    StudyListener.NONE, clock).run();

            assertThat(asked).containsExactly("3 with 0 running", "1 with 2 running", "1 with 2 running",
                    "1 with 2 running", "1 with 2 running");
        }

        @Test
        void reachingTheTargetStopsTheTrialsStillRunningWithoutCountingThemAsFailures() {
            CountDownLatch cancelled = new CountDownLatch(1);
            CountDownLatch othersStarted = new CountDownLatch(2);
            TrialRunner runner = new TrialRunner() {
                @Override
                public Trial run(int number, Map<String, Object> params, String diff) {
                    if (number == 1) {
                        await(othersStarted);
                        return succeeded(number, 0.99);
                    }
                    othersStarted.countDown();
                    await(cancelled);
                    return ended(number, TrialState.KILLED, "killed");
                }

                @Override
                public void cancelRunning() {
                    cancelled.countDown();
                }
            };

            StudyResult result = new Study(config(space(0.95, new FloatParam("x", 0, 1, false)), 30, 3, 3, null),
                    Samplers.random(1), null, runner, StudyListener.NONE, clock).run();

            assertThat(result.ending()).isEqualTo(Ending.TARGET_REACHED);
            assertThat(result.trials()).extracting(Trial::state, Trial::error).containsExactly(
                    tuple(TrialState.SUCCEEDED, null),
                    tuple(TrialState.STOPPED, "target reached by trial 1"),
                    tuple(TrialState.STOPPED, "target reached by trial 1"));
            assertThat(result.best().number()).isEqualTo(1);
        }
    }

    @Nested
    class Constraints {

        static final List<Constraint> FAST = List.of(Constraint.parse("latency_ms <= 50"));

        static Trial measured(int number, double accuracy, double latency) {
            return new Trial(number, Map.of(), TrialState.SUCCEEDED, accuracy, List.of(), 0, 5, null, "",
                    Map.of("accuracy", accuracy, "latency_ms", latency));
        }

        @Test
        void aTrialThatBreaksOneNeitherReachesTheTargetNorIsTheBest() {
            Map<Integer, Trial> outcomes = Map.of(1, measured(1, 0.99, 80), 2, measured(2, 0.9, 40),
                    3, measured(3, 0.96, 45));
            StudyConfig config = new StudyConfig(space(0.95, new FloatParam("x", 0, 1, false)), 3, 3, 1, null, FAST);

            StudyResult result = new Study(config, Samplers.random(1), null, runner(outcomes::get),
                    StudyListener.NONE, clock).run();

            assertThat(result.ending()).as("trial 1 is 0.99 but 80 ms: the target is reached by trial 3")
                    .isEqualTo(Ending.TARGET_REACHED);
            assertThat(result.trials()).hasSize(3);
            assertThat(result.best().number()).isEqualTo(3);
        }

        @Test
        void aTrialThatDoesNotReportTheConstrainedMetricBreaksIt() {
            StudyConfig config = new StudyConfig(space(0.95, new FloatParam("x", 0, 1, false)), 2, 3, 1, null, FAST);

            StudyResult result = new Study(config, Samplers.random(1), null, runner(n -> succeeded(n, 0.99)),
                    StudyListener.NONE, clock).run();

            assertThat(result.ending()).isEqualTo(Ending.BUDGET_SPENT);
            assertThat(result.best()).isNull();
            assertThat(FAST.getFirst().breach(Map.of("accuracy", 0.99)))
                    .hasValue("breaks latency_ms <= 50: the trial reported no latency_ms");
            assertThat(FAST.getFirst().breach(Map.of("Latency_MS", 72.5)))
                    .hasValue("breaks latency_ms <= 50: latency_ms was 72.5");
            assertThat(FAST.getFirst().breach(Map.of("latency_ms", 50.0))).isEmpty();
        }
    }

    @Nested
    class Stopping {

        /** Blocks every trial until cancelRunning(), then returns it KILLED. */
        final class BlockingRunner implements TrialRunner {
            final CountDownLatch cancelled = new CountDownLatch(1);
            final CountDownLatch started;

            BlockingRunner(int trials) {
                started = new CountDownLatch(trials);
            }

            @Override
            public Trial run(int number, Map<String, Object> params, String diff) {
                started.countDown();
                await(cancelled);
                return ended(number, TrialState.KILLED, "killed");
            }

            @Override
            public void cancelRunning() {
                cancelled.countDown();
            }
        }

        @Test
        void cancelFromAnotherThreadKillsTheRunningTrials() throws Exception {
            BlockingRunner runner = new BlockingRunner(2);
            Study study = new Study(config(FLOATS, 10, 3, 2, null), Samplers.random(1), null, runner,
                    StudyListener.NONE, clock);

            CompletableFuture<StudyResult> result = CompletableFuture.supplyAsync(study::run);
            assertThat(runner.started.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture.runAsync(study::cancel).get(10, TimeUnit.SECONDS);

            StudyResult ended = result.get(10, TimeUnit.SECONDS);
            assertThat(ended.ending()).isEqualTo(Ending.CANCELLED);
            assertThat(ended.trials()).extracting(Trial::state).containsExactly(TrialState.KILLED, TrialState.KILLED);
        }

        @Test
        void cancelBeforeRunRunsNothing() {
            Study study = new Study(config(FLOATS, 10, 3, 2, null), Samplers.random(1), null,
                    runner(n -> succeeded(n, 1)), StudyListener.NONE, clock);

            study.cancel();

            StudyResult result = study.run();
            assertThat(result.ending()).isEqualTo(Ending.CANCELLED);
            assertThat(result.trials()).isEmpty();
        }

        @Test
        void aHaltFromATrialStartsNoMoreTrialsKillsTheRunningOnesAndEndsHaltedWithTheReason() {
            Study[] study = new Study[1];
            CountDownLatch secondStarted = new CountDownLatch(1);
            BlockingRunner blocking = new BlockingRunner(1);
            TrialRunner runner = new TrialRunner() {
                @Override
                public Trial run(int number, Map<String, Object> params, String diff) {
                    if (number == 1) {
                        await(secondStarted);
                        study[0].halt("no space left on /data");
                        return ended(number, TrialState.FAILED, "no space left on /data");
                    }
                    secondStarted.countDown();
                    return blocking.run(number, params, diff);
                }

                @Override
                public void cancelRunning() {
                    blocking.cancelRunning();
                }
            };
            study[0] = new Study(config(FLOATS, 10, 5, 2, null), Samplers.random(1), null, runner,
                    StudyListener.NONE, clock);

            StudyResult result = study[0].run();

            assertThat(result.ending()).isEqualTo(Ending.HALTED);
            assertThat(result.detail()).isEqualTo("no space left on /data");
            assertThat(result.trials()).extracting(Trial::state).containsExactly(TrialState.FAILED, TrialState.KILLED);
        }

        @Test
        void aTrialThatIgnoresCancellationIsRecordedKilledAfterTheGracePeriod() throws Exception {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(1);
            TrialRunner deaf = (number, params, diff) -> {
                started.countDown();
                await(release);
                return succeeded(number, 1);
            };
            Study study = new Study(config(FLOATS, 10, 3, 1, null), Samplers.random(1), null, deaf,
                    StudyListener.NONE, clock, Duration.ofMillis(100));
            try {
                CompletableFuture<StudyResult> result = CompletableFuture.supplyAsync(study::run);
                assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
                study.cancel();

                StudyResult ended = result.get(10, TimeUnit.SECONDS);
                assertThat(ended.ending()).isEqualTo(Ending.CANCELLED);
                assertThat(ended.trials()).singleElement().satisfies(t -> {
                    assertThat(t.state()).isEqualTo(TrialState.KILLED);
                    assertThat(t.error()).isEqualTo("did not stop within 100ms after the study stopped");
                });
            } finally {
                release.countDown();
            }
        }

        @Test
        void theStudyTimeoutIsCheckedBeforeEachNewTrial() {
            StudyResult result = new Study(config(FLOATS, 10, 3, 1, Duration.ofHours(2)), Samplers.random(1), null,
                    runner(n -> {
                        clock.advance(Duration.ofHours(1));
                        return succeeded(n, 0.5);
                    }), StudyListener.NONE, clock).run();

            assertThat(result.ending()).isEqualTo(Ending.TIMED_OUT);
            assertThat(result.detail()).isEqualTo("study timeout of 2h reached");
            assertThat(result.trials()).hasSize(2);
        }

        @Test
        void theWatchdogKillsTrialsRunningPastTheStudyTimeout() {
            BlockingRunner blocking = new BlockingRunner(1);
            TrialRunner runner = new TrialRunner() {
                @Override
                public Trial run(int number, Map<String, Object> params, String diff) {
                    clock.advance(Duration.ofMinutes(91));
                    return blocking.run(number, params, diff);
                }

                @Override
                public void cancelRunning() {
                    blocking.cancelRunning();
                }
            };

            StudyResult result = new Study(config(FLOATS, 10, 3, 1, Duration.ofMinutes(90)), Samplers.random(1),
                    null, runner, StudyListener.NONE, clock).run();

            assertThat(result.ending()).isEqualTo(Ending.TIMED_OUT);
            assertThat(result.detail()).isEqualTo("study timeout of 1h30m reached");
            assertThat(result.trials()).singleElement().extracting(Trial::state).isEqualTo(TrialState.KILLED);
        }
    }

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released within 10s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
