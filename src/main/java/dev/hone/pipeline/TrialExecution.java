package dev.hone.pipeline;

import dev.hone.data.RunDir;
import dev.hone.data.TrialDir;
import dev.hone.exec.Executor;
import dev.hone.exec.Gpu;
import dev.hone.exec.GpuMeter;
import dev.hone.exec.GpuPool;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.TrialContract;
import dev.hone.logging.LogFormat;
import dev.hone.metrics.MetricPoint;
import dev.hone.metrics.MetricReader;
import dev.hone.run.Usage;
import dev.hone.spec.Spec;
import dev.hone.store.Store;
import dev.hone.tune.Constraint;
import dev.hone.tune.Objective;
import dev.hone.tune.Pruner;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialRunner;
import dev.hone.tune.TrialState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs one trial in the run's session under the trial contract (DESIGN §3): its own directory ({@link TrialDir})
 * with its parameters, output and log; the metric read from its output; the record kept in the store before it
 * starts and when it ends. When the disk of the data directory is full, the trial that finds it
 * halts the study (no trial starts after it) and what could not be recorded waits for {@link #saveUnsaved()}.
 */
final class TrialExecution implements TrialRunner {

    private static final Logger LOG = LoggerFactory.getLogger(TrialExecution.class);

    private final Executor.Session session;
    private final Store store;
    private final long runId;
    private final RunDir runDir;
    private final String command;
    private final String metric;
    private final List<Objective> further;
    private final List<Constraint> constraints;
    private final Duration timeout;
    private final InstantSource clock;
    private final RunListener listener;
    private final Pruner pruner;
    /** The installation's trial slots (limits.trials): a trial runs only while it holds one. */
    private final Semaphore slots;
    /** The installation's GPUs, and how many each trial of this run takes. */
    private Long seed;
    private GpuPool gpuPool = GpuPool.none();
    private int gpusPerTrial;
    /** Set once the study stops its trials (target reached, timeout, Ctrl-C): no new trial takes a slot. */
    private volatile boolean stopped;
    /** Why the study stopped its trials when they are not failures ("target reached by trial 3"); else null. */
    private volatile String stopReason;
    private final Map<Integer, List<String>> tails = new ConcurrentHashMap<>();
    /** The running trials' requests, and the fresh metric reader each would need if it ran again. */
    private final Map<ProcessRequest, Integer> numbers = new IdentityHashMap<>();
    private final Map<Integer, Runnable> restarts = new ConcurrentHashMap<>();
    private final DiskSpace space;
    private final Consumer<String> halt;
    /** Trials whose record the full disk refused, in the order they ended. */
    private final List<Unsaved> unsaved = Collections.synchronizedList(new ArrayList<>());

    private record Unsaved(Trial trial, Map<String, List<MetricPoint>> curves, Instant started, String log) {}

    /** @param halt stops the study with a reason: called when the disk is full */
    TrialExecution(Executor.Session session, Store store, long runId, RunDir runDir, String command,
                   Spec.Metric metric, Duration timeout, InstantSource clock, RunListener listener, Semaphore slots, Pruner pruner,
                   DiskSpace space, Consumer<String> halt) {
        this.space = space;
        this.halt = halt;
        this.slots = slots;
        this.session = session;
        this.store = store;
        this.runId = runId;
        this.runDir = runDir;
        this.command = command;
        this.metric = metric.name();
        this.constraints = metric.constraints();
        this.further = metric.further();
        this.timeout = timeout;
        this.clock = clock;
        this.listener = listener;
        this.pruner = pruner;
    }

    /** Gives each trial {@code perTrial} GPUs of {@code pool}, none another running trial holds. */
    /** Each trial is given {@code seed} as {@code HONE_SEED} (the study's seed: {@code hone reproduce} gives it again). */
    TrialExecution seeding(long seed) {
        this.seed = seed;
        return this;
    }

    TrialExecution givingGpus(GpuPool pool, int perTrial) {
        this.gpuPool = pool;
        this.gpusPerTrial = perTrial;
        return this;
    }

    @Override
    public Trial run(int number, Map<String, Object> params, String diff) {
        return run(number, params, diff, seed);
    }

    /** A repeat that confirms a trial ({@code metric.confirm}): {@code HONE_SEED} is {@code seed}. */
    @Override
    public Trial run(int number, Map<String, Object> params, String diff, long seed) {
        return run(number, params, diff, Long.valueOf(seed));
    }

    private Trial run(int number, Map<String, Object> params, String diff, Long trialSeed) {
        try (MDC.MDCCloseable run = MDC.putCloseable(LogFormat.RUN, Long.toString(runId));
             MDC.MDCCloseable trial = MDC.putCloseable(LogFormat.TRIAL, Integer.toString(number))) {
            Trial ended = runWithGpus(number, params, diff, trialSeed);
            LOG.info("event=trial_ended run={} trial={} state={} value={}", runId, number, ended.state().label(),
                    ended.value());
            return ended;
        }
    }

    private Trial runWithGpus(int number, Map<String, Object> params, String diff, Long trialSeed) {
        Optional<List<Gpu>> gpus = gpuPool.take(gpusPerTrial, () -> stopped,
                () -> listener.trialWaiting(number, "waiting for " + GpuPool.gpus(gpusPerTrial)));
        if (gpus.isEmpty()) {
            return notStarted(number, params, diff, "GPUs (environment.resources.gpus)");
        }
        try {
            if (!awaitSlot()) {
                return notStarted(number, params, diff, "a slot (limits.trials)");
            }
            try {
                return runHoldingSlot(number, params, diff, gpus.get(), trialSeed);
            } finally {
                slots.release();
            }
        } finally {
            gpuPool.release(gpus.get());
        }
    }

    /** The study stopped while the trial waited for {@code what}. */
    private Trial notStarted(int number, Map<String, Object> params, String diff, String what) {
        Trial waited = Trial.running(number, params, diff);
        String reason = stopReason;
        return reason != null ? waited.stopped(reason) : waited.ended(TrialState.KILLED,
                "killed: the study stopped while the trial waited for " + what, 0);
    }

    private Trial runHoldingSlot(int number, Map<String, Object> params, String diff, List<Gpu> gpus,
                                 Long trialSeed) {
        TrialDir dir = runDir.trial(number);
        Path output = dir.output();
        Path paramsFile = dir.params();
        Path log = dir.log();
        Instant started = clock.instant();
        Trial running = Trial.running(number, params, diff);
        try {
            Files.createDirectories(output);
            Files.writeString(paramsFile, TrialContract.paramsJson(params));
            if (!diff.isEmpty()) {
                Files.writeString(dir.diff(), diff);
            }
            store.saveTrial(runId, running, started, log.toString());
        } catch (IOException | RuntimeException e) {
            if (!DiskSpace.exhausted(e)) {
                throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
            }
            Trial notStarted = running.ended(TrialState.FAILED, space.reason(), 0);
            return haltedBy(new Unsaved(notStarted, Map.of(), started, log.toString()));
        }

        AtomicReference<ProcessRequest> request = new AtomicReference<>();
        AtomicLong prunedAt = new AtomicLong(-1);
        Supplier<MetricReader> readers = () -> new MetricReader(metric, MetricReader.MAX_POINTS, point -> {
            if (prunedAt.get() < 0 && pruner.report(number, point.step(), point.value())
                    && prunedAt.compareAndSet(-1, point.step())) {
                listener.trialOutput(number, "--- hone: stopped early at step " + point.step() + " by the "
                        + pruner.name() + " rule ---");
                session.cancel(request.get());
            }
        }, warning -> listener.trialWarning(number, warning));
        AtomicReference<MetricReader> current = new AtomicReference<>(readers.get());
        Map<String, String> env = new LinkedHashMap<>(
                TrialContract.environment(number, Long.toString(runId), paramsFile, output, params));
        env.putAll(TrialContract.gpuEnvironment(gpus));
        if (trialSeed != null) {
            env.put("HONE_SEED", Long.toString(trialSeed));
        }
        request.set(new ProcessRequest(TrialContract.expand(command, params), env, log, timeout, line -> {
            current.get().accept(line);
            listener.trialOutput(number, line);
        }));
        Optional<GpuMeter> gpuMeter = gpuPool.meter(gpus);
        ProcessResult result = runRestartable(number, request.get(), () -> current.set(readers.get()));
        Usage used = gpuMeter.flatMap(GpuMeter::stop).map(g -> result.usage().withGpus(g.memoryPeakBytes(),
                g.utilizationMean(), GpuMeter.SOURCE)).orElse(result.usage());
        MetricReader reader = current.get();
        Trial trial = (prunedAt.get() >= 0 && result.ending() == ProcessResult.Ending.KILLED
                ? pruned(running, result, reader, prunedAt.get()) : finished(running, result, reader))
                .withResources(used);
        pruner.finished(trial);
        tails.put(number, result.tail());
        Map<String, List<MetricPoint>> curves = reader.otherIntermediate();
        try {
            save(trial, curves, started, log.toString());
        } catch (RuntimeException e) {
            if (!DiskSpace.exhausted(e)) {
                throw e;
            }
            return haltedBy(new Unsaved(trial, curves, started, log.toString()));
        }
        return trial;
    }

    private void save(Trial trial, Map<String, List<MetricPoint>> curves, Instant started, String log) {
        store.saveTrial(runId, trial, started, log);
        store.addMetricPoints(runId, trial.number(), trial.intermediate());
        curves.forEach((name, points) -> store.addMetricPoints(runId, trial.number(), name, points));
    }

    /** The disk is full: the study starts no more trials, and {@code trial} is recorded once there is room. */
    private Trial haltedBy(Unsaved trial) {
        unsaved.add(trial);
        halt.accept(space.reason());
        return trial.trial();
    }

    /** Records the trials the full disk refused (once the reserve is freed); throws when the store still refuses. */
    void saveUnsaved() {
        synchronized (unsaved) {
            for (Unsaved u : List.copyOf(unsaved)) {
                save(u.trial(), u.curves(), u.started(), u.log());
                unsaved.remove(u);
            }
        }
    }

    /** Runs the request; should its environment restart under it, {@code startOver} resets its readings. */
    private ProcessResult runRestartable(int number, ProcessRequest request, Runnable startOver) {
        synchronized (numbers) {
            numbers.put(request, number);
        }
        restarts.put(number, startOver);
        try {
            return session.run(request);
        } finally {
            synchronized (numbers) {
                numbers.remove(request);
            }
            restarts.remove(number);
        }
    }

    /**
     * The environment restarted and these requests run again from the start: their metric readings start over.
     * Returns their trial numbers.
     */
    List<Integer> restarted(List<ProcessRequest> rerun) {
        List<Integer> again = new ArrayList<>();
        for (ProcessRequest request : rerun) {
            Integer number;
            synchronized (numbers) {
                number = numbers.get(request);
            }
            Runnable startOver = number == null ? null : restarts.get(number);
            if (startOver != null) {
                startOver.run();
                again.add(number);
            }
        }
        return again.stream().sorted().toList();
    }

    private Trial pruned(Trial running, ProcessResult result, MetricReader reader, long step) {
        return new Trial(running.number(), running.params(), TrialState.PRUNED, null, reader.intermediate(), null,
                result.duration().toMillis(), "stopped early at step " + step + " by the " + pruner.name() + " rule",
                running.diff(), reader.metrics());
    }

    private Trial finished(Trial running, ProcessResult result, MetricReader reader) {
        TrialState state;
        Double value = null;
        String error = null;
        switch (result.ending()) {
            case TIMED_OUT -> { state = TrialState.TIMED_OUT; error = result.detail(); }
            case KILLED -> {
                String reason = stopReason;
                state = reason != null ? TrialState.STOPPED : TrialState.KILLED;
                error = reason != null ? reason : result.detail();
            }
            case OOM_KILLED -> { state = TrialState.OOM_KILLED; error = result.detail(); }
            case FAILED_TO_START -> { state = TrialState.FAILED; error = result.detail(); }
            case EXITED -> {
                if (result.exitCode() != 0) {
                    state = TrialState.FAILED;
                    error = Failures.describe(result);
                } else {
                    MetricReader.Reading reading = reader.finish(runDir.trial(running.number()).output());
                    value = reading.value();
                    String missing = value == null ? null : missingObjective(reader.metrics());
                    state = value == null || missing != null ? TrialState.FAILED : TrialState.SUCCEEDED;
                    error = value == null ? reading.problem() : missing != null ? missing
                            : Constraint.firstBreach(constraints, reader.metrics()).map(why -> why
                                    + ": it does not count towards the target nor as the best").orElse(null);
                }
            }
            default -> throw new IllegalStateException("unknown ending " + result.ending());
        }
        return new Trial(running.number(), running.params(), state, value, reader.intermediate(),
                result.exitCode() < 0 ? null : result.exitCode(), result.duration().toMillis(), error,
                running.diff(), reader.metrics());
    }

    /**
     * Why a trial that reported the first metric fails for want of a further one ({@code metric} as a list), or null
     * when it reported them all.
     */
    private String missingObjective(Map<String, Double> reported) {
        for (Objective o : further) {
            if (o.valueIn(reported) == null) {
                return "reported " + metric + " but not " + o.name() + ", which hone.yaml's metric list also needs:"
                        + " print " + o.name() + "=VALUE or put it in $HONE_OUTPUT/metrics.json";
            }
        }
        return null;
    }

    /** The last log lines of a finished trial (empty when unknown). */
    List<String> tail(int number) {
        return tails.getOrDefault(number, List.of());
    }

    /** Waits for a trial slot; false when the study stopped meanwhile (its trials are being cancelled). */
    private boolean awaitSlot() {
        try {
            while (!stopped) {
                if (slots.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                    if (!stopped) {
                        return true;
                    }
                    slots.release();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public void cancelRunning() {
        stopped = true;
        session.cancelAll();
    }

    @Override
    public void stopRunning(String reason) {
        stopReason = reason;
        cancelRunning();
    }
}
