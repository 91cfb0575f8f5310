package dev.hone.pipeline;

import dev.hone.data.DataDir;
import dev.hone.data.RunDir;
import dev.hone.exec.LocalExecutor;
import dev.hone.store.Store;
import dev.hone.store.TrialRow;
import dev.hone.tune.StudyResult;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A queued run that has trials already was begun by a {@code hone serve} that stopped (killed, or shut down): it
 * continues from them, in its workspace as it was left (so the edits of a rebuild program carry on): the trials that
 * had finished are kept, and those that were running are cleaned and run again under their own numbers (a trial is
 * counted once).
 */
final class Resumption {

    private Resumption() {}

    /**
     * Claims the run directory for this process and stops what the process before it left running in the workspace
     * (on this machine); returns the run's recorded trials (empty for a new run). The trials that were running start
     * over with empty output directories, unless {@code adoptsJobs}: then the executor takes over the jobs they left
     * on a cluster, which write there.
     */
    static List<Trial> prepare(Store store, long runId, RunDir runDir, boolean queued, boolean adoptsJobs,
                               PrintStream out) {
        Recovery.claim(runDir, queued);
        if (!queued) {
            return List.of();
        }
        List<Trial> earlier = store.trials(runId).stream().map(TrialRow::trial).toList();
        if (earlier.isEmpty()) {
            return earlier; // no trial started: nothing can be left running
        }
        int stopped = LocalExecutor.stopLeftovers(runDir.workspace());
        if (stopped > 0) {
            out.printf("hone: run %d: stopped %d process%s the earlier hone left running%n", runId, stopped,
                    stopped == 1 ? "" : "es");
        }
        List<Integer> again = earlier.stream().filter(t -> t.state() == TrialState.RUNNING).map(Trial::number)
                .toList();
        for (int number : again) {
            if (!adoptsJobs) {
                delete(runDir.trial(number).output());
            }
        }
        out.printf("hone: run %d resumes: %d trial%s kept%s%n", runId, earlier.size() - again.size(),
                earlier.size() - again.size() == 1 ? "" : "s", again.isEmpty() ? ""
                        : ", trial " + again.stream().map(String::valueOf).collect(Collectors.joining(", "))
                        + " runs again");
        return earlier;
    }

    /** Trials that were running and that the resumed study did not run again (it had ended): recorded so. */
    static void settle(Store store, long runId, List<Trial> earlier, StudyResult result, RunDir runDir,
                       InstantSource clock) {
        for (Trial before : earlier) {
            if (before.state() != TrialState.RUNNING) {
                continue;
            }
            result.trials().stream().filter(t -> t.number() == before.number() && t.state() == TrialState.KILLED
                            && t.durationMs() == 0 && t.exitCode() == null)
                    .findFirst().ifPresent(t -> store.saveTrial(runId, t, clock.instant(),
                            runDir.trial(t.number()).log().toString()));
        }
    }

    private static void delete(Path dir) {
        try {
            DataDir.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir + " to resume the run: " + e.getMessage(), e);
        }
    }
}
