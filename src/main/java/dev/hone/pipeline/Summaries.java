package dev.hone.pipeline;

import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.spec.Spec;
import dev.hone.store.EventRow;
import dev.hone.store.NotificationRow;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.store.TrialRow;
import dev.hone.tune.EarlyStopping;
import dev.hone.tune.Goals;
import dev.hone.tune.ParamText;
import dev.hone.tune.Pruners;
import dev.hone.tune.StudyResult;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds {@link Summary} objects: from a run that just ended, or from the store's records of any run. */
public final class Summaries {

    private Summaries() {}

    static Summary of(long runId, RunStatus status, Spec spec, Pipeline.Origin origin, StudyResult result,
                      List<Summary.Event> events, List<Summary.Notification> notifications) {
        Trial best = result.best();
        return new Summary(runId, status, spec.name(), origin.commit().map(c -> c.sha()).orElse(null), metric(spec),
                best == null ? null : new Summary.Best(best.number(), best.value(), best.params()),
                result.trials().stream().map(Summaries::trial).toList(), events, notifications, List.of(),
                earlyStopping(spec.tune().earlyStopping(), result.trials()), objectives(spec.metric()),
                front(spec.metric(), result.trials()));
    }

    /** Every objective of a metric list, the first being the metric; null for one metric. */
    private static List<Summary.Objective> objectives(Spec.Metric m) {
        if (m == null || m.further().isEmpty()) {
            return null;
        }
        List<Summary.Objective> all = new ArrayList<>();
        all.add(new Summary.Objective(m.name(), m.direction().label()));
        m.further().forEach(o -> all.add(new Summary.Objective(o.name(), o.direction().label())));
        return all;
    }

    /** The most front trials a notification lists. */
    static final int FRONT_SHOWN = 10;

    /**
     * The Pareto front in a line for notifications: "Pareto front (accuracy, latency_ms): trial 1 (0.84, 10), trial
     * 4 (0.96, 160)", at most {@value #FRONT_SHOWN} trials then "and N more"; null for one metric.
     */
    static String frontText(Spec.Metric m, List<Trial> trials) {
        List<Summary.FrontTrial> front = front(m, trials);
        if (front == null) {
            return null;
        }
        List<String> names = new ArrayList<>(List.of(m.name()));
        m.further().forEach(o -> names.add(o.name()));
        StringBuilder text = new StringBuilder("Pareto front (" + String.join(", ", names) + "): ");
        for (int i = 0; i < Math.min(front.size(), FRONT_SHOWN); i++) {
            Summary.FrontTrial t = front.get(i);
            text.append(i == 0 ? "" : ", ").append("trial ").append(t.trial()).append(" (")
                    .append(String.join(", ", t.values().values().stream().map(ParamText::exact).toList()))
                    .append(")");
        }
        if (front.size() > FRONT_SHOWN) {
            text.append(" and ").append(front.size() - FRONT_SHOWN).append(" more");
        }
        return text.toString();
    }

    /** The Pareto front of a metric list's trials ({@link Goals#front}); null for one metric. */
    private static List<Summary.FrontTrial> front(Spec.Metric m, List<Trial> trials) {
        if (m == null || m.further().isEmpty()) {
            return null;
        }
        Goals goals = new Goals(m.direction(), m.target(), m.further(), m.constraints());
        return goals.front(trials).stream().map(t -> {
            double[] v = goals.values(t);
            Map<String, Double> values = new LinkedHashMap<>();
            values.put(m.name(), v[0]);
            for (int i = 0; i < m.further().size(); i++) {
                values.put(m.further().get(i).name(), v[i + 1]);
            }
            return new Summary.FrontTrial(t.number(), values);
        }).toList();
    }

    static Summary invalid(long runId, String project, String commit, List<String> problems) {
        return new Summary(runId, RunStatus.INVALID_CONFIG, project, commit, null, null, List.of(), List.of(), List.of(),
                problems, null);
    }

    /** What the run started from, as its summary says it; null when it started clean. */
    public static Summary.WarmStart warmStart(Store store, long runId) {
        return store.warmStart(runId).map(w -> new Summary.WarmStart(w.trials(), w.runs(), w.dropped()))
                .orElse(null);
    }

    /** A stored run as a summary, judged by {@code metric} ({@link RunMetrics}; null: none). */
    public static Summary of(RunRow run, Spec.Metric metric, List<TrialRow> trials, List<EventRow> events,
                             List<NotificationRow> notifications) {
        Trial best = trials.stream().map(TrialRow::trial)
                .filter(t -> run.bestTrial() != null && t.number() == run.bestTrial()).findFirst().orElse(null);
        return new Summary(run.id(), run.status(), run.project(), run.commit(), metric == null ? null : metric(metric),
                best == null || best.value() == null ? null
                        : new Summary.Best(best.number(), best.value(), best.params()),
                trials.stream().map(t -> trial(t.trial())).toList(),
                events.stream().filter(e -> !e.type().equals(RunEvent.InvalidConfig.TYPE))
                        .map(e -> new Summary.Event(e.type(), e.message())).toList(),
                notifications.stream().map(n -> new Summary.Notification(n.event(), n.channel(), n.status(),
                        n.detail())).toList(),
                events.stream().filter(e -> e.type().equals(RunEvent.InvalidConfig.TYPE)).map(EventRow::message)
                        .toList(),
                null, objectives(metric), front(metric, trials.stream().map(TrialRow::trial).toList()));
    }

    private static Summary.EarlyStopping earlyStopping(EarlyStopping rule, List<Trial> trials) {
        if (rule == null) {
            return null;
        }
        long pruned = trials.stream().filter(t -> t.state() == TrialState.PRUNED).count();
        return new Summary.EarlyStopping(rule.rule().name().toLowerCase(Locale.ROOT), pruned,
                Pruners.stepsSaved(trials));
    }

    private static Summary.Metric metric(Spec spec) {
        return metric(spec.metric());
    }

    private static Summary.Metric metric(Spec.Metric m) {
        return new Summary.Metric(m.name(), m.direction().label(), m.target(), m.direction().targetSign());
    }

    private static Summary.Trial trial(Trial t) {
        Map<String, Object> params = t.params();
        return new Summary.Trial(t.number(), t.state().label(), t.value(), params, t.exitCode(), t.durationMs(),
                t.error(), t.metrics(), Summary.Resources.of(t.resources()));
    }
}
