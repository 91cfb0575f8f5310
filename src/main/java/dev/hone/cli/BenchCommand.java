package dev.hone.cli;

import dev.hone.App;
import dev.hone.bench.OverheadBench;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", description = "Measures Hone itself; the figures belong in docs/benchmarks.md.",
        subcommands = {BenchCommand.Overhead.class})
final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
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
            Path work = Files.createTempDirectory("hone-bench-");
            try {
                OverheadBench.Result r = new OverheadBench(app).measure(trials, work);
                app.out().print(OverheadBench.report(r));
                return 0;
            } finally {
                try (var files = Files.walk(work)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }
}
