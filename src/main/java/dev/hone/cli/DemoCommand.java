package dev.hone.cli;

import dev.hone.App;
import dev.hone.error.HoneException;
import dev.hone.data.DataDir;
import dev.hone.pipeline.RunRequest;
import dev.hone.spec.Spec;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "demo", description = {
        "The quickstart, end to end: trains a small classifier, tunes it until it reaches its target, reports.",
        "It runs on the embedded default: local processes, SQLite, the console; the defaults miss the target."})
final class DemoCommand implements Callable<Integer> {

    /** The quickstart's files, bundled in the jar under examples/quickstart/. */
    static final List<String> FILES = List.of("main.py", "hone.yaml", "iris.csv", "README.md");

    private final App app;

    @Mixin
    DataOption data;

    @Mixin
    JsonOut.RunSummary json;

    DemoCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        Path summary = json.target();
        DataDir dataDir = app.dataDir(data.data);
        Path project = dataDir.demo("quickstart");
        extract(project);
        PrintStream human = JsonOut.toStdout(summary) ? app.err() : app.out();
        human.println("hone demo: the quickstart in " + project);
        human.println("It trains a softmax classifier on the iris flowers (its own defaults reach 0.80) and tunes"
                + " learning_rate and epochs, trial after trial, until the test accuracy reaches 0.95.");
        human.println();
        // the embedded default: local processes, whatever Docker this machine has
        return new Runs(app, dataDir.root(), null, false, false)
                .execute(new RunRequest(project, Spec.Executor.LOCAL, null, null, null, null), summary);
    }

    private static void extract(Path project) {
        try {
            Files.createDirectories(project);
            for (String file : FILES) {
                try (InputStream in = DemoCommand.class.getResourceAsStream("/examples/quickstart/" + file)) {
                    if (in == null) {
                        throw new HoneException("the quickstart is missing from this build (examples/quickstart/"
                                + file + "): rebuild with ./mvnw package");
                    }
                    Files.write(project.resolve(file), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new HoneException("could not write the quickstart to " + project + ": " + e.getMessage(), e);
        }
    }
}
