package dev.hone.cli;

import dev.hone.App;
import dev.hone.pipeline.Bisection;
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

@Command(name = "bisect",
        description = "Finds the first commit between GOOD and BAD that made the model worse: trains each probed commit"
                + " once with the best parameters of GOOD's run (so only the code changed), binary search over BAD's"
                + " first-parent history.%n%nExit codes: 0 found; 2 bad usage (GOOD not run yet, not an ancestor,"
                + " BAD not worse).")
final class BisectCommand implements Callable<Integer> {

    private final App app;

    @Parameters(index = "0", paramLabel = "GOOD", description = "A commit whose run reached a good value (run it"
            + " first: bisect trains with its best parameters).")
    String good;

    @Parameters(index = "1", paramLabel = "BAD", description = "A later commit of the same branch that is worse.")
    String bad;

    @Parameters(index = "2", arity = "0..1", paramLabel = "DIR", defaultValue = ".",
            description = "The repository's work tree (default: the current directory).")
    Path dir;

    @Mixin
    DataOption data;

    @Option(names = "--executor", paramLabel = "KIND", converter = ExecutorKinds.class,
            completionCandidates = ExecutorKinds.class, description = "Where training runs: ${COMPLETION-CANDIDATES}.")
    Spec.Executor executor;

    @Option(names = "--tolerance", paramLabel = "X", defaultValue = "0",
            description = "How much worse than GOOD a commit may be and still count as good (default: 0).")
    double tolerance;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The installation's settings (hone-server.yaml): store, executor, limits.")
    Path config;

    BisectCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            app.err().println("hone: --tolerance must be a number, 0 or more, got " + tolerance);
            return 2;
        }
        Settings settings = Settings.load(app, config, data.data);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try (Store store = settings.openStore(app)) {
            Bisection bisection = new Bisection(store, request -> app.pipeline(store, settings.dataDir(), quiet,
                    RunListener.NONE, settings.server(), App.trialSlots(settings.server())).run(request), executor,
                    app.err());
            app.out().println(bisection.bisect(dir, good, bad, tolerance).message());
            return 0;
        }
    }
}
