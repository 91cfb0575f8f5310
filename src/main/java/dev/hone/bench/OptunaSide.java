package dev.hone.bench;

import dev.hone.error.HoneException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Optuna's side of the table: {@code bench/optuna_side.py} run with Debian's {@code /usr/bin/python3} (which has
 * python3-optuna) as a child process, alongside Hone's side, its {@code row …} lines parsed into
 * {@link TuningBench.Row}s.
 */
final class OptunaSide {

    private final Process process;
    private final CompletableFuture<List<TuningBench.Row>> rows;
    private final List<NoisyBench.Row> noisy = new CopyOnWriteArrayList<>();

    private OptunaSide(Process process) {
        this.process = process;
        this.rows = CompletableFuture.supplyAsync(this::read);
    }

    /** Starts the script; it runs while Hone's side runs (this machine has two cores). */
    static OptunaSide start(Path script, int seeds, int budget, List<String> problems) {
        if (!Files.isRegularFile(script)) {
            throw new HoneException("Optuna's side needs " + script + " (run from the repository root, or pass"
                    + " --optuna-script PATH)");
        }
        try {
            Process p = new ProcessBuilder(SvcDigits.PYTHON, script.toString(), "--seeds", String.valueOf(seeds),
                    "--budget", String.valueOf(budget), "--problems", String.join(",", problems))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            return new OptunaSide(p);
        } catch (IOException e) {
            throw new HoneException("could not start " + SvcDigits.PYTHON + " " + script + ": " + e.getMessage()
                    + " (apt-get install python3-optuna python3-sklearn)", e);
        }
    }

    private List<TuningBench.Row> read() {
        List<TuningBench.Row> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("row ")) {
                    out.add(parse(line));
                } else if (line.startsWith("noisy ")) {
                    noisy.add(parseNoisy(line));
                }
            }
            int exit = process.waitFor();
            if (exit != 0) {
                throw new HoneException("Optuna's side exited " + exit + " (see its messages above)");
            }
        } catch (IOException e) {
            throw new HoneException("reading Optuna's side failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HoneException("interrupted while waiting for Optuna's side");
        }
        return out;
    }

    /** "row problem=branin sampler=tpe budget=150 trials=71,68,…" */
    static TuningBench.Row parse(String line) {
        Map<String, String> kv = fields(line);
        List<Integer> trials = Arrays.stream(kv.get("trials").split(",")).map(Integer::parseInt).toList();
        return new TuningBench.Row(kv.get("problem"), "optuna", kv.get("sampler"), trials,
                Integer.parseInt(kv.get("budget")));
    }

    /** "noisy sampler=tpe confirm=1 budget=150 trials=12,151,… false=1,0,…" */
    static NoisyBench.Row parseNoisy(String line) {
        Map<String, String> kv = fields(line);
        return new NoisyBench.Row("optuna", kv.get("sampler"), kv.get("confirm").equals("1"),
                Arrays.stream(kv.get("trials").split(",")).map(Integer::parseInt).toList(),
                Arrays.stream(kv.get("false").split(",")).map(f -> f.equals("1")).toList(),
                Integer.parseInt(kv.get("budget")));
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> kv = new HashMap<>();
        for (String part : line.substring(line.indexOf(' ') + 1).trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                kv.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return kv;
    }

    /** The noisy problem's lines, once the script finished ({@link #rows()} first). */
    List<NoisyBench.Row> noisyRows() {
        rows();
        return List.copyOf(noisy);
    }

    /** Waits for the script to finish. */
    List<TuningBench.Row> rows() {
        try {
            return rows.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof HoneException h ? h : new HoneException(e.getCause().toString());
        }
    }

    void kill() {
        process.destroyForcibly();
    }
}
