package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A real {@code hone serve} process, started and waited for until it says who may read; it keeps what it prints. */
final class ServeProcess implements AutoCloseable {

    final Process process;
    private final List<String> lines = new ArrayList<>();

    private ServeProcess(Process process) {
        this.process = process;
    }

    /** Starts {@code hone serve} with HOME {@code home} and waits for its read access line (after "serving on"). */
    static ServeProcess start(Path home, Path config, Path data) throws Exception {
        return start(home, config, data, Map.of());
    }

    /** The same with {@code env} added to its environment and {@code args} after its options. */
    static ServeProcess start(Path home, Path config, Path data, Map<String, String> env, String... args)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-cp", classpath, "dev.hone.cli.Main", "serve",
                "--config", config.toString(), "--data", data.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HOME", home.toString());
        builder.environment().putAll(env);
        ServeProcess hone = new ServeProcess(builder.start());
        BufferedReader out = new BufferedReader(new InputStreamReader(hone.process.getInputStream(),
                StandardCharsets.UTF_8));
        CompletableFuture<Boolean> started = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    synchronized (hone.lines) {
                        hone.lines.add(line);
                    }
                    if (line.contains("hone: read access:")) {
                        started.complete(true);
                    }
                }
            } catch (IOException e) {
                // it ended
            }
            started.complete(false);
        });
        assertThat(started.get(60, TimeUnit.SECONDS)).as("hone serve started:\n%s", hone.said()).isTrue();
        return hone;
    }

    /** Each line {@code hone serve} printed so far. */
    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** What {@code hone serve} printed so far. */
    String said() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(60, TimeUnit.SECONDS);
    }
}
