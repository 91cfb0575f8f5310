package dev.hone.cli;

import dev.hone.App;
import dev.hone.pipeline.Reproduction;
import dev.hone.pipeline.RunListener;
import dev.hone.spec.Spec;
import dev.hone.store.Store;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "reproduce",
        description = "Trains trial TRIAL of run RUN again, exactly (its commit, hone.yaml, parameters and seed), in a"
                + " fresh workspace, and says whether the value is the same.%n%nExit codes: 0 the same value; 1 another"
                + " value; 2 no such run or trial, or no record to reproduce it from.")
final class ReproduceCommand implements Callable<Integer> {

    private final App app;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run's id (see `hone runs`).")
    long run;

    @Parameters(index = "1", paramLabel = "TRIAL", description = "The trial's number (see `hone trials RUN`).")
    int trial;

    @Mixin
    DataOption data;

    @Option(names = "--executor", paramLabel = "KIND", converter = ExecutorKinds.class,
            completionCandidates = ExecutorKinds.class, description = "Where training runs: ${COMPLETION-CANDIDATES}"
            + " (default: as the run's hone.yaml says).")
    Spec.Executor executor;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The installation's settings (hone-server.yaml): store, executor, limits.")
    Path config;

    ReproduceCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        Settings settings = Settings.load(app, config, data.data);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try (Store store = settings.openStore(app)) {
            Reproduction.Result result = Reproduction.reproduce(store, settings.dataDir(), run, trial,
                    request -> app.pipeline(store, settings.dataDir(), quiet, RunListener.NONE, settings.server(),
                            App.trialSlots(settings.server())).run(request), executor, app.err());
            app.out().println(result.message());
            return result.same() ? 0 : 1;
        }
    }
}
