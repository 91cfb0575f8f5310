package dev.hone.tune;

import dev.hone.time.Durations;
import dev.hone.tune.StudyResult.Ending;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tuning loop: it asks the sampler (or the rebuild program) for parameter sets, runs trials up to
 * {@code parallel} at a time, and owns the budgets and the target. Three modes:
 * <ul>
 *   <li>no sampler and no rebuilder: one trial with no parameters;</li>
 *   <li>a sampler: up to max_trials trials; a finished trial frees its slot at once;</li>
 *   <li>a rebuilder (strategy script; it wins over a sampler): trial 1 runs as checked out, then the rebuild
 *       program runs after each trial that missed the target and says what the next one runs with.</li>
 * </ul>
 * With {@code metric.confirm} ({@link StudyConfig#confirm()}), a trial that reaches the target is repeated first, its
 * repeats (new trials with its parameters and new seeds, counted against max_trials) started before any new
 * parameter set; the target counts as reached only when their aggregate reaches it, and the study goes on otherwise.
 * It stops at the first trial that reaches the target, after max_failed_trials failures, at the study timeout
 * (measured with the injected clock), when the space is used up, on {@link #halt} or on {@link #cancel()}; trials still running
 * then are killed through {@link TrialRunner#cancelRunning()} and kept in the result as they come back.
 * {@link #run()} runs once, on the caller's thread; trials and the rebuild program run on virtual threads.
 */
public final class Study {

    /** How long run() waits, after the study stopped, for killed trials to come back before it gives up on them. */
    static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private enum Mode { SINGLE, SAMPLE, REBUILD }

    private sealed interface Event permits Finished, Rebuilt, Wake {}

    private record Finished(Trial trial) implements Event {}

    private record Rebuilt(Rebuilder.Outcome outcome) implements Event {}

    private enum Wake implements Event { WAKE }

    private final StudyConfig config;
    private final Sampler sampler;
    private final Rebuilder rebuilder;
    private final TrialRunner runner;
    private final StudyListener listener;
    private final InstantSource clock;
    private final Duration grace;
    private final Mode mode;
    private final TrialBook book;
    /** Null without {@code metric.confirm} or without a target. */
    private final Confirmations confirmations;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicBoolean ran = new AtomicBoolean();
    private volatile boolean cancelRequested;
    private volatile String haltReason;
    private volatile boolean deadlinePassed;
    /** {@code tune.give_up_below}; null: never give up. */
    private Double giveUpBelow;

    // owned by the thread in run()
    private TrialWorkers workers;
    private Instant deadline;
    private Ending ending;
    private String detail;
    /** Why trials still running are stopped rather than killed: "target reached by trial N"; null otherwise. */
    private String stoppedBy;
    private List<String> rebuildTail = List.of();
    private int nextNumber = 1;
    /** Trials a resumed study runs again first, under their own numbers (they were running when Hone stopped). */
    private final ArrayDeque<Trial> rerun = new ArrayDeque<>();
    private boolean rebuildInFlight;
    private Rebuilder.Next planned;
    private long stoppedAt;

    /**
     * @param sampler   null: nothing to sample
     * @param rebuilder null: no rebuild program
     * @param listener  told of every trial; {@link StudyListener#NONE} for nobody
     */
    public Study(StudyConfig config, Sampler sampler, Rebuilder rebuilder, TrialRunner runner,
                 StudyListener listener, InstantSource clock) {
        this(config, sampler, rebuilder, runner, listener, clock, STOP_GRACE);
    }

    Study(StudyConfig config, Sampler sampler, Rebuilder rebuilder, TrialRunner runner, StudyListener listener,
          InstantSource clock, Duration grace) {
        this.config = config;
        this.sampler = sampler;
        this.rebuilder = rebuilder;
        this.runner = runner;
        this.listener = listener == null ? StudyListener.NONE : listener;
        this.clock = clock;
        this.grace = grace;
        this.mode = rebuilder != null ? Mode.REBUILD : sampler != null ? Mode.SAMPLE : Mode.SINGLE;
        this.book = new TrialBook(Goals.of(config.space(), config.constraints()));
        this.confirmations = config.confirm() == null || config.space().target() == null ? null
                : new Confirmations(config.confirm(), config.seed(), config.space().target(),
                        config.space().direction());
        if (confirmations != null) {
            book.confirmingWith(confirmations);
        }
    }

    /**
     * Continues a study that was interrupted (Hone stopped): the finished trials of {@code earlier} are kept as they
     * are, those still {@code RUNNING} run again first under their own numbers, and new trials are numbered after
     * the highest one; budgets count them all. Call before {@link #run()}. Returns this study.
     */
    public Study resumeFrom(List<Trial> earlier) {
        if (ran.get()) {
            throw new IllegalStateException("resumeFrom must come before run()");
        }
        for (Trial t : earlier.stream().sorted(Comparator.comparingInt(Trial::number)).toList()) {
            if (t.state() == TrialState.RUNNING) {
                rerun.add(t);
            } else {
                book.finished(t);
            }
            nextNumber = Math.max(nextNumber, t.number() + 1);
        }
        return this;
    }

    /**
     * Gives up, ending {@link Ending#GAVE_UP}, once the chance of reaching the target within the remaining budget
     * ({@link Foresight}, estimated after each trial that ends) falls below {@code chance}; null: never. Call before
     * {@link #run()}. Returns this study.
     */
    public Study givingUpBelow(Double chance) {
        if (ran.get()) {
            throw new IllegalStateException("givingUpBelow must come before run()");
        }
        this.giveUpBelow = chance;
        return this;
    }

    /** Runs the study to its end; blocks. A study runs once. */
    public StudyResult run() {
        if (!ran.compareAndSet(false, true)) {
            throw new IllegalStateException("this study has already run; create a new Study");
        }
        deadline = config.timeout() == null ? null : clock.instant().plus(config.timeout());
        workers = new TrialWorkers(runner, clock);
        boolean interrupted = false;
        Watchdog watchdog = deadline == null ? null : new Watchdog(clock, deadline, this::deadlineReached);
        if (nextNumber > 1) {
            endedBefore(); // a resumed study may have ended before Hone stopped
        }
        try {
            while (true) {
                try {
                    if (!step()) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    cancel();
                }
            }
        } finally {
            if (watchdog != null) {
                watchdog.close();
            }
            if (!book.running().isEmpty() || rebuildInFlight) {
                runner.cancelRunning(); // a sampler or listener threw, or trials ignored the stop
            }
            workers.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return new StudyResult(ending, book.history(), book.best(), detail, rebuildTail,
                confirmations == null ? List.of() : confirmations.ended());
    }

    /** Stops the study: kills the running trials; run() returns with CANCELLED. Safe from any thread, any time. */
    public void cancel() {
        cancelRequested = true;
        runner.cancelRunning();
        events.add(Wake.WAKE);
    }

    /**
     * Stops the study because its trials cannot go on ({@code reason}, e.g. the disk is full): no trial starts any
     * more, the running ones are killed, and run() returns with HALTED and the reason as its detail. Safe from any
     * thread, any time; the first reason wins.
     */
    public void halt(String reason) {
        synchronized (this) {
            if (haltReason == null) {
                haltReason = reason;
            }
        }
        runner.cancelRunning();
        events.add(Wake.WAKE);
    }

    private void deadlineReached() {
        deadlinePassed = true;
        runner.cancelRunning();
        events.add(Wake.WAKE);
    }

    /** One turn of the loop: start what fits, wait for one event. False when the study is over. */
    private boolean step() throws InterruptedException {
        if (ending == null && cancelRequested) {
            stop(Ending.CANCELLED, null);
        } else if (ending == null && haltReason != null) {
            stop(Ending.HALTED, haltReason);
        } else if (ending == null && deadlinePassed) {
            stopTimedOut();
        }
        if (ending == null) {
            startWhatFits();
        }
        if (book.running().isEmpty() && !rebuildInFlight) {
            return false;
        }
        Event event;
        if (ending == null) {
            event = events.take();
        } else {
            long left = stoppedAt + grace.toNanos() - System.nanoTime();
            event = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : events.poll();
            if (event == null) {
                abandonRunning();
                return false;
            }
        }
        handle(event);
        return true;
    }

    private void startWhatFits() {
        while (!rerun.isEmpty() && book.running().size() < Math.max(1, config.parallel())) {
            Trial again = rerun.poll();
            startNumbered(again.number(), again.params(), again.diff(), null);
        }
        startRepeats();
        switch (mode) {
            case SINGLE -> {
                if (nextNumber == 1) {
                    startIfInTime(Map.of(), "");
                } else if (book.running().isEmpty()) {
                    stop(Ending.BUDGET_SPENT, null);
                }
            }
            case SAMPLE -> sample();
            case REBUILD -> rebuildStep();
        }
    }

    /** The repeats of confirmations under way take free slots first, within max_trials. */
    private void startRepeats() {
        while (confirmations != null && confirmations.hasPending() && ending == null
                && book.running().size() < Math.max(1, config.parallel()) && nextNumber - 1 < config.maxTrials()) {
            if (pastDeadline()) {
                stopTimedOut();
                return;
            }
            Confirmations.Pending p = confirmations.next();
            int number = nextNumber++;
            confirmations.started(number, p);
            startNumbered(number, p.params(), p.diff(), p.seed());
        }
    }

    private void sample() {
        int budget = config.maxTrials() - (nextNumber - 1);
        if (budget <= 0) {
            if (book.running().isEmpty()) {
                stop(Ending.BUDGET_SPENT, confirmations == null ? null : confirmations.unfinished().orElse(null));
            }
            return;
        }
        if (confirmations != null && confirmations.hasPending()) {
            return; // a repeat waits for a slot
        }
        int free = Math.min(Math.max(1, config.parallel()) - book.running().size(), budget);
        if (free <= 0) {
            return;
        }
        if (pastDeadline()) {
            stopTimedOut();
            return;
        }
        List<Map<String, Object>> suggested = sampler.suggest(config.space(), book.history(), free);
        if (suggested.isEmpty() && book.running().isEmpty()) {
            stop(Ending.SPACE_EXHAUSTED, null);
        }
        for (Map<String, Object> params : suggested.subList(0, Math.min(free, suggested.size()))) {
            start(params, "");
        }
    }

    private void rebuildStep() {
        if (!book.running().isEmpty() || rebuildInFlight) {
            return;
        }
        if (nextNumber == 1) {
            startIfInTime(Map.of(), "");
        } else if (planned != null) {
            Rebuilder.Next next = planned;
            planned = null;
            startIfInTime(next.params(), next.diff());
        } else if (nextNumber - 1 >= config.maxTrials()) {
            stop(Ending.BUDGET_SPENT, null);
        } else if (pastDeadline()) {
            stopTimedOut();
        } else {
            rebuildInFlight = true;
            List<Trial> history = book.history();
            workers.submit(() -> events.add(new Rebuilt(workers.rebuild(rebuilder, history))));
        }
    }

    private void startIfInTime(Map<String, Object> params, String diff) {
        if (pastDeadline()) {
            stopTimedOut();
        } else {
            start(params, diff);
        }
    }

    private void start(Map<String, Object> suggested, String suggestedDiff) {
        startNumbered(nextNumber++, suggested, suggestedDiff, null);
    }

    /** {@code seed} null: the run's seed. */
    private void startNumbered(int number, Map<String, Object> suggested, String suggestedDiff, Long seed) {
        Map<String, Object> params = Collections.unmodifiableMap(
                suggested == null ? new LinkedHashMap<>() : new LinkedHashMap<>(suggested));
        String diff = suggestedDiff == null ? "" : suggestedDiff;
        Trial running = Trial.running(number, params, diff);
        book.started(running);
        listener.trialStarted(running);
        workers.submit(() -> events.add(new Finished(workers.runTrial(number, params, diff, seed))));
    }

    private void handle(Event event) {
        switch (event) {
            case Finished f -> finished(stoppedBy != null && f.trial().state() == TrialState.KILLED
                    ? f.trial().stopped(stoppedBy) : f.trial());
            case Rebuilt r -> {
                rebuildInFlight = false;
                if (ending != null) {
                    return;
                }
                switch (r.outcome()) {
                    case Rebuilder.Next next -> planned = next;
                    case Rebuilder.Failed failed -> {
                        rebuildTail = failed.tail() == null ? List.of() : List.copyOf(failed.tail());
                        stop(Ending.REBUILD_FAILED, failed.error());
                    }
                }
            }
            case Wake w -> { }
        }
    }

    private void finished(Trial trial) {
        book.finished(trial);
        boolean repeat = confirmations != null && confirmations.isRepeat(trial.number());
        Optional<Confirmation> confirmation = repeat && ending == null
                ? confirmations.repeatEnded(trial, book.counts(trial) ? trial.value() : null) : Optional.empty();
        boolean reached = !repeat && book.counts(trial) && reachesTarget(trial.value());
        boolean confirming = confirmations != null && confirmations.hasPending();
        Foresight.Estimate estimate = ending == null && !repeat && !reached && !confirming
                ? foresight().orElse(null) : null;
        if (estimate != null) {
            listener.foresight(estimate);
        }
        listener.trialFinished(trial, book.best());
        if (ending != null) {
            return;
        }
        if (repeat) {
            confirmation.ifPresent(this::confirmed);
        } else if (reached) {
            if (confirmations != null) {
                confirmations.begin(trial);
            } else {
                stoppedBy = "target reached by trial " + trial.number();
                stop(Ending.TARGET_REACHED, null);
            }
        }
        if (ending == null && TrialBook.isFailure(trial.state()) && tooManyFailures()) {
            stopTooManyFailures();
        } else if (ending == null && estimate != null && giveUpBelow != null
                && estimate.probability() < giveUpBelow) {
            stoppedBy = "the study gave up on its target";
            stop(Ending.GAVE_UP, "gave up: " + estimate.text() + ", below tune.give_up_below "
                    + ParamText.exact(giveUpBelow));
        }
    }

    /** A confirmation ended: the study says how, and ends when it reached the target. */
    private void confirmed(Confirmation c) {
        listener.confirmationEnded(c);
        if (c.reached()) {
            stoppedBy = "target reached by trial " + c.trial() + ", confirmed";
            stop(Ending.TARGET_REACHED, null);
        }
    }

    /** The chance of reaching the target with the trials the budget has left (running ones included). */
    private Optional<Foresight.Estimate> foresight() {
        if (mode == Mode.SINGLE) {
            return Optional.empty();
        }
        List<Trial> history = book.history();
        long ended = history.stream().filter(t -> t.state().finished()).count();
        return Foresight.estimate(history, config.space().direction(), config.space().target(),
                (int) (config.maxTrials() - ended), config.parallel());
    }

    /** The target reached, or too many failures, among the trials a resumed study kept. */
    private void endedBefore() {
        Trial best = book.best();
        if (best != null && reachesTarget(best.value()) && confirmations != null) {
            confirmations.begin(best); // what was confirmed before Hone stopped is not known: confirmed again
        } else if (best != null && reachesTarget(best.value())) {
            stop(Ending.TARGET_REACHED, null);
        } else if (tooManyFailures()) {
            stopTooManyFailures();
        }
        if (ending != null) {
            for (Trial t : rerun) {
                book.finished(t.ended(TrialState.KILLED, "not run again: the study had ended before Hone stopped", 0));
            }
            rerun.clear();
        }
    }

    private boolean reachesTarget(double value) {
        Double target = config.space().target();
        return target != null && config.space().direction().reaches(value, target);
    }

    private boolean tooManyFailures() {
        return mode != Mode.SINGLE && config.maxFailedTrials() > 0 && book.failures() >= config.maxFailedTrials();
    }

    private void stopTooManyFailures() {
        stop(Ending.TOO_MANY_FAILURES, book.failures() + " trials failed (max_failed_trials: "
                + config.maxFailedTrials() + ")");
    }

    private void stop(Ending why, String text) {
        ending = why;
        detail = text;
        stoppedAt = System.nanoTime();
        workers.stopping();
        if (!book.running().isEmpty() || rebuildInFlight) {
            if (stoppedBy != null) {
                runner.stopRunning(stoppedBy);
            } else {
                runner.cancelRunning();
            }
        }
    }

    private boolean pastDeadline() {
        return deadlinePassed || (deadline != null && !clock.instant().isBefore(deadline));
    }

    private void stopTimedOut() {
        stop(Ending.TIMED_OUT, "study timeout of " + Durations.format(config.timeout()) + " reached");
    }

    /** Trials that did not come back within the grace period after the stop: recorded as killed. */
    private void abandonRunning() {
        for (int number : List.copyOf(book.running())) {
            Trial t = book.get(number);
            finished(t.ended(TrialState.KILLED,
                    "did not stop within " + Durations.format(grace) + " after the study stopped", 0));
        }
    }
}
