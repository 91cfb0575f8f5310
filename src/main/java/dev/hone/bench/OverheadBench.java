package dev.hone.bench;

import dev.hone.App;
import dev.hone.error.HoneException;
import dev.hone.data.DataDir;
import dev.hone.pipeline.Pipeline;
import dev.hone.pipeline.RunListener;
import dev.hone.pipeline.RunOutcome;
import dev.hone.pipeline.RunRequest;
import dev.hone.spec.Spec;
import dev.hone.store.Store;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The wall time Hone adds around a training command: the same trivial command run N times bare (a process per
 * run, as Hone would spawn it) and as N trials of a study (sampling, trial directory and files, process, log,
 * metric parsing, two store writes per trial). Overhead per trial = (study wall − bare wall) / N.
 */
public final class OverheadBench {

    /** The trivial training command: prints the metric and exits. */
    static final String COMMAND = "echo accuracy=0.5";

    private final App app;

    public OverheadBench(App app) {
        this.app = app;
    }

    public record Result(int trials, double bareMsPerRun, double studyMsPerTrial, double overheadMsPerTrial) {}

    public Result measure(int trials, Path workDir) {
        try {
            Path project = Files.createDirectories(workDir.resolve("project"));
            Files.writeString(project.resolve("hone.yaml"), """
                    name: overhead
                    train: {command: "%s"}
                    metric: {name: accuracy, target: 2.0}
                    tune:
                      strategy: random
                      params: {x: {min: 0.0, max: 1.0}}
                      max_trials: %d
                      seed: 1
                    """.formatted(COMMAND, trials));
            Files.writeString(project.resolve("main.py"), "");
            bare(project, 10); // warm up process spawning
            study(project, workDir.resolve("warmup"), Math.min(trials, 20));
            double bare = bare(project, trials);
            double study = study(project, workDir.resolve("data"), trials);
            return new Result(trials, bare / trials, study / trials, (study - bare) / trials);
        } catch (IOException e) {
            throw new HoneException("benchmark could not write to " + workDir + ": " + e.getMessage(), e);
        }
    }

    private double bare(Path project, int runs) throws IOException {
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            Process p = new ProcessBuilder("sh", "-c", COMMAND).directory(project.toFile())
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HoneException("benchmark interrupted");
            }
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private double study(Path project, Path work, int trials) {
        DataDir dataDir = new DataDir(work);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try (Store store = app.store(dataDir)) {
            Pipeline pipeline = app.pipeline(store, dataDir, quiet, RunListener.NONE);
            long start = System.nanoTime();
            RunOutcome outcome = pipeline.run(new RunRequest(project, Spec.Executor.LOCAL, null, trials, 1, 1L));
            double ms = (System.nanoTime() - start) / 1e6;
            if (outcome.summary().trials().size() != trials) {
                throw new HoneException("benchmark study ran " + outcome.summary().trials().size() + " of " + trials
                        + " trials: " + Arrays.toString(outcome.summary().events().toArray()));
            }
            return ms;
        }
    }

    public static String report(Result r) {
        return String.format(Locale.ROOT, """
                local executor, %d trials of `%s`
                  bare command (a process per run):   %7.2f ms per run
                  as Hone trials (whole study):       %7.2f ms per trial
                  overhead Hone adds per trial:       %7.2f ms
                """, r.trials(), COMMAND, r.bareMsPerRun(), r.studyMsPerTrial(), r.overheadMsPerTrial());
    }
}
