package dev.hone.bench;

import dev.hone.data.DataDir;
import dev.hone.data.RunDir;
import dev.hone.data.TrialDir;
import dev.hone.error.HoneException;
import dev.hone.exec.Executor;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.SessionConfig;
import dev.hone.exec.TrialContract;
import dev.hone.exec.kubernetes.KubernetesExecutor;
import dev.hone.exec.kubernetes.KubernetesExecutor.JobTimes;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.ToDoubleFunction;

/**
 * What a trial costs as a Kubernetes Job, on the cluster the executor is given, each repeat in two parts: N trials
 * with P at once, through the executor's rate-limited path, for the Jobs created per second (the first to the last
 * creation Hone's client saw return); then N trials one at a time, for Hone's overhead per trial = the trial's wall
 * time as Hone sees it ({@code run} called to returned: Secret and Job created, the informers' events, the pod's log,
 * the foreground deletion waited out) minus the container's own run time, from the start and finish times the API
 * reports for it (which include the pod fetching the workspace and sending its output back).
 */
public final class KubernetesBench {

    static final String COMMAND = "echo accuracy=0.5";

    /** One repeat: Jobs created per second with P at once; medians, one trial at a time, in milliseconds. */
    public record Repeat(double jobsPerSecond, double wallMs, double containerMs, double overheadMs) {}

    public record Result(String cluster, String image, int trials, int parallel, List<Repeat> repeats) {

