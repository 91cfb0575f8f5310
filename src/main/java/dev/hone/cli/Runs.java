package dev.hone.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hone.App;
import dev.hone.data.DataDir;
import dev.hone.exec.LocalExecutor;
import dev.hone.pipeline.DiskSpace;
import dev.hone.pipeline.Pipeline;
import dev.hone.pipeline.RunOutcome;
import dev.hone.pipeline.RunListener;
import dev.hone.pipeline.RunRequest;
import dev.hone.pipeline.Summary;
import dev.hone.run.Notifiable;
import dev.hone.run.RunStatus;
import dev.hone.store.Store;
import dev.hone.tune.ParamText;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs one pipeline for {@code hone run} and {@code hone demo}: progress, Ctrl-C, the table, the JSON summary. */
final class Runs {

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final App app;
    private final Path dataFlag;
    private final Path config;
    private final boolean quiet;
    private final boolean verbose;

    Runs(App app, Path dataFlag, Path config, boolean quiet, boolean verbose) {
        this.app = app;
        this.dataFlag = dataFlag;
        this.config = config;
        this.quiet = quiet;
        this.verbose = verbose;
    }

    /**
     * @param json where the summary goes (null: nowhere); when it is standard output, what the run prints for people
     *             goes to standard error, so standard output holds the JSON alone
     */
    /** {@code hone run --dry-run}: what the run's executor would submit, printed; exit 0. */
    int dryRun(RunRequest request) {
        Settings settings = Settings.load(app, config, dataFlag);
        try (Store store = settings.openStore(app)) {
            Pipeline pipeline = app.pipeline(store, settings.dataDir(), app.err(), RunListener.NONE,
                    settings.server(), App.trialSlots(settings.server()));
            app.out().print(pipeline.dryRun(request));
            return 0;
        }
    }

    int execute(RunRequest request, Path json) {
        Settings settings = Settings.load(app, config, dataFlag);
        DataDir dataDir = settings.dataDir();
        PrintStream human = JsonOut.toStdout(json) ? app.err() : app.out();
        PrintStream console = quiet ? new PrintStream(OutputStream.nullOutputStream()) : human;
        try (Progress progress = new Progress(console, System.console() != null && human == System.out,
                verbose && !quiet); Store store = settings.openStore(app)) {
            if (verbose && !quiet) {
                console.println(LocalExecutor.isolation());
                console.println(app.gpus(settings.server()).describe());
            }
            Pipeline pipeline = app.pipeline(store, dataDir, console, progress, settings.server(),
                    App.trialSlots(settings.server()));
            CountDownLatch done = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                pipeline.cancel();
                awaitQuietly(done);
            }, "hone-interrupt");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                RunOutcome outcome = pipeline.run(request);
                report(outcome, console, human, json, dataDir);
                return outcome.exitCode();
            } finally {
                done.countDown();
                removeQuietly(hook);
            }
        } catch (RuntimeException e) {
            if (!DiskSpace.exhausted(e)) {
                throw e;
            }
            app.err().println("hone: " + DiskSpace.noSpaceOn(dataDir) + ": the run could not be recorded in full ("
                    + e.getMessage() + "); free space there, then run again");
            return RunStatus.FAILED.exitCode();
        }
    }

    /** The trial table, then one line that says how the run ended, then where its model is when it made one. */
    private void report(RunOutcome outcome, PrintStream console, PrintStream human, Path json, DataDir dataDir) {
        Summary s = outcome.summary();
        if (json != null) {
            JsonOut.write(app.out(), json, s);
        }
        if (s.status() == RunStatus.INVALID_CONFIG) {
            app.err().println("hone: invalid configuration:");
            s.problems().forEach(p -> app.err().println("  " + p));
            return;
        }
        console.println();
        Tables.trials(console, s);
        human.println(verdict(outcome));
        Path model = dataDir.model(s.project());
        if ((s.status() == RunStatus.TARGET_REACHED || s.status() == RunStatus.SUCCEEDED) && Files.isDirectory(model)) {
            human.println("model: " + model);
        }
    }

    /**
     * The run's outcome in one line, the best trial's parameters exact (to be copied), and for a missed target why
     * the study stopped.
     */
    static String verdict(RunOutcome outcome) {
        Summary s = outcome.summary();
        long runId = outcome.runId();
        String metric = s.metric() == null ? "" : s.metric().name();
        String best = s.best() == null ? "none" : metric + " " + Tables.number(s.best().value());
        String with = s.best() == null || s.best().params().isEmpty() ? ""
                : " with " + ParamText.exact(s.best().params());
        int trials = s.trials().size();
        return switch (s.status()) {
            case TARGET_REACHED -> "target reached: " + best + " in trial " + s.best().trial() + " of " + trials + with
                    + " (run " + runId + ")";
            case TARGET_MISSED -> "target missed: best " + best + " after " + trials + (trials == 1 ? " trial" : " trials")
                    + with + " (" + (outcome.stoppedBecause() == null ? "" : outcome.stoppedBecause() + "; ")
                    + "run " + runId + ")";
            case SUCCEEDED -> "training succeeded: " + best + with + " (run " + runId + ")";
            case CANCELLED -> "run " + runId + " cancelled";
            default -> failed(s) + " (run " + runId + "; logs: hone trials " + runId + ")";
        };
    }

    /**
     * What failed, in the words of the run's first event without the project's name: training ("training failed in
     * trial 3: …", "training could not start: …"), or the rebuild program.
     */
    private static String failed(Summary s) {
        if (s.events().isEmpty()) {
            return "training failed";
        }
        Summary.Event first = s.events().get(0);
        String project = s.project() + ": ";
        String what = first.message().startsWith(project) ? first.message().substring(project.length())
                : first.message();
        return Notifiable.REBUILD_FAILED.type().equals(first.type()) ? "rebuild failed: " + what : what;
    }

    private static void awaitQuietly(CountDownLatch done) {
        try {
            done.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeQuietly(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting (Ctrl-C): the hook is already running and waits for us
        }
    }
}
