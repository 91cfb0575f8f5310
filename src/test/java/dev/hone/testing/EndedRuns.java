package dev.hone.testing;

import dev.hone.data.DataDir;
import dev.hone.data.RunDir;
import dev.hone.run.RunStatus;
import dev.hone.spec.Spec;
import dev.hone.store.NewRun;
import dev.hone.store.Store;
import dev.hone.tune.Direction;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Runs as a store and a data directory hold them after they ran, for what reads both (retention): each judged by
 * {@link #ACCURACY}, on disk a workspace and its pristine copy of {@value #WORKSPACE_BYTES} bytes each, each trial a
 * {@value #LOG_BYTES}-byte log and a {@value #MODEL_BYTES}-byte model in its output.
 */
public final class EndedRuns {

    public static final Spec.Metric ACCURACY = new Spec.Metric("accuracy", Direction.MAXIMIZE, 0.9);
    public static final int WORKSPACE_BYTES = 1000;
    public static final int LOG_BYTES = 100;
    public static final int MODEL_BYTES = 300;

    private EndedRuns() {}

    /**
     * A run of {@code project} with {@code status} that ended at {@code ended} (a live one started then), its spec
     * {@code spec}, its trials' values {@code values}, the best one recorded; its id.
     */
    public static long run(Store store, DataDir data, String project, RunStatus status, Instant ended, String spec,
                           double... values) throws IOException {
        long id = store.createRun(new NewRun(project, "/src/" + project, "abc", "main", null, null, spec, ACCURACY,
                ended.minus(Duration.ofHours(1))));
        RunDir dir = data.run(id);
        Integer best = null;
        for (int n = 1; n <= values.length; n++) {
            store.saveTrial(id, new Trial(n, Map.of(), TrialState.SUCCEEDED, values[n - 1], List.of(), 0, 10, null,
                    "", Map.of("accuracy", values[n - 1])), ended, dir.trial(n).log().toString());
            if (best == null || values[n - 1] > values[best - 1]) {
                best = n;
            }
        }
        if (!status.live()) {
            store.finishRun(id, status, best, ended);
        }
        files(dir, values.length);
        return id;
    }

    /** The files of a run directory with {@code trials} trials. */
    public static void files(RunDir dir, int trials) throws IOException {
        Files.createDirectories(dir.workspace());
        Files.write(dir.workspace().resolve("train.py"), new byte[WORKSPACE_BYTES]);
        Files.createDirectories(dir.pristine());
        Files.write(dir.pristine().resolve("train.py"), new byte[WORKSPACE_BYTES]);
        for (int n = 1; n <= trials; n++) {
            Files.createDirectories(dir.trial(n).output());
            Files.write(dir.trial(n).log(), new byte[LOG_BYTES]);
            Files.write(dir.trial(n).output().resolve("model.bin"), new byte[MODEL_BYTES]);
        }
    }
}
