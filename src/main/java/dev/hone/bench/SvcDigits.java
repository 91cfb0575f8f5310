package dev.hone.bench;

import dev.hone.error.HoneException;
import dev.hone.tune.Direction;
import dev.hone.tune.FloatParam;
import dev.hone.tune.SearchSpace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A real training problem: scikit-learn's SVC (RBF kernel) on the bundled digits dataset, C in [1e-3, 1e3] and
 * gamma in [1e-6, 1] (both log-scaled), target test accuracy ≥ 0.993, exactly as {@code svc_digits} in
 * {@code shared/bench/optuna_anchor.py}. Each trial fits a model in one long-lived Python process (Debian's
 * {@code /usr/bin/python3} with python3-sklearn), so a trial costs the training, not an interpreter start.
 */
final class SvcDigits implements AutoCloseable {

    static final String PYTHON = "/usr/bin/python3";

    private static final String WORKER = """
            import sys
            from sklearn.datasets import load_digits
            from sklearn.model_selection import train_test_split
            from sklearn.svm import SVC
            X, y = load_digits(return_X_y=True)
            a, b, c, d = train_test_split(X, y, test_size=0.25, random_state=0)
            print("ready", flush=True)
            for line in sys.stdin:
                C, g = map(float, line.split())
                print(repr(SVC(C=C, gamma=g).fit(a, c).score(b, d)), flush=True)
            """;

    private final Process process;
    private final Writer in;
    private final BufferedReader out;

    private SvcDigits(Process process) {
        this.process = process;
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts the Python worker; fails with what to install when scikit-learn is missing. */
    static SvcDigits start() {
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", WORKER).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            SvcDigits svc = new SvcDigits(p);
            String first = svc.out.readLine();
            if (!"ready".equals(first)) {
                p.destroyForcibly();
                throw new HoneException("the svc_digits problem needs scikit-learn for " + PYTHON
                        + " (apt-get install python3-sklearn); its worker said: " + first);
            }
            return svc;
        } catch (IOException e) {
            throw new HoneException("could not start " + PYTHON + " for the svc_digits problem: " + e.getMessage()
                    + " (apt-get install python3-sklearn, or run without it: --problems branin,hartmann6)", e);
        }
    }

    /** Test accuracy of SVC(C, gamma) trained on digits. */
    synchronized double accuracy(double c, double gamma) {
        try {
            in.write(String.format(Locale.ROOT, "%s %s%n", Double.toString(c), Double.toString(gamma)));
            in.flush();
            String line = out.readLine();
            if (line == null) {
                throw new HoneException("the svc_digits worker (" + PYTHON + ") exited");
            }
            return Double.parseDouble(line.trim());
        } catch (IOException e) {
            throw new HoneException("the svc_digits worker failed: " + e.getMessage(), e);
        }
    }

    Problem problem() {
        SearchSpace space = new SearchSpace(List.of(new FloatParam("C", 1e-3, 1e3, true),
                new FloatParam("gamma", 1e-6, 1, true)), Direction.MINIMIZE, -0.993);
        return new Problem("svc_digits", "SVC on digits, accuracy >= 0.993 (f = -accuracy <= -0.993)", space,
                p -> -accuracy((Double) p.get("C"), (Double) p.get("gamma")));
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // the process is going anyway
        }
        process.destroy();
    }
}
