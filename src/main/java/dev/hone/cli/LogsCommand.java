package dev.hone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.App;
import dev.hone.data.DataDir;
import dev.hone.error.HoneException;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.store.TrialRow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    @Mixin
    Remote.ServerOption server;

    LogsCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() throws Exception {
        if (server.server != null) {
            return remote(Remote.of(server.server, app.env()));
        }
        DataDir dataDir = app.dataDir(data.data);
        try (Store store = app.store(dataDir)) {
            RunRow run = runId != null
                    ? store.run(runId).orElseThrow(() -> new HoneException("no run " + runId + " in " + dataDir
                            + ": `hone runs` lists them"))
                    : store.runs(null, 1, 0).stream().findFirst().orElseThrow(() -> new HoneException(
                            "no runs yet in " + dataDir + ": start one with `hone run DIR`"));
            List<TrialRow> trials = store.trials(run.id());
            int number = trial(run.id(), run.status().live(), run.bestTrial(),
                    trials.stream().map(t -> t.trial().number()).toList());
            TrialRow trial = trials.stream().filter(t -> t.trial().number() == number).findFirst().orElseThrow();
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

    /** {@code hone logs --server URL}: the log through the API; a live one streamed (SSE) with --follow. */
    private int remote(Remote remote) throws IOException {
        long id = runId != null ? runId : remote.latestRun();
        JsonNode run = remote.run(id);
        boolean live = run.path("live").asBoolean();
        List<Integer> numbers = new ArrayList<>();
        run.path("trials").forEach(t -> numbers.add(t.get("number").asInt()));
        int number = trial(id, live, run.path("best").isObject() ? run.path("best").get("trial").asInt() : null,
                numbers);
        String path = "/api/runs/" + id + "/logs?trial=" + number;
        try (InputStream in = remote.stream(path, live && !follow ? Map.of("Range", "bytes=0-") : Map.of())) {
            if (in == null) {
                throw new HoneException("trial " + number + " of run " + id + " has no log on " + remote);
            }
            if (!live) {
                in.transferTo(app.out());
            } else if (follow) {
                events(in);
            } else {
                in.transferTo(app.out());
            }
            app.out().flush();
        }
        return 0;
    }

    /** Prints the lines of a log's event stream until its end event: the trial's ({@code trial_end}) or the run's. */
    private void events(InputStream in) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        boolean end = false;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.equals("event: end") || line.equals("event: trial_end")) {
                end = true;
            } else if (line.startsWith("data: ") && !end) {
                app.out().println(line.substring("data: ".length()));
                app.out().flush();
            } else if (line.isEmpty() && end) {
                return;
            }
        }
    }

    /**
     * The number of the trial asked for, or of the one a user means: the last of a live run (the one running), else
     * the best, else the last.
     */
    private int trial(long run, boolean live, Integer best, List<Integer> numbers) {
        if (numbers.isEmpty()) {
            throw new HoneException("run " + run + " has no trials" + (live ? " yet" : ""));
        }
        int last = numbers.stream().mapToInt(Integer::intValue).max().orElseThrow();
        int wanted = trialNumber != null ? trialNumber : !live && best != null ? best : last;
        if (!numbers.contains(wanted)) {
            throw new HoneException("run " + run + " has no trial " + wanted + ": its trials are "
                    + (numbers.size() == 1 ? "1" : "1 to " + last) + " (`hone trials " + run + "`)");
        }
        return wanted;
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
