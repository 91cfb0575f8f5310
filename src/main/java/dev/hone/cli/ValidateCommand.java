package dev.hone.cli;

import dev.hone.App;
import dev.hone.detect.Detection;
import dev.hone.detect.Detector;
import dev.hone.exec.Masks;
import dev.hone.spec.InvalidSpecException;
import dev.hone.spec.Spec;
import dev.hone.spec.SpecLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "validate", description = "Checks hone.yaml and prints every problem with its line, column and key.")
final class ValidateCommand implements Callable<Integer> {

    private final App app;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = ".",
            description = "The directory holding hone.yaml, or the file itself (default: the current directory).")
    Path target;

    ValidateCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        Path dir = Files.isDirectory(target) ? target : target.toAbsolutePath().getParent();
        Optional<Path> file = Files.isRegularFile(target) ? Optional.of(target) : SpecLoader.find(dir);
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        Spec spec;
        try {
            spec = file.isPresent() ? SpecLoader.load(file.get(), name, app.env()) : Spec.defaults(name);
        } catch (InvalidSpecException e) {
            app.err().println(e.getMessage());
            return 2;
        }
        Detection d = Detector.detect(dir);
        String command = spec.train().command() != null ? spec.train().command() : d.defaultCommand();
        if (command == null) {
            app.err().println("no training entrypoint in " + dir.toAbsolutePath().normalize()
                    + ": add main.py (or train.py), or set train.command in hone.yaml");
            return 2;
        }
        app.out().println(file.map(f -> f + " is valid").orElse("no hone.yaml: zero-configuration defaults apply"));
        app.out().println("  project:   " + spec.name());
        app.out().println("  command:   " + Masks.of(spec.train().secrets()).apply(command));
        app.out().println("  framework: " + d.framework().label());
        app.out().println("  metric:    " + spec.metric().name() + ", " + spec.metric().direction().name()
                .toLowerCase(Locale.ROOT) + (spec.metric().target() == null ? ", no target"
                : ", target " + spec.metric().target()));
        app.out().println("  tuning:    " + Tuning.describe(spec));
        return 0;
    }
}
