package dev.hone.cli;

import dev.hone.pipeline.RunListener;
import dev.hone.spec.Spec;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The live progress line: trial k/N, the best so far and the target. On a terminal it rewrites one line; in a log
 * (CI) it prints one line per finished trial.
 */
final class Progress implements RunListener {

    private final PrintStream out;
    private final boolean terminal;
    private volatile Spec spec;

    private final boolean verbose;

    /** @param verbose also print every line the training prints, prefixed with its trial number */
    Progress(PrintStream out, boolean terminal, boolean verbose) {
        this.out = out;
        this.terminal = terminal;
        this.verbose = verbose;
    }

    @Override
    public synchronized void trialOutput(int trial, String line) {
        if (verbose) {
            out.print((terminal ? "\r\033[K" : "") + "[trial " + trial + "] " + line + "\n");
            out.flush();
        }
    }

    @Override
    public synchronized void trialWarning(int trial, String warning) {
        out.print((terminal ? "\r\033[K" : "") + "hone: trial " + trial + ": " + warning + "\n");
        out.flush();
    }

    @Override
    public void runStarted(long runId, Spec spec) {
        this.spec = spec;
    }

    @Override
    public synchronized void trialStarted(Trial trial) {
        if (terminal && spec != null) {
            out.print("\r\033[K" + line(trial.number(), TrialState.RUNNING.label(), null) + " …");
            out.flush();
        }
    }

    @Override
    public synchronized void trialFinished(Trial trial, Trial best) {
        if (spec == null) {
            return;
        }
        String outcome = trial.value() != null ? spec.metric().name() + " " + Tables.number(trial.value())
                : trial.state().label() + (trial.error() == null ? "" : ": " + shorten(trial.error()));
        String text = line(trial.number(), outcome, best);
        if (terminal) {
            out.print("\r\033[K" + text + "\n");
        } else {
            out.println(text);
        }
        out.flush();
    }

    private String line(int number, String outcome, Trial best) {
        Spec.Metric m = spec.metric();
        int budget = spec.tune().params().isEmpty() && spec.tune().rebuild() == null ? 1 : spec.tune().maxTrials();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "trial %d/%d  %s", number, budget, outcome));
        if (best != null && best.value() != null) {
            s.append("  · best ").append(Tables.number(best.value())).append(" (trial ").append(best.number())
                    .append(')');
        }
        if (m.target() != null) {
            s.append("  · target ").append(m.direction().targetSign()).append(' ').append(Tables.number(m.target()));
        }
        return s.toString();
    }

    private static String shorten(String error) {
        String first = error.lines().findFirst().orElse("");
        return first.length() > 100 ? first.substring(0, 97) + "…" : first;
    }
}
