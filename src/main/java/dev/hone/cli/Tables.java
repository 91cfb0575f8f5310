package dev.hone.cli;

import dev.hone.pipeline.Summary;
import dev.hone.time.Durations;
import dev.hone.tune.ParamText;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Plain-text tables for the terminal. */
final class Tables {

    private Tables() {}

    static String number(double v) {
        if (v != 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-4)) {
            return String.format(Locale.ROOT, "%.4g", v);
        }
        String s = String.format(Locale.ROOT, "%.4f", v);
        return s;
    }

    /** Parameters as tables show them: to {@code digits} significant digits, {@code -} for none. */
    static String params(Map<String, Object> params, int digits) {
        return params == null || params.isEmpty() ? "-" : ParamText.brief(params, digits);
    }

    /**
     * The trials of a summary, as printed at the end of {@code hone run} and by {@code hone trials}, parameters with
     * the digits that tell the trials apart.
     */
    static void trials(PrintStream out, Summary summary) {
        trials(out, summary, false);
    }

    /** As {@link #trials(PrintStream, Summary)}; with {@code resources}, a line of what each trial used. */
    static void trials(PrintStream out, Summary summary, boolean resources) {
        String metric = summary.metric() == null ? "value" : summary.metric().name();
        int digits = ParamText.digitsToTellApart(summary.trials().stream().map(Summary.Trial::params).toList());
        out.printf("%5s  %-10s  %10s  %8s  %s%n", "trial", "state", metric, "time", "params");
        for (Summary.Trial t : summary.trials()) {
            out.printf("%5d  %-10s  %10s  %8s  %s%n", t.number(), t.state(),
                    t.value() == null ? "-" : number(t.value()), Durations.elapsed(Duration.ofMillis(t.durationMs())),
                    params(t.params(), digits));
            if (t.metrics() != null && t.metrics().keySet().stream().anyMatch(name -> !name.equalsIgnoreCase(metric))) {
                out.printf("%5s  %s%n", "", "metrics: " + ParamText.brief(new LinkedHashMap<>(t.metrics()), 6));
            }
            if (t.error() != null) {
                out.printf("%5s  %s%n", "", t.error().lines().findFirst().orElse(""));
            }
            if (resources && t.resources() != null) {
                out.printf("%5s  %s%n", "", "resources: " + resources(t.resources()));
            }
        }
        if (summary.earlyStopping() != null) {
            Summary.EarlyStopping es = summary.earlyStopping();
            out.printf("early stopping (%s): %d %s stopped, %d training steps saved%n", es.rule(), es.pruned(),
                    es.pruned() == 1 ? "trial" : "trials", es.stepsSaved());
        }
    }

    /**
     * What a trial used, as {@code hone trials} shows it: "12.4s wall, 11.9s CPU, 412 MiB peak memory", and for a
     * trial given GPUs ", 3.2 GiB GPU memory peak, 87% GPU utilization"; a figure not measured is left out.
     */
    static String resources(Summary.Resources r) {
        List<String> parts = new ArrayList<>();
        parts.add(Durations.elapsed(Duration.ofMillis(Math.round(r.wallS() * 1000))) + " wall");
        if (r.cpuS() != null) {
            parts.add(Durations.elapsed(Duration.ofMillis(Math.round(r.cpuS() * 1000))) + " CPU");
        }
        if (r.peakMemoryBytes() != null) {
            parts.add(bytes(r.peakMemoryBytes()) + " peak memory");
        }
        if (r.gpuMemoryPeakBytes() != null) {
            parts.add(bytes(r.gpuMemoryPeakBytes()) + " GPU memory peak");
        }
        if (r.gpuUtilizationMean() != null) {
            parts.add(String.format(Locale.ROOT, "%.0f%% GPU utilization", r.gpuUtilizationMean()));
        }
        return String.join(", ", parts);
    }

    /** A size in binary units: 640 KiB, 412 MiB, 3.2 GiB. */
    static String bytes(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        return bytes >= 1L << 20 ? Math.round(bytes / (double) (1L << 20)) + " MiB"
                : Math.round(bytes / 1024.0) + " KiB";
    }

    /** The best trial of a summary, its parameters exact (to be copied). */
    static void best(PrintStream out, Summary summary) {
        if (summary.best() != null) {
            String metric = summary.metric() == null ? "value" : summary.metric().name();
            out.printf("best: trial %d · %s %s · %s%n", summary.best().trial(), metric, number(summary.best().value()),
                    ParamText.exact(summary.best().params()));
        }
    }

    static <T> void rows(PrintStream out, List<String> header, List<List<String>> rows) {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> r : rows) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        }
        print(out, header, widths);
        for (List<String> r : rows) {
            print(out, r, widths);
        }
    }

    private static void print(PrintStream out, List<String> cells, int[] widths) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            s.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", cells.get(i)));
        }
        out.println(s.toString().stripTrailing());
    }
}
