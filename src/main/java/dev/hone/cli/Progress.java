package dev.hone.cli;

import dev.hone.pipeline.RunListener;
import dev.hone.spec.Spec;
import dev.hone.time.Durations;
import dev.hone.time.Sleeper;
import dev.hone.tune.Confirmation;
import dev.hone.tune.Foresight;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The live progress line: trial k/N, the best so far and the target. On a terminal it rewrites one line, the running
 * trial's elapsed time on it every second. In a log (CI) it prints a line when each trial starts and ends, and every
 * 30 seconds a heartbeat for each running trial: its elapsed time and the last metric line it printed.
 */
final class Progress implements RunListener, AutoCloseable {

    /** How often a log gets a heartbeat while trials run. */
    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    /** How often a terminal's progress line shows the elapsed time anew. */
    static final Duration TICK = Duration.ofSeconds(1);

    private final PrintStream out;
    private final boolean terminal;
    private final boolean verbose;
    private final InstantSource clock;
    private final Sleeper sleeper;
    private final Duration every;
    private final TreeMap<Integer, Running> running = new TreeMap<>();
    private volatile Spec spec;
    private volatile Pattern metricLine;
    /** The chance of reaching the target told for the trial about to be shown as ended; null: none. */
    private Foresight.Estimate foresight;
    private Thread beats;

    /** A trial under way: when it started, and the last line it printed that holds the metric (null: none yet). */
    private static final class Running {
        final Instant started;
        String lastMetricLine;

        Running(Instant started) {
            this.started = started;
        }
    }

    /** @param verbose also print every line the training prints, prefixed with its trial number */
    Progress(PrintStream out, boolean terminal, boolean verbose) {
        this(out, terminal, verbose, InstantSource.system(), Sleeper.system(), terminal ? TICK : HEARTBEAT);
    }

    /** @param every how often the heartbeat (in a log) or the elapsed time (on a terminal) is printed */
    Progress(PrintStream out, boolean terminal, boolean verbose, InstantSource clock, Sleeper sleeper,
             Duration every) {
        this.out = out;
        this.terminal = terminal;
        this.verbose = verbose;
        this.clock = clock;
        this.sleeper = sleeper;
        this.every = every;
    }

    @Override
    public synchronized void trialOutput(int trial, String line) {
        Running r = running.get(trial);
        if (r != null && metricLine != null && metricLine.matcher(line).find()) {
            r.lastMetricLine = shorten(line.strip());
        }
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
    public synchronized void trialWaiting(int trial, String what) {
        if (spec == null) {
            return;
        }
        out.print((terminal ? "\r\033[K" : "") + line(trial, what, null) + "\n");
        out.flush();
    }

    @Override
    public synchronized void runStarted(long runId, Spec spec) {
        this.spec = spec;
        this.metricLine = Pattern.compile("(?<![\\p{L}\\p{N}_])" + Pattern.quote(spec.metric().name())
                + "[\"']?\\s*[:=]", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        if (beats == null) {
            beats = Thread.ofPlatform().daemon().name("hone-progress").start(this::beat);
        }
    }

    @Override
    public synchronized void trialStarted(Trial trial) {
        running.put(trial.number(), new Running(clock.instant()));
        if (spec == null) {
            return;
        }
        if (terminal) {
            out.print("\r\033[K" + line(trial.number(), TrialState.RUNNING.label(), null) + " …");
        } else {
            out.println(line(trial.number(), "started", null));
        }
        out.flush();
    }

    @Override
    public synchronized void foresight(Foresight.Estimate estimate) {
        this.foresight = estimate;
    }

    @Override
    public synchronized void trialFinished(Trial trial, Trial best) {
        running.remove(trial.number());
        Foresight.Estimate chance = foresight;
        foresight = null;
        if (spec == null) {
            return;
        }
        String outcome = trial.value() != null ? spec.metric().name() + " " + Tables.number(trial.value())
                : trial.state().label() + (trial.error() == null ? "" : ": " + shorten(trial.error()));
        String text = line(trial.number(), outcome, best) + (chance == null ? "" : "  · " + chance.text());
        if (terminal) {
            out.print("\r\033[K" + text + "\n");
        } else {
            out.println(text);
        }
        out.flush();
    }

    @Override
    public synchronized void confirmationEnded(Confirmation confirmation) {
        if (spec == null) {
            return;
        }
        out.print((terminal ? "\r\033[K" : "") + "hone: " + confirmation.message() + "\n");
        out.flush();
    }

    /** Stops the heartbeat. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            t = beats;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void beat() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                sleeper.sleep(every);
                heartbeat();
            }
        } catch (InterruptedException closing) {
            // the run is over
        }
    }

    /** On a terminal, the latest running trial's line with its elapsed time; in a log, a line per running trial. */
    private synchronized void heartbeat() {
        if (running.isEmpty() || spec == null) {
            return;
        }
        Instant now = clock.instant();
        if (terminal) {
            Map.Entry<Integer, Running> latest = running.lastEntry();
            out.print("\r\033[K" + line(latest.getKey(), TrialState.RUNNING.label() + " "
                    + Durations.elapsed(Duration.between(latest.getValue().started, now)), null) + " …");
        } else {
            running.forEach((number, r) -> out.println(line(number, TrialState.RUNNING.label() + " "
                    + Durations.elapsed(Duration.between(r.started, now)), null)
                    + "  · last: " + (r.lastMetricLine == null ? "no " + spec.metric().name() + " line yet"
                            : r.lastMetricLine)));
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
