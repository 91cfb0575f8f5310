package dev.hone.bench;

import dev.hone.data.DataDir;
import dev.hone.data.RunDir;
import dev.hone.data.TrialDir;
import dev.hone.error.HoneException;
import dev.hone.exec.Executor;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.SessionConfig;
import dev.hone.exec.slurm.SlurmExecutor;
import dev.hone.spec.ServerSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a trial costs on Slurm, side by side with the same trivial job: N trials one after another through a
 * {@link SlurmExecutor} session, N {@code sbatch --wait}, and N {@code sbatch} followed by {@code squeue} every 10 ms
 * until the job has ended (Slurm's own scheduling, without {@code sbatch --wait}'s polling). Each job writes the
 * time it started ({@code date +%s%N}), so submission to start is measured too.
 */
public final class SlurmBench {

    static final String COMMAND = "date +%s%N > \"$1\"; echo accuracy=0.5";

    /**
     * One way of running a trial: median and mean wall time per trial, median submission to start (Slurm's
     * scheduling and launch), and median start to the result known (the job's run and how soon its end is seen).
     */
    public record Way(String name, double medianMs, double meanMs, double startMs, double afterStartMs) {}

    public record Result(int trials, List<Way> ways) {

        public Way way(String name) {
            return ways.stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
        }

        public String report() {
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                    "Slurm per-trial cost: %d trials each way, one after another, a job that notes its start and"
                    + " prints accuracy=0.5 (medians but the mean)%n  %-36s %9s %9s %16s %16s%n", trials, "way",
                    "wall", "mean", "submit → start", "start → result"));
            for (Way w : ways) {
                text.append(String.format(Locale.ROOT, "  %-36s %6.0f ms %6.0f ms %13.0f ms %13.0f ms%n", w.name(),
                        w.medianMs(), w.meanMs(), w.startMs(), w.afterStartMs()));
            }
            Way hone = way(HONE);
            Way slurm = way(POLLED);
            text.append(String.format(Locale.ROOT, "  from a job's start to its result known, Hone adds %.0f ms over"
                    + " squeue every 10 ms and %.0f ms against sbatch --wait%n", hone.afterStartMs()
                    - slurm.afterStartMs(), hone.afterStartMs() - way(WAIT).afterStartMs()));
            return text.toString();
        }
    }

    public static final String HONE = "Hone trial (SlurmExecutor)";
    public static final String WAIT = "sbatch --wait";
    public static final String POLLED = "sbatch, then squeue every 10 ms";

    private final Map<String, String> env;

    /** @param env Hone's environment: its PATH finds sbatch */
    public SlurmBench(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** Measures {@code trials} trials each way, working in {@code workDir}, which the nodes must see. */
    public Result measure(int trials, Path workDir) {
        if (trials < 1) {
            throw new IllegalArgumentException("trials must be at least 1, got " + trials);
        }
        try {
            RunDir runDir = new DataDir(workDir).run(1);
            Path workspace = Files.createDirectories(runDir.workspace());
            Files.writeString(workspace.resolve("job.sh"), COMMAND + "\n");
            SlurmExecutor executor = new SlurmExecutor(env, Map.of("PATH", env.getOrDefault("PATH", "")),
                    ServerSpec.DEFAULT_LOG_SIZE, SlurmExecutor.Options.DEFAULTS);
            List<Way> ways = new ArrayList<>();
            try (Executor.Session session = executor.open(workspace, new SessionConfig("1", "bench", null, 1.0,
                    null, false, Map.of()))) {
                trial(session, runDir, workDir, 0); // warm: the first job of a run pays for nothing Hone does
                ways.add(way(HONE, trials, n -> trial(session, runDir, workDir, n)));
            }
            ways.add(way(WAIT, trials, n -> sbatch(workspace, workDir, n, true)));
            ways.add(way(POLLED, trials, n -> sbatch(workspace, workDir, n, false)));
            return new Result(trials, ways);
        } catch (IOException e) {
            throw new HoneException("slurm benchmark could not write to " + workDir + ": " + e.getMessage(), e);
        }
    }

    /** Wall time and the job's start, both in milliseconds from its submission. */
    private record Timing(double wallMs, double startMs) {}

    private interface Timed {
        Timing run(int n) throws IOException;
    }

    private static Way way(String name, int trials, Timed timed) throws IOException {
        List<Double> walls = new ArrayList<>();
        List<Double> starts = new ArrayList<>();
        List<Double> afterStarts = new ArrayList<>();
        for (int n = 1; n <= trials; n++) {
            Timing t = timed.run(n);
            walls.add(t.wallMs());
            starts.add(t.startMs());
            afterStarts.add(t.wallMs() - t.startMs());
        }
        return new Way(name, PruningBench.median(walls), walls.stream().mapToDouble(d -> d).average().orElse(0),
                PruningBench.median(starts), PruningBench.median(afterStarts));
    }

    private static Timing trial(Executor.Session session, RunDir runDir, Path workDir, int n) throws IOException {
        TrialDir dir = runDir.trial(n + 1);
        Files.createDirectories(dir.output());
        Path started = workDir.resolve("hone-" + n + ".start");
        long submittedAt = epochNanos();
        long start = System.nanoTime();
        ProcessResult result = session.run(new ProcessRequest("sh job.sh " + started, Map.of("HONE_TRIAL",
                Integer.toString(n + 1)), dir.log(), Duration.ofMinutes(1), line -> {}));
        double wall = (System.nanoTime() - start) / 1e6;
        if (!result.succeeded() || !result.tail().equals(List.of("accuracy=0.5"))) {
            throw new HoneException("slurm benchmark: a trial did not succeed: " + result);
        }
        return new Timing(wall, startedMs(started, submittedAt));
    }

    private Timing sbatch(Path workspace, Path workDir, int n, boolean wait) throws IOException {
        Path started = workDir.resolve((wait ? "wait-" : "polled-") + n + ".start");
        List<String> command = new ArrayList<>(List.of("sbatch", "--parsable", "--job-name=hone-bench-baseline",
                "--output=/dev/null", "--export=NONE", "--cpus-per-task=1", "--chdir=" + workspace,
                "--wrap=sh job.sh " + started));
        if (wait) {
            command.add(1, "--wait");
        }
        long submittedAt = epochNanos();
        long start = System.nanoTime();
        String id = run(command).strip().split(";", 2)[0];
        if (!wait) {
            while (!run(List.of("squeue", "-h", "-t", "all", "-j", id, "-o", "%T")).strip()
                    .matches("COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|")) {
                sleep(10);
            }
        }
        double wall = (System.nanoTime() - start) / 1e6;
        return new Timing(wall, startedMs(started, submittedAt));
    }

    private String run(List<String> command) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new HoneException("slurm benchmark: " + String.join(" ", command) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HoneException("slurm benchmark interrupted", e);
        }
        return out;
    }

    /** From submission to the start the job wrote; a job whose start file is missing counts 0. */
    private static double startedMs(Path started, long submittedAtEpochNanos) throws IOException {
        for (int i = 0; i < 100 && !Files.exists(started); i++) {
            sleep(10);
        }
        String text = Files.exists(started) ? Files.readString(started).strip() : "";
        return text.matches("\\d+") ? (Long.parseLong(text) - submittedAtEpochNanos) / 1e6 : 0;
    }

    private static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HoneException("slurm benchmark interrupted", e);
        }
    }
}
