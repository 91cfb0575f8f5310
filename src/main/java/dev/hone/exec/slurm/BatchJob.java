package dev.hone.exec.slurm;

import dev.hone.exec.OutputLines;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.ProcessResult.Ending;
import dev.hone.exec.SessionEvents;
import dev.hone.exec.ShellErrors;
import dev.hone.time.Durations;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.CharBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * One request of a {@link SlurmSession} as a batch job: submitted, followed (its output tailed, its state read)
 * until it ends, cancelled with {@code scancel} when it must stop (cancellation, Hone's timeout), submitted again
 * when the cluster lost it. The thread that called {@link #run} does all the following; {@link #stop} only asks it to.
 */
final class BatchJob {

    /** The states of a job the cluster lost under it: it is submitted again. */
    private static final Set<String> LOST = Set.of("NODE_FAIL", "PREEMPTED", "BOOT_FAIL");
    /** How many times one request's job is submitted again before it fails. */
    static final int MAX_REQUEUES = 3;
    /** How long a cancelled job may take to leave the node before Hone stops waiting for it. */
    private static final Duration CANCEL_BOUND = Duration.ofSeconds(60);
    private static final Pattern EXIT_CODE = Pattern.compile("\\bExitCode=(\\d+):(\\d+)");

    private record Stop(Ending ending, String detail) {}

    private final SlurmSession session;
    private final ProcessRequest request;
    private final String name;
    private final JobFiles files;
    private final CompletableFuture<Stop> stop = new CompletableFuture<>();
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    BatchJob(SlurmSession session, ProcessRequest request, String name, JobFiles files) {
        this.session = session;
        this.request = request;
        this.name = name;
        this.files = files;
    }

    /** Asks the job to stop: it is cancelled, and {@link #run} returns KILLED with {@code detail}. */
    void stop(String detail) {
        stop.complete(new Stop(Ending.KILLED, detail));
        session.states.wake();
    }

    /** Waits until {@link #run} has returned, at most {@code timeout}. */
    void awaitFinished(Duration timeout) throws InterruptedException {
        try {
            finished.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // closing goes on regardless
        }
    }

    /** Runs the request as a job to its end, its timeout or its cancellation; no job of it is left on the cluster. */
    ProcessResult run() {
        long submitted = System.nanoTime();
        Writer log;
        try {
            log = request.logFile() == null ? null : OutputLines.openLog(request.logFile(), false, session.logLimit);
        } catch (IOException e) {
            finished.complete(null);
            return failedToStart(submitted, "cannot write the log file " + request.logFile() + ": " + e);
        }
        try (OutputLines lines = new OutputLines(log, request.onLine(), session.masks)) {
            for (int requeues = 0; ; requeues++) {
                Submission job = requeues == 0 ? leftover().orElseGet(() -> submit(submitted)) : submit(submitted);
                if (job.refused() != null) {
                    return job.refused();
                }
                Ended ended = job.ended() != null ? replay(job, lines) : follow(job.id(), lines);
                if (LOST.contains(ended.state().name()) && ended.stop() == null && requeues < MAX_REQUEUES
                        && !stop.isDone()) {
                    requeue(job.id(), ended.state(), requeues + 1, lines, submitted);
                    continue;
                }
                files.forgetEnvironment();
                return result(job.id(), ended, lines, requeues);
            }
        } finally {
            finished.complete(null);
        }
    }

    /**
     * A job to follow ({@code id}), or one that had ended before Hone came back ({@code ended}: its state), or
     * the reason none could be submitted ({@code refused}).
     */
    private record Submission(String id, ProcessResult refused, JobStates.State ended) {

        Submission(String id, ProcessResult refused) {
            this(id, refused, null);
        }
    }

    /**
     * The job of this trial an earlier Hone submitted and left behind (it was killed while the job ran): one still
     * queued or running is adopted, one that ended meanwhile gives its result from its files, and the trial is not
     * run again. Only a trial's job is looked for: its name is its run's and its number's alone.
     */
    private Optional<Submission> leftover() {
        if (request.env() == null || request.env().get("HONE_TRIAL") == null || !Files.exists(files.script())) {
            return Optional.empty();
        }
        SlurmCommands.Output out = session.slurm.run(List.of("squeue", "-h", "-t", "all", "-n", name, "-o",
                "%i|%T|%r"));
        Submission ended = null;
        for (String line : out.out().split("\n")) {
            String[] fields = line.strip().split("\\|", 3);
            if (fields.length < 3) {
                continue;
            }
            JobStates.State state = new JobStates.State(fields[1], fields[2]);
            if (!state.ended()) {
                LoggerFactory.getLogger(BatchJob.class).info("job {} ({}) adopted: {}", fields[0], name, state.name());
                return Optional.of(new Submission(fields[0], null));
            }
            ended = new Submission(fields[0], null, state);
        }
        if (ended == null && files.exitCode().isPresent()) {
            ended = new Submission("(" + name + ")", null, new JobStates.State("COMPLETED", "None"));
        }
        return Optional.ofNullable(ended);
    }

    /** A job that ended while Hone was away: its whole output, as the job left it. */
    private Ended replay(Submission job, OutputLines lines) {
        new OutputTail(files.output(), lines).end();
        return new Ended(job.ended(), null, -1, System.nanoTime());
    }

    private Submission submit(long submitted) {
        Map<String, String> env = new HashMap<>(session.env);
        if (request.env() != null) {
            request.env().forEach((k, v) -> {
                if (k != null && v != null) {
                    env.put(k, v);
                }
            });
        }
        try {
            files.prepare(request.command(), env);
        } catch (IOException e) {
            return new Submission(null, failedToStart(submitted, "cannot write the job's files in " + files.dir()
                    + " (" + e + "): the run directory must be writable, on the filesystem the nodes share"));
        }
        SlurmCommands.Output out = session.slurm.run(Jobs.sbatch(name, session.resources, session.options,
                request.timeout(), files, session.workspace));
        String id = out.out().strip().split(";", 2)[0];
        if (!out.ok() || !id.matches("\\d+(_\\d+)?")) {
            files.forgetEnvironment();
            return new Submission(null, failedToStart(submitted, "sbatch refused job " + name + ": "
                    + out.problem()));
        }
        return new Submission(id, null);
    }

    /** How a job ended: its last state, and Hone's reason when Hone stopped it. */
    private record Ended(JobStates.State state, Stop stop, long ranFromNanos, long endNanos) {}

    /** Follows job {@code id} until it has ended (or, cancelled, has not left within a bound). */
    private Ended follow(String id, OutputLines lines) {
        session.states.watch(id);
        OutputTail tail = new OutputTail(files.output(), lines);
        long running = -1;
        long cancelled = -1;
        Stop reason = null;
        boolean interrupted = false;
        try {
            while (true) {
                JobStates.State state = session.states.of(id);
                if (reason == null) {
                    tail.read();
                }
                long now = System.nanoTime();
                if (running < 0 && Files.exists(files.started())) {
                    running = now - files.sinceStarted().toNanos(); // an adopted job started before Hone came back
                }
                if (reason == null) {
                    reason = stop.getNow(null);
                    Duration timeout = request.timeout();
                    if (reason == null && timeout != null && running >= 0 && now - running >= timeout.toNanos()) {
                        reason = new Stop(Ending.TIMED_OUT, "timed out after " + Durations.format(timeout));
                    }
                    if (reason != null) {
                        cancel(id);
                        cancelled = now;
                    }
                }
                if (state.ended() || (cancelled >= 0 && now - cancelled > CANCEL_BOUND.toNanos())) {
                    if (reason == null) {
                        tail.end();
                    } else {
                        tail.endCancelledByHone();
                    }
                    return new Ended(state, reason, running < 0 ? -1 : running, System.nanoTime());
                }
                try {
                    // the next squeue's answer (its output meanwhile), or at once when asked to stop
                    session.states.awaitRead(JobStates.PERIOD.multipliedBy(2));
                } catch (InterruptedException e) {
                    interrupted = true;
                    stop("killed: interrupted");
                }
            }
        } finally {
            session.states.forget(id);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Cancels job {@code id}: SIGTERM to every process of it, the batch script's shell too ({@code --full}: else the
     * shell outlives its command and reports "Terminated"), then the job itself, which Slurm kills after its
     * {@code KillWait}.
     */
    private void cancel(String id) {
        session.slurm.run(List.of("scancel", "--signal=TERM", "--full", id));
        SlurmCommands.Output out = session.slurm.run(List.of("scancel", id));
        if (!out.ok()) {
            LoggerFactory.getLogger(BatchJob.class).warn("scancel {} failed: {}", id, out.problem());
        }
    }

    /** The cluster lost the job: it is told, marked in the log, and the request runs again as a new job. */
    private void requeue(String lostId, JobStates.State state, int requeues, OutputLines lines, long submitted) {
        String reason = state.name() + (state.reason().isBlank() || state.reason().equals("None") ? ""
                : " (" + state.reason() + ")");
        String what = request.env() != null && request.env().get("HONE_TRIAL") != null
                ? "trial " + request.env().get("HONE_TRIAL") : "the command";
        session.events.requeued(new SessionEvents.Requeue(name, lostId, requeues, reason, List.of(request)));
        lines.accept(CharBuffer.wrap("--- hone: job " + lostId + " lost: " + reason + "; re-running "
                + what + " as a new job ---\n"));
        lines.flush();
    }

    /**
     * How the job ended, with what it used: Slurm's accounting where the cluster keeps it, else the batch script's
     * own figures (none when the script did not get to write them: cancelled, timed out). No GPU figures: Hone's
     * {@code GpuMeter} asks the {@code nvidia-smi} of Hone's own host, and a job's GPUs are on its node.
     */
    private ProcessResult result(String id, Ended ended, OutputLines lines, int requeues) {
        long from = ended.ranFromNanos();
        Duration duration = from < 0 ? files.ranFor() : Duration.ofNanos(ended.endNanos() - from);
        ProcessResult result = ending(id, ended, lines.tail(), requeues, duration);
        return session.accounting.of(id, duration).or(() -> files.measuredUsage(duration)).map(result::withUsage)
                .orElse(result);
    }

    private ProcessResult ending(String id, Ended ended, List<String> tail, int requeues, Duration duration) {
        if (ended.stop() != null) {
            return new ProcessResult(ended.stop().ending(), -1, duration, tail, ended.stop().detail());
        }
        JobStates.State state = ended.state();
        return switch (state.name()) {
            case "TIMEOUT", "DEADLINE" -> new ProcessResult(Ending.TIMED_OUT, -1, duration, tail,
                    "timed out: Slurm stopped job " + id + " at its time limit (" + state.name() + ")");
            case "OUT_OF_MEMORY" -> new ProcessResult(Ending.OOM_KILLED, -1, duration, tail,
                    "killed: out of memory (job " + id + (session.resources.memoryMib() == null ? ""
                    : ", limit " + session.resources.memoryMib() + " MiB") + ")");
            case "CANCELLED" -> new ProcessResult(Ending.KILLED, -1, duration, tail,
                    "killed: job " + id + " was cancelled outside Hone (scancel, or an administrator)");
            case "NODE_FAIL", "PREEMPTED", "BOOT_FAIL" -> new ProcessResult(Ending.KILLED, -1, duration, tail,
                    "killed: the cluster lost job " + id + " (" + state.name() + ") " + (requeues + 1)
                    + " times in a row; Hone gave up on it");
            default -> exited(id, state, duration, tail);
        };
    }

    /** COMPLETED or FAILED (or gone from Slurm's memory): the exit code the script left, else Slurm's. */
    private ProcessResult exited(String id, JobStates.State state, Duration duration, List<String> tail) {
        OptionalInt code = files.exitCode();
        if (code.isEmpty()) {
            code = slurmExitCode(id);
        }
        if (code.isEmpty()) {
            return new ProcessResult(Ending.KILLED, -1, duration, tail, "job " + id + " ended (" + state.name()
                    + ") without an exit code in " + files.exit() + ": the nodes may not see the run directory");
        }
        int exit = code.getAsInt();
        return new ProcessResult(Ending.EXITED, exit, duration, tail, ShellErrors.detail(exit, tail));
    }

    /** {@code scontrol show job}'s ExitCode=N:S: N, or 128 + S for a signal; empty once Slurm forgot the job. */
    private OptionalInt slurmExitCode(String id) {
        SlurmCommands.Output out = session.slurm.run(List.of("scontrol", "-o", "show", "job", id));
        Matcher m = EXIT_CODE.matcher(out.out());
        if (!out.ok() || !m.find()) {
            return OptionalInt.empty();
        }
        int signal = Integer.parseInt(m.group(2));
        return OptionalInt.of(signal != 0 ? 128 + signal : Integer.parseInt(m.group(1)));
    }

    private static ProcessResult failedToStart(long startNanos, String detail) {
        return new ProcessResult(Ending.FAILED_TO_START, -1, Duration.ofNanos(System.nanoTime() - startNanos),
                List.of(), detail);
    }
}
