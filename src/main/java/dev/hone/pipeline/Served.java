package dev.hone.pipeline;

import dev.hone.error.HoneException;
import dev.hone.data.RunDir;
import dev.hone.notify.Delivery;
import dev.hone.notify.Event;
import dev.hone.run.RunStatus;
import dev.hone.serving.Deployments;
import dev.hone.spec.Spec;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.tune.Direction;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The last step of a run that reached its target: its best trial's model served ({@code serve:}, DESIGN §2), but only
 * when it beats the model served now by {@code serve.promote.min_improvement} on the metric (its best reached the
 * target and kept every {@code metric.constraints}, or it would not be its best). Otherwise the served model stays,
 * and the run says so ({@code model_kept}).
 */
final class Served {

    /** Two values closer than this are equal: 0.951 − 0.949 is 0.002 as written, whatever the doubles say. */
    private static final double EPSILON = 1e-9;

    private Served() {}

    /** Returns {@code outcome}, with {@code model_kept} and its notifications added when the served model stays. */
    static RunOutcome serve(Deployments deployments, Store store, RunOutcome outcome, Spec spec, RunDir runDir,
                            String executor, String image, Alerts alerts, Event.Origin origin, PrintStream out) {
        Summary summary = outcome.summary();
        if (spec.serve() == null || summary.status() != RunStatus.TARGET_REACHED || summary.best() == null) {
            return outcome;
        }
        if (deployments == null) {
            out.println("hone: serve: hone serve keeps the model serving; hone run leaves it in the run's trial "
                    + summary.best().trial() + " output");
            return outcome;
        }
        if (!"docker".equals(executor) || image == null) {
            out.println("hone: serve: not served: a model is served from the run's image, and this run trained with"
                    + " the " + executor + " executor (set environment.executor: docker)");
            return outcome;
        }
        Optional<Event.ModelKept> kept = keeps(deployments, store, spec, outcome.runId(), summary.best().value(),
                origin);
        if (kept.isPresent()) {
            out.println("hone: serve: " + kept.get().message().substring(spec.name().length() + 2));
            return with(outcome, kept.get(), alerts.send(kept.get()));
        }
        int trial = summary.best().trial();
        try {
            Deployments.Status status = deployments.deploy(new Deployments.Request(spec.name(), outcome.runId(),
                    trial, origin, alerts::report, image, runDir.trial(trial).output(),
                    runDir.workspace(), spec.serve(), spec.train().env(), spec.train().secrets(),
                    spec.environment().cpus(), spec.environment().memoryBytes()));
            if (status.detail() == null) {
                out.printf("hone: serving trial %d of run %d on http://127.0.0.1:%d (container %s)%n", trial,
                        outcome.runId(), status.port(), status.container().substring(0, 12));
            } else {
                out.println("hone: serve: " + status.detail());
            }
        } catch (HoneException e) {
            out.println("hone: serve: " + e.getMessage());
            alerts.report(new Event.ContainerGaveUp(origin, "for run " + outcome.runId(), 0, e.getMessage(),
                    List.of()));
        }
        return outcome;
    }

    /**
     * The served model stays when the project serves one now (serving, or being restarted), of a run judged by the same
     * metric, whose best the new {@code value} does not beat by {@code serve.promote.min_improvement}.
     */
    private static Optional<Event.ModelKept> keeps(Deployments deployments, Store store, Spec spec, long runId,
                                                   double value, Event.Origin origin) {
        Optional<Deployments.Status> now = deployments.status(spec.name())
                .filter(s -> s.runId() != 0 && s.runId() != runId)
                .filter(s -> s.state().equals("serving") || s.state().equals("restarting"));
        Optional<RunRow> served = now.flatMap(s -> store.run(s.runId()))
                .filter(r -> r.bestValue() != null && r.metric() != null)
                .filter(r -> r.metric().name().equals(spec.metric().name())
                        && r.metric().direction() == spec.metric().direction());
        if (served.isEmpty()) {
            return Optional.empty();
        }
        Direction direction = spec.metric().direction();
        double best = served.get().bestValue();
        double gain = direction == Direction.MAXIMIZE ? value - best : best - value;
        double needed = spec.serve().minImprovement();
        if (gain > EPSILON && gain >= needed - EPSILON) {
            return Optional.empty();
        }
        return Optional.of(new Event.ModelKept(origin, spec.metric().name(), direction, value, served.get().id(), best,
                needed));
    }

    /** {@code outcome} with {@code event} and its deliveries added to its summary. */
    static RunOutcome with(RunOutcome outcome, Event event, List<Delivery> deliveries) {
        Summary s = outcome.summary();
        List<Summary.Event> events = new ArrayList<>(s.events());
        events.add(new Summary.Event(event.type(), event.message()));
        List<Summary.Notification> notifications = new ArrayList<>(s.notifications());
        deliveries.forEach(d -> notifications.add(new Summary.Notification(d.event(), d.channel(), d.status(),
                d.detail())));
        return new RunOutcome(outcome.runId(), new Summary(s.run(), s.status(), s.project(), s.commit(), s.metric(),
                s.best(), s.trials(), events, notifications, s.problems(), s.earlyStopping(), s.objectives(),
                s.paretoFront(), s.warmStart()), outcome.stoppedBecause());
    }
}
