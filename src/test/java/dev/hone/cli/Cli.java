package dev.hone.cli;

import dev.hone.App;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/** Runs the real command line in-process with a private HOME and data directory, capturing what it prints. */
final class Cli {

    final Path home;
    final Map<String, String> env = new HashMap<>(System.getenv());
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    Cli(Path home) {
        this.home = home;
        env.put("HOME", home.toString());
    }

    /** Puts Debian's interpreter (with python3-sklearn) first on the PATH of the trials. */
    Cli withSystemPython() {
        env.put("PATH", "/usr/bin:" + env.getOrDefault("PATH", ""));
        return this;
    }

    int run(String... args) {
        out.reset();
        err.reset();
        App app = new App(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), InstantSource.system(), new Random(1));
        return Main.execute(app, args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    Path data() {
        return home.resolve(".hone");
    }

    static Path example(String name) {
        return Path.of("examples", name).toAbsolutePath();
    }
}
