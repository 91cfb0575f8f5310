package dev.hone.bench;

import dev.hone.data.DataDir;
import dev.hone.data.RunDir;
import dev.hone.data.TrialDir;
import dev.hone.error.HoneException;
import dev.hone.exec.Executor;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.SessionConfig;
import dev.hone.exec.docker.Docker;
import dev.hone.exec.docker.DockerEngine;
import dev.hone.exec.docker.DockerExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a trial costs on Docker, measured side by side in one invocation on one image with the same trivial
 * command: N trials through a {@link DockerExecutor} session (one workspace container, the agent starts each),
 * N {@code docker exec}, N fresh {@code docker run --rm IMAGE sh -c COMMAND} (the docker CLI) and N fresh
 * containers through the Engine API (create, start, wait, logs, remove). Overhead = the median wall time per trial
 * minus the command's own time inside the container (a loop of N {@code sh -c COMMAND} in one trial).
 */
public final class DockerOverheadBench {

    static final String COMMAND = "echo accuracy=0.5";

    /** One way of running a trial: its median and mean wall time, and the overhead over the bare command. */
    public record Way(String name, double medianMs, double meanMs, double overheadMs) {}

    public record Result(String image, int trials, double openMs, double commandMs, List<Way> ways) {

        /** The way named {@code name}'s figures. */
        public Way way(String name) {
            return ways.stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
        }

        public String report() {
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                    "Docker per-trial overhead: image %s, %d trials each way, command `%s`%n"
                    + "  workspace container started in %.0f ms (once per run)%n"
                    + "  the command itself inside the container: %.1f ms%n"
                    + "  %-52s %9s %9s %9s%n", image, trials, COMMAND, openMs, commandMs, "way", "median",
                    "mean", "overhead"));
            for (Way w : ways) {
                text.append(String.format(Locale.ROOT, "  %-52s %6.1f ms %6.1f ms %6.1f ms%n", w.name(), w.medianMs(),
                        w.meanMs(), w.overheadMs()));
            }
            return text.toString();
        }
    }

    public static final String SESSION = "Hone trial in the workspace container (agent)";
    public static final String EXEC = "docker exec per trial (CLI)";
    public static final String RUN_CLI = "fresh docker run --rm per trial (CLI)";
    public static final String RUN_API = "fresh container per trial (Engine API)";

    private final Map<String, String> env;

    /** @param env where the daemon is, usually {@code System.getenv()} */
    public DockerOverheadBench(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** Measures {@code trials} trials each way on {@code image}, working in {@code workDir} (a new directory). */
    public Result measure(String image, int trials, Path workDir) {
        if (trials < 1) {
            throw new IllegalArgumentException("trials must be at least 1, got " + trials);
        }
        try {
            RunDir runDir = new DataDir(workDir).run(1);
            Path workspace = Files.createDirectories(runDir.workspace());
            List<Way> ways = new ArrayList<>();
            long start = System.nanoTime();
            try (Executor.Session session = new DockerExecutor(env).open(workspace,
                    new SessionConfig("bench", "bench", image, null, null, false, Map.of()))) {
                double openMs = (System.nanoTime() - start) / 1e6;
                for (int i = 0; i < 5; i++) {
                    trial(session, runDir, -i);
                }
                double commandMs = commandMs(session, trials);
                double[] times = new double[trials];
                for (int i = 0; i < trials; i++) {
                    times[i] = trial(session, runDir, i + 1);
                }
                ways.add(way(SESSION, times, commandMs));
                String container = DockerEngine.containerOf(session);
                if (cli()) {
                    ways.add(way(EXEC, repeat(trials, i -> cli("exec", container, "sh", "-c", COMMAND)), commandMs));
                    ways.add(way(RUN_CLI, repeat(trials, i -> cli(run(image, i))), commandMs));
                }
                try (DockerEngine engine = new DockerEngine(env, Duration.ofSeconds(60))) {
                    ways.add(way(RUN_API, repeat(trials, i -> {
                        DockerEngine.OneOff ended = engine.runOnce(image, COMMAND, labels(i));
                        check(ended.exitCode() == 0 && ended.output().strip().equals("accuracy=0.5"),
                                "a fresh container", ended.toString());
                    }), commandMs));
                }
                return new Result(image, trials, openMs, commandMs, ways);
            }
        } catch (IOException e) {
            throw new HoneException("docker benchmark could not write to " + workDir + ": " + e.getMessage(), e);
        }
    }

    private static double trial(Executor.Session session, RunDir runDir, int number) throws IOException {
        TrialDir dir = runDir.trial(number);
        Path output = Files.createDirectories(dir.output());
        Path params = dir.params();
        Files.writeString(params, "{}");
        long start = System.nanoTime();
        ProcessResult result = session.run(new ProcessRequest(COMMAND, Map.of("HONE_OUTPUT", output.toString(),
                "HONE_PARAMS", params.toString(), "HONE_TRIAL", Integer.toString(number), "HONE_RUN", "bench"),
                dir.log(), Duration.ofMinutes(1), line -> {}));
        double ms = (System.nanoTime() - start) / 1e6;
        check(result.succeeded() && result.tail().equals(List.of("accuracy=0.5")), "a trial", result.toString());
        return ms;
    }

    /** The command's own time in the container: N of them in a loop, timed inside. */
    private static double commandMs(Executor.Session session, int n) {
        String loop = "i=0; s=$(date +%s%N); while [ $i -lt " + n + " ]; do sh -c '" + COMMAND + "' >/dev/null;"
                + " i=$((i+1)); done; e=$(date +%s%N); echo $(( (e - s) / 1000 ))";
        ProcessResult result = session.run(new ProcessRequest(loop, Map.of(), null, Duration.ofMinutes(5), l -> {}));
        check(result.succeeded() && !result.tail().isEmpty(), "the command loop", result.toString());
        return Long.parseLong(result.tail().getLast().strip()) / 1000.0 / n;
    }

    private interface Timed {
        void run(int i) throws Exception;
    }

    private static double[] repeat(int n, Timed body) {
        double[] times = new double[n];
        for (int i = 0; i < n; i++) {
            long start = System.nanoTime();
            try {
                body.run(i + 1);
            } catch (Exception e) {
                throw new HoneException("docker benchmark: " + e.getMessage(), e);
            }
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        return times;
    }

    private static Way way(String name, double[] times, double commandMs) {
        double[] sorted = times.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        double mean = Arrays.stream(times).average().orElse(0);
        return new Way(name, median, mean, median - commandMs);
    }

    private boolean cli() {
        try {
            return new ProcessBuilder("docker", "version", "--format", "{{.Client.Version}}")
                    .redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DOCKER_HOST", Docker.host(env));
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        check(p.waitFor() == 0 && out.equals("accuracy=0.5"), "docker " + args[0], out);
    }

    /** The labels of a bench trial's container, so that Hone's clean-up finds one left behind. */
    private static Map<String, String> labels(int trial) {
        return DockerEngine.trialLabels("bench", "bench", trial);
    }

    /** {@code docker run --rm} of the command, with the labels of {@link #labels}. */
    private static String[] run(String image, int trial) {
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--network", "none"));
        labels(trial).forEach((key, value) -> args.addAll(List.of("--label", key + "=" + value)));
        args.addAll(List.of(image, "sh", "-c", COMMAND));
        return args.toArray(String[]::new);
    }

    private static void check(boolean ok, String what, String got) {
        if (!ok) {
            throw new HoneException("docker benchmark: " + what + " did not print accuracy=0.5 and succeed: " + got);
        }
    }
}
