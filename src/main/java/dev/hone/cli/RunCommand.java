package dev.hone.cli;

import dev.hone.App;
import dev.hone.pipeline.RunRequest;
import dev.hone.spec.Spec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = {
        "Runs the whole pipeline once on a directory: environment, training, tuning until the target, notifications.",
        "Exit codes: 0 target reached (or, with no target, training succeeded); 1 target missed when the budget "
                + "ran out; 2 invalid configuration or usage; 3 training failed or the rebuild program failed; "
                + "130 interrupted."})
final class RunCommand implements Callable<Integer> {

    private final App app;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = ".",
            description = "A working copy or git checkout holding main.py or train.py (default: the current directory).")
    Path dir;

    @Mixin
    DataOption data;

    @Option(names = "--executor", paramLabel = "KIND", converter = ExecutorKinds.class,
            completionCandidates = ExecutorKinds.class, description = "Where training runs: ${COMPLETION-CANDIDATES}.")
    Spec.Executor executor;

    @Mixin
    JsonOut.RunSummary json;

    @Option(names = "--target", paramLabel = "X", description = "The metric's target (overrides metric.target).")
    Double target;

    @Option(names = "--max-trials", paramLabel = "N", description = "The trial budget (overrides tune.max_trials).")
    Integer maxTrials;

    @Option(names = "--parallel", paramLabel = "N", description = "Trials at once (overrides tune.parallel).")
    Integer parallel;

    @Option(names = "--seed", paramLabel = "N", description = "The tuner's seed (overrides tune.seed).")
    Long seed;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Installation settings (hone-server.yaml): store and notification channels.")
    Path config;

    @Option(names = "--dry-run", description = "Print what the executor would submit for the first trial (for "
            + "kubernetes: the Secret and Job manifests) and exit; nothing is recorded or started.")
    boolean dryRun;

    @Option(names = {"-q", "--quiet"}, description = "Print only the final result.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Also print the training's output as it runs, and how "
            + "local trials are isolated.")
    boolean verbose;

    RunCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        RunRequest request = new RunRequest(dir, executor, target, maxTrials, parallel, seed);
        if (dryRun) {
            return new Runs(app, data.data, config, quiet, verbose).dryRun(request);
        }
        return new Runs(app, data.data, config, quiet, verbose).execute(request, json.target());
    }
}