        public String report() {
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                    "Kubernetes: %s, image %s, command `%s`%n"
                    + "  each repeat: %d trials with %d at once (Jobs created per second), then %d one at a time"
                    + " (per trial, medians)%n"
                    + "  %-8s %10s %12s %12s %12s%n", cluster, image, COMMAND, trials, parallel, trials, "repeat",
                    "Jobs/s", "trial wall", "container", "overhead"));
            for (int i = 0; i < repeats.size(); i++) {
                Repeat r = repeats.get(i);
                text.append(row(Integer.toString(i + 1), r.jobsPerSecond(), r.wallMs(), r.containerMs(),
                        r.overheadMs()));
            }
            text.append(row("median", median(Repeat::jobsPerSecond), median(Repeat::wallMs),
                    median(Repeat::containerMs), median(Repeat::overheadMs)));
            text.append(String.format(Locale.ROOT, "  spread over %d repeats: Jobs/s %.1f–%.1f, overhead %.0f–%.0f ms%n",
                    repeats.size(), min(Repeat::jobsPerSecond), max(Repeat::jobsPerSecond), min(Repeat::overheadMs),
                    max(Repeat::overheadMs)));
            return text.toString();
        }

        public double median(ToDoubleFunction<Repeat> figure) {
            return PruningBench.median(repeats.stream().map(figure::applyAsDouble).toList());
        }

        private double min(ToDoubleFunction<Repeat> figure) {
            return repeats.stream().mapToDouble(figure).min().orElseThrow();
        }

        private double max(ToDoubleFunction<Repeat> figure) {
            return repeats.stream().mapToDouble(figure).max().orElseThrow();
        }

        private static String row(String name, double jobs, double wall, double container, double overhead) {
            return String.format(Locale.ROOT, "  %-8s %8.1f/s %9.0f ms %9.0f ms %9.0f ms%n", name, jobs, wall,
                    container, overhead);
        }
    }

    private final KubernetesExecutor executor;
    private final Map<String, JobTimes> times = new ConcurrentHashMap<>();

    /** @param executor the cluster's executor ({@code environment.kubernetes} applied) */
    public KubernetesBench(KubernetesExecutor executor) {
        this.executor = executor.timed(t -> times.put(t.job(), t));
    }

    /**
     * On the cluster of the usual kubeconfig ({@code KUBECONFIG} in {@code env}, else {@code ~/.kube/config}, else
     * the pod's service account), in {@code namespace} (null: the kubeconfig's), with the transfer endpoint and Job
     * rate of {@code HONE_KUBERNETES_*} as {@code hone serve} has them.
     */
    public static KubernetesBench onCluster(Map<String, String> env, String namespace) {
        return new KubernetesBench(KubernetesExecutor.fromEnvironment(env, ServerSpec.DEFAULT_LOG_SIZE).configured(
                new Spec.Kubernetes(namespace, null, null, null, null, null, null), 0));
    }

    /** Measures {@code repeat} times on {@code image}, working in {@code workDir} (a new directory). */
    public Result measure(String image, int trials, int parallel, int repeat, Path workDir) {
        if (trials < 2 || parallel < 1 || repeat < 1) {
            throw new IllegalArgumentException("trials must be at least 2, parallel and repeat at least 1; got trials "
                    + trials + ", parallel " + parallel + ", repeat " + repeat);
        }
        String cluster = executor.reach();
        RunDir runDir = new DataDir(workDir).run(1);
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try (Executor.Session session = executor.open(Files.createDirectories(runDir.workspace()),
                new SessionConfig("bench", "bench", image, null, null, false, Map.of()))) {
            List<Repeat> repeats = new ArrayList<>();
            int number = 0;
            for (int r = 0; r < repeat; r++) {
                List<CompletableFuture<Void>> atOnce = new ArrayList<>();
                times.clear();
                for (int i = 0; i < trials; i++) {
                    ProcessRequest request = request(runDir, ++number);
                    atOnce.add(CompletableFuture.runAsync(() -> trial(session, request), pool));
                }
                atOnce.forEach(CompletableFuture::join);
                List<Instant> created = times.values().stream().map(JobTimes::created).sorted().toList();
                if (created.size() < trials) {
                    throw new HoneException("kubernetes benchmark: the API reported the containers' start and finish"
                            + " of only " + created.size() + " of " + trials + " Jobs");
                }
                double jobsPerSecond = (created.size() - 1)
                        / (Duration.between(created.getFirst(), created.getLast()).toNanos() / 1e9);
                List<Double> wall = new ArrayList<>();
                List<Double> container = new ArrayList<>();
                List<Double> overhead = new ArrayList<>();
                for (int i = 0; i < trials; i++) {
                    times.clear();
                    ProcessRequest request = request(runDir, ++number);
                    double ms = trial(session, request);
                    JobTimes job = times.values().stream().findFirst().orElseThrow(() -> new HoneException(
                            "kubernetes benchmark: the API did not report when trial " + request.env().get("HONE_TRIAL")
                            + "'s container started and finished"));
                    double inPod = job.containerTime().toNanos() / 1e6;
                    wall.add(ms);
                    container.add(inPod);
                    overhead.add(ms - inPod);
                }
                repeats.add(new Repeat(jobsPerSecond, PruningBench.median(wall), PruningBench.median(container),
                        PruningBench.median(overhead)));
            }
            return new Result(cluster, image, trials, parallel, repeats);
        } catch (IOException e) {
            throw new HoneException("kubernetes benchmark could not write to " + workDir + ": " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static ProcessRequest request(RunDir runDir, int number) {
        TrialDir dir = runDir.trial(number);
        try {
            Path output = Files.createDirectories(dir.output());
            Files.writeString(dir.params(), "{}");
            return new ProcessRequest(COMMAND, TrialContract.environment(number, "bench", dir.params(), output,
                    Map.of()), dir.log(), Duration.ofMinutes(10), line -> {});
        } catch (IOException e) {
            throw new HoneException("kubernetes benchmark could not write trial " + number + "'s directory "
                    + dir.output() + ": " + e.getMessage(), e);
        }
    }

    /** Runs one trial and returns its wall time in milliseconds; a failed trial ends the benchmark saying why. */
    private double trial(Executor.Session session, ProcessRequest request) {
        long start = System.nanoTime();
        ProcessResult result = session.run(request);
        double ms = (System.nanoTime() - start) / 1e6;
        if (!result.succeeded()) {
            throw new HoneException("kubernetes benchmark: trial " + request.env().get("HONE_TRIAL") + " failed: "
                    + result.detail());
        }
        return ms;
    }
}
