package dev.hone.cli;

import dev.hone.App;
import dev.hone.error.HoneException;
import dev.hone.detect.Detection;
import dev.hone.detect.Detector;
import dev.hone.detect.MetricGuess;
import dev.hone.spec.ProjectNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "init", description = "Writes a commented hone.yaml from what it detects: entrypoint, framework, metric.")
final class InitCommand implements Callable<Integer> {

    private final App app;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = ".",
            description = "The project directory (default: the current directory).")
    Path dir;

    @Option(names = "--force", description = "Overwrite an existing hone.yaml.")
    boolean force;

    InitCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        Path project = dir.toAbsolutePath().normalize();
        Path file = project.resolve("hone.yaml");
        if (Files.exists(file) && !force) {
            throw new HoneException(file + " already exists: edit it, or run `hone init --force` to replace it");
        }
        Detection d = Detector.detect(project);
        if (d.entrypoint() == null) {
            throw new HoneException("no training entrypoint in " + project
                    + ": add main.py (or train.py), then run `hone init` again");
        }
        MetricGuess.Guess metric = MetricGuess.guess(project.resolve(d.entrypoint()))
                .orElse(new MetricGuess.Guess("accuracy", true));
        // the name hone run would give the directory, so the file written is one hone validate accepts
        String yaml = render(ProjectNames.of(project.getFileName() == null ? null : project.getFileName().toString()),
                d, metric);
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new HoneException("could not write " + file + ": " + e.getMessage(), e);
        }
        app.out().println("wrote " + file + " (entrypoint " + d.entrypoint() + ", framework " + d.framework().label()
                + ", metric " + metric.name() + "); check it with `hone validate`, then `hone run`");
        return 0;
    }

    /** Where the comments of the written file start. */
    private static final int COMMENT_COLUMN = 33;
    private static final ScalarResolver YAML_TYPES = new CoreSchema().getScalarResolver();

    static String render(String name, Detection d, MetricGuess.Guess metric) {
        return """
                # hone.yaml — how Hone trains and tunes this project. Every key is optional.
                # Reference: schema/hone.schema.json in Hone's repository (editors use it for completion).
                name: %s
                train:
                %s
                  timeout: 30m                   # per trial; the whole process tree is killed past it
                environment:
                  executor: auto                 # auto | local | docker
                  image: auto                    # detected framework: %s
                metric:
                %s
                  direction: %s
                  # target: 0.95                 # tuning stops when it is reached
                tune:
                  strategy: auto                 # auto | grid | random | tpe | bayes | script
                  # params:                      # read them from HONE_PARAM_<NAME> or $HONE_PARAMS
                  #   learning_rate: {min: 0.0001, max: 1, log: true}
                  #   layers: {min: 1, max: 4, type: int}
                  #   kernel: [rbf, poly, linear]
                  max_trials: 30
                  seed: 42
                  # rebuild: python3 rebuild.py  # your own tweak program between trials (strategy: script)
                notify:
                  on: [training_failed, target_reached, target_missed, rebuild_failed]
                """.formatted(scalar(name),
                commented("  command: " + scalar(d.defaultCommand()),
                        "{name} expands to a parameter's value, {args} to --name=value …"),
                d.framework().label(),
                commented("  name: " + scalar(metric.name()),
                        "printed as `" + metric.name() + "=0.93` or written to $HONE_OUTPUT/metrics.json"),
                metric.maximize() ? "maximize" : "minimize");
    }

    /** A line with its comment in the file's comment column (or one space after a longer line). */
    private static String commented(String line, String comment) {
        return line + " ".repeat(Math.max(1, COMMENT_COLUMN - line.length())) + "# " + comment;
    }

    /** A YAML plain scalar when that reads back as the same string (not 2024 or true), else a double-quoted one. */
    private static String scalar(String value) {
        boolean plain = value.matches("[A-Za-z0-9_./][A-Za-z0-9_./ =+-]*") && !value.endsWith(" ")
                && YAML_TYPES.resolve(value, true).equals(Tag.STR);
        return plain ? value : "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
