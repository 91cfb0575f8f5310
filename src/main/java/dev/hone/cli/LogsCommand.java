package dev.hone.cli;

import dev.hone.App;
import dev.hone.data.DataDir;
import dev.hone.error.HoneException;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.store.TrialRow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hone logs [RUN] [--trial N] [--follow]}: a trial's {@code train.log}. RUN defaults to the latest run in the
 * store (as {@code hone trials}); the trial to the one running while the run is live, else the run's best, else its
 * last. {@code --follow} prints what the trial writes until it ends.
 */
@Command(name = "logs", description = "Prints a trial's log (default: the latest run; its running trial while it "
        + "runs, else its best, else its last); --follow prints what it writes until it ends.")
final class LogsCommand implements Callable<Integer> {

    private static final long POLL_MS = 200;

    private final App app;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "The run's id (see `hone runs`).")
    Long runId;

    @Option(names = "--trial", paramLabel = "N", description = "The trial's number (see `hone trials RUN`).")
    Integer trialNumber;

    @Option(names = {"-f", "--follow"}, description = "Keep printing what the trial writes until it ends.")
    boolean follow;

    @Mixin
    DataOption data;

    LogsCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() throws Exception {
        DataDir dataDir = app.dataDir(data.data);
        try (Store store = app.store(dataDir)) {
            RunRow run = runId != null
                    ? store.run(runId).orElseThrow(() -> new HoneException("no run " + runId + " in " + dataDir
                            + ": `hone runs` lists them"))
                    : store.runs(null, 1, 0).stream().findFirst().orElseThrow(() -> new HoneException(
                            "no runs yet in " + dataDir + ": start one with `hone run DIR`"));
            TrialRow trial = trial(run, store.trials(run.id()));
            int number = trial.trial().number();
            Path log = trial.logPath() != null ? Path.of(trial.logPath()) : dataDir.run(run.id()).trial(number).log();
            long printed = 0;
            while (true) {
                boolean ended = ended(store, run.id(), number);
                printed = copy(log, printed);
                if (!follow || ended) {
                    break;
                }
                Thread.sleep(POLL_MS);
            }
            if (printed == 0 && !Files.isRegularFile(log)) {
                throw new HoneException("trial " + number + " of run " + run.id() + " has no log (" + log + ")");
            }
            return 0;
        }
    }

    /** The trial asked for, or the one a user means: the running one of a live run, else the best, else the last. */
    private TrialRow trial(RunRow run, List<TrialRow> trials) {
        if (trials.isEmpty()) {
            throw new HoneException("run " + run.id() + " has no trials" + (run.status().live() ? " yet" : ""));
        }
        Optional<TrialRow> last = trials.stream().max(Comparator.comparingInt(t -> t.trial().number()));
        Integer wanted = trialNumber != null ? trialNumber
                : !run.status().live() && run.bestTrial() != null ? run.bestTrial()
                : Integer.valueOf(last.get().trial().number());
        return trials.stream().filter(t -> t.trial().number() == wanted).findFirst()
                .orElseThrow(() -> new HoneException("run " + run.id() + " has no trial " + wanted + ": its trials are "
                        + (trials.size() == 1 ? "1" : "1 to " + last.get().trial().number())
                        + " (`hone trials " + run.id() + "`)"));
    }

    /** Whether the trial (or its run) has ended, so its log grows no more. */
    private static boolean ended(Store store, long runId, int number) {
        boolean runLive = store.run(runId).map(r -> r.status().live()).orElse(false);
        return !runLive || store.trials(runId).stream().filter(t -> t.trial().number() == number)
                .anyMatch(t -> t.trial().state().finished());
    }

    /** Prints the log from byte {@code from} on; returns where it got to. */
    private long copy(Path log, long from) throws IOException {
        if (!Files.isRegularFile(log)) {
            return from;
        }
        try (SeekableByteChannel channel = Files.newByteChannel(log)) {
            channel.position(from);
            InputStream in = Channels.newInputStream(channel);
            long copied = in.transferTo(app.out());
            app.out().flush();
            return from + copied;
        }
    }
}
