package dev.hone.server;

import dev.hone.store.RunRow;
import dev.hone.store.Store;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Per project, from its newest ended run with a value: {@code hone_project_best_value{project,direction}} (that
 * run's best) and {@code hone_project_target{project,direction}} (the target it was judged by, when it has one), so
 * an alert compares the two series with the same labels — {@code hone_project_best_value{direction="maximize"} <
 * hone_project_target} fires when a project falls below its target.
 */
final class ProjectGauges {

    /** How many of a project's newest runs are looked at for one that ended with a value. */
    private static final int RUNS_LOOKED_AT = 20;

    private final Store store;
    private final MultiGauge best;
    private final MultiGauge target;

    ProjectGauges(Store store, MeterRegistry registry) {
        this.store = store;
        this.best = MultiGauge.builder("hone.project.best.value")
                .description("The best value of each project's newest ended run that has one").register(registry);
        this.target = MultiGauge.builder("hone.project.target")
                .description("The target of the metric each project's newest ended run was judged by")
                .register(registry);
    }

    /** Reads the projects' newest ended runs again. */
    void refresh() {
        List<MultiGauge.Row<?>> bests = new ArrayList<>();
        List<MultiGauge.Row<?>> targets = new ArrayList<>();
        for (String project : store.projects()) {
            newestEnded(project).ifPresent(run -> {
                Tags tags = Tags.of("project", project, "direction", run.metric().direction().label());
                bests.add(MultiGauge.Row.of(tags, run.bestValue()));
                if (run.metric().target() != null) {
                    targets.add(MultiGauge.Row.of(tags, run.metric().target()));
                }
            });
        }
        best.register(bests, true);
        target.register(targets, true);
    }

    private Optional<RunRow> newestEnded(String project) {
        return store.runs(project, RUNS_LOOKED_AT, 0).stream()
                .filter(run -> !run.status().live() && run.bestValue() != null && run.metric() != null)
                .findFirst();
    }
}
