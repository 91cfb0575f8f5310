package dev.hone.exec.kubernetes;

import dev.hone.exec.Executor;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.SessionConfig;
import dev.hone.exec.TrialContract;
import dev.hone.spec.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Kubernetes executor's figures in docs/benchmarks.md, on fabric8's mock API server and the stand-in kubelet
 * (both test code, so this is a test-classpath program rather than a {@code hone bench} command): Jobs created per
 * second with {@code parallel} trials at once, and Hone's overhead per trial over the same command run bare.
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) dev.hone.exec.kubernetes.KubernetesBench 100 20}
 */
public final class KubernetesBench {

    private KubernetesBench() {}

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int parallel = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path scratch = Files.createTempDirectory("hone-k8s-bench");
        try (MockCluster cluster = new MockCluster(scratch.resolve("kubelet"), Map.of())) {
            Path runDir = Files.createDirectories(scratch.resolve("data/runs/bench"));
            Path workspace = Files.createDirectories(runDir.resolve("workspace"));
            String command = "echo accuracy=0.5";
            long bare = bare(command, workspace, trials);
            KubernetesExecutor executor = cluster.executor(1000).configured(Spec.Kubernetes.DEFAULT, 0);
            try (Executor.Session session = executor.open(workspace, new SessionConfig("bench", "bench",
                    "hone/python", null, null, false, Map.of()))) {
                long start = System.nanoTime();
                for (int n = 1; n <= trials; n++) {
                    check(session.run(request(runDir, n, command)));
                }
                long sequential = System.nanoTime() - start;
                int before = cluster.jobPosts().size();
                ExecutorService pool = Executors.newFixedThreadPool(parallel);
                List<CompletableFuture<ProcessResult>> all = new ArrayList<>();
                long startParallel = System.nanoTime();
                for (int n = trials + 1; n <= 2 * trials; n++) {
                    ProcessRequest r = request(runDir, n, command);
                    all.add(CompletableFuture.supplyAsync(() -> session.run(r), pool));
                }
                for (CompletableFuture<ProcessResult> f : all) {
                    check(f.join());
                }
                long parallelWall = System.nanoTime() - startParallel;
                pool.shutdown();
                List<Instant> posts = cluster.jobPosts().subList(before, before + trials);
                double jobsPerSecond = (trials - 1) / (Duration.between(posts.getFirst(), posts.getLast())
                        .toNanos() / 1e9);
                System.out.printf("trials %d, parallel %d%n", trials, parallel);
                System.out.printf("bare command: %.1f ms per run%n", bare / 1e6 / trials);
                System.out.printf("one trial at a time: %.1f ms per trial, overhead %.1f ms%n",
                        sequential / 1e6 / trials, (sequential - bare) / 1e6 / trials);
                System.out.printf("%d at once: %.1f trials/s, Jobs created %.1f/s%n", parallel,
                        trials / (parallelWall / 1e9), jobsPerSecond);
            }
        }
        System.exit(0);
    }

    private static long bare(String command, Path workspace, int runs) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            new ProcessBuilder("sh", "-c", command)
                    .directory(workspace.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
        return System.nanoTime() - start;
    }

    private static ProcessRequest request(Path runDir, int n, String command) throws Exception {
        Path output = Files.createDirectories(runDir.resolve("trials/" + n + "/output"));
        Path params = output.resolveSibling("params.json");
        Files.writeString(params, "{}");
        return new ProcessRequest(command, TrialContract.environment(n, "bench", params, output, Map.of()),
                output.resolveSibling("train.log"), Duration.ofMinutes(5), line -> {});
    }

    private static void check(ProcessResult result) {
        if (!result.succeeded()) {
            throw new IllegalStateException("a trial failed: " + result);
        }
    }
}
