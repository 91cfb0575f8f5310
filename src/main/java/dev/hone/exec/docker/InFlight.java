package dev.hone.exec.docker;

import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult.Ending;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The requests a {@link DockerSession} runs now, each with its {@link Attempt}: stopped one by one (early stopping),
 * all at once (cancellation), or interrupted by the death of their container, to run again in the next one.
 */
final class InFlight {

    private final Map<ProcessRequest, Attempt> attempts = Collections.synchronizedMap(new IdentityHashMap<>());
    private final List<ProcessRequest> interrupted = new CopyOnWriteArrayList<>();
    private final AtomicLong cancellations = new AtomicLong();

    /** How many times everything was cancelled: a request that saw it change while it began is cancelled too. */
    long cancellations() {
        return cancellations.get();
    }

    Attempt add(ProcessRequest request) {
        Attempt attempt = new Attempt(request);
        attempts.put(request, attempt);
        return attempt;
    }

    void remove(ProcessRequest request) {
        attempts.remove(request);
    }

    void stop(ProcessRequest request, String why) {
        Attempt attempt = attempts.get(request);
        if (attempt != null) {
            attempt.stop(why);
        }
    }

    void stopAll(String why) {
        cancellations.incrementAndGet();
        for (Attempt attempt : all()) {
            attempt.stop(why);
        }
    }

    /** Their container died: each running request's run ends at once, and the request runs again. */
    void containerDied(String reason) {
        interrupted.clear();
        for (Attempt attempt : all()) {
            TrialRun run = attempt.run;
            if (run != null && !attempt.stop.isDone()) {
                interrupted.add(attempt.request);
                run.containerDied(reason);
            }
        }
    }

    /** The requests the last death interrupted. */
    List<ProcessRequest> interrupted() {
        return List.copyOf(interrupted);
    }

    /** Kills what runs with {@code problem}, for good (the session broke down). */
    void killRuns(String problem) {
        for (Attempt attempt : all()) {
            TrialRun run = attempt.run;
            if (run != null) {
                run.stop(Ending.KILLED, problem);
            }
        }
    }

    /** Waits for the runs to return, each at most {@code timeout}. */
    void awaitFinished(Duration timeout) throws InterruptedException {
        for (Attempt attempt : all()) {
            TrialRun run = attempt.run;
            if (run != null) {
                run.awaitFinished(timeout);
            }
        }
    }

    private List<Attempt> all() {
        synchronized (attempts) {
            return List.copyOf(attempts.values());
        }
    }
}
