package dev.hone;

import dev.hone.exec.LocalExecutor;
import dev.hone.notify.ConsoleNotifier;
import dev.hone.notify.Dispatcher;
import dev.hone.pipeline.Environments;
import dev.hone.pipeline.Pipeline;
import dev.hone.store.Store;
import dev.hone.store.Stores;
import dev.hone.pipeline.RunListener;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The composition root: builds every part with {@code new}. What is not deterministic (the environment, time,
 * randomness, the terminal) comes in here, so tests build an App of their own.
 */
public final class App {

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final InstantSource clock;
    private final RandomGenerator random;

    public App(Map<String, String> env, PrintStream out, PrintStream err, InstantSource clock,
               RandomGenerator random) {
        this.env = Map.copyOf(env);
        this.out = out;
        this.err = err;
        this.clock = clock;
        this.random = random;
    }

    /** The App of a real process: its environment, terminal, clock and a random seed. */
    public static App system() {
        return new App(System.getenv(), System.out, System.err, InstantSource.system(), new java.util.Random());
    }

    public Map<String, String> env() {
        return env;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public InstantSource clock() {
        return clock;
    }

    /** The data directory: {@code --data} when given, else {@code ~/.hone}. */
    public Path dataDir(Path flag) {
        if (flag != null) {
            return flag.toAbsolutePath().normalize();
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".hone");
    }

    /** The store in a data directory (SQLite file {@code hone.db}). */
    public Store store(Path dataDir) {
        return Stores.open(dataDir.resolve("hone.db").toString());
    }

    /** A pipeline writing to {@code store}; {@code console} receives what the run says (a null stream when quiet). */
    public Pipeline pipeline(Store store, Path dataDir, PrintStream console, RunListener progress) {
        Dispatcher dispatcher = new Dispatcher(List.of(new ConsoleNotifier(console)));
        Environments environments = new Environments(new LocalExecutor(env));
        return new Pipeline(store, dataDir, env, clock, random, environments, dispatcher, console, progress);
    }
}
