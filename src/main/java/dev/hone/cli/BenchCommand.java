package dev.hone.cli;

import dev.hone.App;
import dev.hone.bench.DashboardBench;
import dev.hone.bench.DockerOverheadBench;
import dev.hone.bench.FetchBench;
import dev.hone.bench.KubernetesBench;
import dev.hone.bench.LogBench;
import dev.hone.bench.OverheadBench;
import dev.hone.bench.RelaunchBench;
import dev.hone.bench.SlurmBench;
import dev.hone.bench.SuggestionBench;
import dev.hone.bench.TuningBench;
import dev.hone.bench.WebhookBench;
import dev.hone.data.DataDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", description = "Measures Hone itself; the figures belong in docs/benchmarks.md.",
        subcommands = {BenchCommand.Overhead.class, BenchCommand.Tuning.class, BenchCommand.Suggestion.class,
                BenchCommand.Webhook.class,
                BenchCommand.DockerOverhead.class, BenchCommand.Relaunch.class, BenchCommand.Fetch.class,
                BenchCommand.Logs.class, BenchCommand.Slurm.class, BenchCommand.Kubernetes.class,
                BenchCommand.Dashboard.class})
final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs a measurement in a scratch directory that is deleted afterwards (whatever it left there). */
    static int inScratch(String prefix, Consumer<Path> measurement) throws IOException {
        return inScratch(null, prefix, measurement);
    }

    /** As {@link #inScratch(String, Consumer)}, the scratch directory in {@code parent} (null: the temporary one). */
    static int inScratch(Path parent, String prefix, Consumer<Path> measurement) throws IOException {
        Path work = parent == null ? Files.createTempDirectory(prefix)
                : Files.createTempDirectory(Files.createDirectories(parent), prefix);
        try {
            measurement.accept(work);
            return 0;
        } finally {
            try {
                DataDir.delete(work);
            } catch (IOException e) {
                // a scratch directory in the temporary directory: what is left there does no harm
            }
        }
    }

    @Command(name = "overhead", description = "Per-trial orchestration overhead of the local executor.")
    static final class Overhead implements Callable<Integer> {

        private final App app;

        @Option(names = "--trials", defaultValue = "100", description = "Trials to measure (default 100).")
        int trials;

        Overhead(App app) {
            this.app = app;
        }

        @Override
        public Integer call() throws IOException {
            return inScratch("hone-bench-", work ->
                    app.out().print(OverheadBench.report(new OverheadBench(app).measure(trials, work))));
        }
    }

    @Command(name = "tuning", description = "Trials to reach a target: Hone's samplers beside Optuna's (with --optuna),"
            + " suggestion latency, parallel trials, early stopping.")
    static final class Tuning implements Callable<Integer> {

        private final App app;

        @Option(names = "--seeds", defaultValue = "10", description = "Seeds per sampler and problem (default 10).")
        int seeds;

        @Option(names = "--budget", defaultValue = "150", description = "Trials per study (default 150).")
        int budget;

        @Option(names = "--optuna",
                description = "Also run Optuna's side (bench/optuna_side.py with /usr/bin/python3).")
        boolean optuna;

        @Option(names = "--optuna-script", defaultValue = "bench/optuna_side.py",
                description = "Optuna's side script (default bench/optuna_side.py).")
        Path optunaScript;

        @Option(names = "--problems", split = ",",
                defaultValue = "branin,hartmann6,svc_digits,mixed,levy8,noisy,conditional,warm_hartmann6",
                description = "Problems (default branin,hartmann6,svc_digits,mixed,levy8,noisy,conditional,"
                        + "warm_hartmann6).")
        List<String> problems;

        @Option(names = "--samplers", split = ",", defaultValue = "random,tpe,tpe-multivariate,bayes,auto",
                description = "Hone's samplers (default random,tpe,tpe-multivariate,bayes,auto).")
        List<String> samplers;

        @Option(names = "--no-extras", description = "Only the trials-to-target table.")
        boolean noExtras;

        Tuning(App app) {
            this.app = app;
        }

        @Override
        public Integer call() {
            TuningBench.Options options = new TuningBench.Options(seeds, budget, problems, samplers,
                    optuna ? optunaScript : null, !noExtras);
            app.out().print(new TuningBench(app.err()).report(options));
            return 0;
        }
    }

    @Command(name = "suggestion", description = "How long a sampler takes to choose the next trial with a long"
            + " history: median, 95th percentile and maximum per space, up to 20 model coordinates.")
    static final class Suggestion implements Callable<Integer> {

        private final App app;

        @Option(names = "--trials", defaultValue = "200", description = "Finished trials in the history (default 200).")
        int trials;

        @Option(names = "--repeats", defaultValue = "40", description = "Timed calls per space and history (default 40).")
        int repeats;

        @Option(names = "--samplers", split = ",", defaultValue = "bayes,auto",
                description = "Hone's samplers (default bayes,auto).")
        List<String> samplers;

        Suggestion(App app) {
            this.app = app;
        }

        @Override
        public Integer call() {
            app.out().print(SuggestionBench.report(samplers, trials, repeats, app.err()));
            return 0;
        }
    }

    @Command(name = "webhook", description = "Push-to-training-start latency through a webhook, and the cost of an "
            + "idle poll (hone serve on 127.0.0.1, a local bare repository, the git command line).")
    static final class Webhook implements Callable<Integer> {

        private final App app;

        @Option(names = "--pushes", defaultValue = "20", description = "Pushes to measure (default 20).")
        int pushes;

        @Option(names = "--polls", defaultValue = "50", description = "Idle polls to measure (default 50).")
        int polls;

        Webhook(App app) {
            this.app = app;
        }

        @Override
        public Integer call() throws IOException {
            return inScratch("hone-bench-webhook-", work -> app.out().print(WebhookBench.report(
                    new WebhookBench(app).measure(pushes, polls, work))));
        }
    }

    @Command(name = "docker", description = "Per-trial overhead in the workspace container against a fresh "
            + "`docker run` (and `docker exec`) per trial, side by side on one image.")
    static final class DockerOverhead implements Callable<Integer> {

        private final App app;

        @Option(names = "--trials", defaultValue = "30", description = "Trials per way (default 30).")
        int trials;

        @Option(names = "--image", defaultValue = "hone/python", description = "The image (default hone/python).")
        String image;

        DockerOverhead(App app) {
            this.app = app;
        }

        @Override
        public Integer call() throws IOException {
            return inScratch("hone-bench-docker-", work -> app.out().print(
                    new DockerOverheadBench(app.env()).measure(image, trials, work).report()));
        }
    }

    @Command(name = "relaunch", description = "Crash-to-relaunch latency of a run's workspace container: docker kill"
            + " while a trial trains, until the container started in its place is ready (median of N).")
    static final class Relaunch implements Callable<Integer> {

        private final App app;

        @Option(names = "--kills", defaultValue = "20", description = "Crashes to measure (default 20).")
        int kills;

        @Option(names = "--image", defaultValue = "hone/python", description = "The image (default hone/python).")
        String image;

        Relaunch(App app) {
            this.app = app;
        }

        @Override
        public Integer call() throws IOException {
            return inScratch("hone-bench-relaunch-", work -> app.out().print(
                    new RelaunchBench(app.env()).measure(image, kills, work).report()));
        }
    }

    @Command(name = "fetch", description = "What a run costs to fetch from a repository with a long history: the whole "
            + "history, the branch head alone (shallow), one commit by SHA (a local bare repository of N commits).")
    static final class Fetch implements Callable<Integer> {

        private final App app;

        @Option(names = "--commits", defaultValue = "10000", description = "Commits in the history (default 10000).")
        int commits;

        @Option(names = "--repeat", defaultValue = "5", description = "Fetches per way (default 5).")
        int repeat;

        Fetch(App app) {
            this.app = app;
        }

        @Override
        public Integer call() throws IOException {
            return inScratch("hone-bench-fetch-", work -> app.out().print(FetchBench.report(
                    new FetchBench(app.env()).measure(commits, repeat, work))));
        }
    }

    @Command(name = "logs", description = "Resident memory of hone serve and its /health latency while many clients "
            + "read a big trial log: live as it is written, then whole once the run has ended.")
    static final class Logs implements Callable<Integer> {

        private final App app;

        @Option(names = "--size", defaultValue = "200", description = "Megabytes the trial prints (default 200).")
        int megabytes;

        @Option(names = "--readers", defaultValue = "40", description = "Clients reading at once (default 40).")
        int readers;

        @Option(names = "--repeat", defaultValue = "3", description = "Measurements, each on a new server "
                + "(default 3).")
        int repeat;

        Logs(App app) {
            this.app = app;
        }

        @Override
        public Integer call() throws IOException {
            List<LogBench.Result> results = new ArrayList<>();
            for (int i = 0; i < repeat; i++) {
                inScratch("hone-bench-logs-", work -> results.add(new LogBench(app.env()).measure(megabytes, readers,
                        work)));
            }
            app.out().print(LogBench.report(results, megabytes));
            return 0;
        }
    }

    @Command(name = "slurm", description = "Per-trial cost on the Slurm cluster sbatch reaches: Hone's trials against "
            + "sbatch --wait and against sbatch with squeue polled every 10 ms, and submission to start.")
    static final class Slurm implements Callable<Integer> {

        private final App app;

        @Option(names = "--trials", defaultValue = "20", description = "Trials per way (default 20).")
        int trials;

        @Option(names = "--dir", paramLabel = "DIR", description = "Where the jobs work: a directory the nodes see "
                + "(default: a new one in the temporary directory, which only a one-node cluster on this host sees).")
        Path dir;

        Slurm(App app) {
            this.app = app;
        }

        @Override
        public Integer call() throws IOException {
            return inScratch(dir, "hone-bench-slurm-", work -> app.out().print(
                    new SlurmBench(app.env()).measure(trials, work).report()));
        }
    }

    @Command(name = "kubernetes", description = "Jobs created per second through the Kubernetes executor's rate limit,"
            + " and Hone's overhead per trial over the container's own run time, on the cluster of the usual"
            + " kubeconfig (KUBECONFIG, ~/.kube/config, or the pod's service account inside a cluster).")
    static final class Kubernetes implements Callable<Integer> {

        private final App app;

        @Option(names = "--namespace", description = "The namespace (default: the kubeconfig's).")
        String namespace;

        @Option(names = "--image", defaultValue = "python:3.12-slim",
                description = "An image with python3 the cluster can pull (default python:3.12-slim).")
        String image;

        @Option(names = "--trials", defaultValue = "50", description = "Trials per part of a repeat (default 50).")
        int trials;

        @Option(names = "--parallel", defaultValue = "50",
                description = "Trials at once while Jobs are created (default 50).")
        int parallel;

        @Option(names = "--repeat", defaultValue = "3", description = "Repeats (default 3).")
        int repeat;

        Kubernetes(App app) {
            this.app = app;
        }

        @Override
        public Integer call() throws IOException {
            KubernetesBench bench = KubernetesBench.onCluster(app.env(), namespace);
            return inScratch("hone-bench-kubernetes-", work -> app.out().print(
                    bench.measure(image, trials, parallel, repeat, work).report()));
        }
    }

    @Command(name = "dashboard", description = "How fast GET /api/runs answers over a big history: a SQLite store and "
            + "(with --postgres, or HONE_TEST_POSTGRES) a new PostgreSQL database seeded with N runs and one run of "
            + "many trials, p50/p95/max of the dashboard's requests, side by side; then how fast a run's page of as many "
            + "trials draws its grid and charts in headless Chromium.")
    static final class Dashboard implements Callable<Integer> {

        private final App app;

        @Option(names = "--runs", defaultValue = "100000", description = "Runs in the history (default 100000).")
        int runs;

        @Option(names = "--big-run-trials", defaultValue = "5000",
                description = "Trials of the one big run (default 5000).")
        int bigRunTrials;

        @Option(names = "--requests", defaultValue = "200", description = "Requests per kind and round (default 200).")
        int requests;

        @Option(names = "--rounds", defaultValue = "3", description = "Rounds (default 3).")
        int rounds;

        @Option(names = "--opens", defaultValue = "10", description = "Times headless Chromium opens the page of a run "
                + "of as many trials and reads when its grid and charts are drawn (default 10; 0 skips the browser).")
        int opens;

        @Option(names = "--chromium", paramLabel = "PATH", description = "The Chromium binary (default: "
                + "/usr/bin/chromium, else chromium on the PATH).")
        Path chromium;

        @Option(names = "--postgres", paramLabel = "JDBC_URL", description = "A PostgreSQL server to measure too, as "
                + "the JDBC URL of one of its databases (a new database is made there and dropped after; default: "
                + "HONE_TEST_POSTGRES when set).")
        String postgres;

        Dashboard(App app) {
            this.app = app;
        }

        @Override
        public Integer call() throws IOException {
            DashboardBench.Options options = new DashboardBench.Options(runs, bigRunTrials, requests, rounds, opens,
                    chromium);
            DashboardBench bench = new DashboardBench(app);
            List<DashboardBench.Result> results = new ArrayList<>();
            inScratch("hone-bench-dashboard-", work -> results.add(bench.sqlite(options, work)));
            String server = postgres != null ? postgres : app.env().get("HONE_TEST_POSTGRES");
            if (server != null && !server.isBlank()) {
                inScratch("hone-bench-dashboard-", work -> results.add(bench.postgres(server, options, work)));
            }
            app.out().print(DashboardBench.report(options, results));
            return 0;
        }
    }
}
