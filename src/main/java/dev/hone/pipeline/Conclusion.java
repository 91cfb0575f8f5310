package dev.hone.pipeline;

import dev.hone.data.RunDir;
import dev.hone.notify.Delivery;
import dev.hone.notify.Dispatcher;
import dev.hone.notify.Event;
import dev.hone.run.Notifiable;
import dev.hone.run.RunEvent;
import dev.hone.run.RunStatus;
import dev.hone.source.Commit;
import dev.hone.source.PullRef;
import dev.hone.spec.Spec;
import dev.hone.store.EventRow;
import dev.hone.store.Store;
import dev.hone.store.TrialRow;
import dev.hone.tune.Foresight;
import dev.hone.tune.StudyResult;
import dev.hone.tune.Trial;
import dev.hone.tune.TrialState;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/** Ends a run: status and exit code from the study's result, events routed to the channels, the record closed. */
final class Conclusion {

    private final Store store;
    private final Alerts alerts;
    private final InstantSource clock;

    /** @param alerts the run's: its outcome is sent through them, and its supervision events are in them */
    Conclusion(Store store, Alerts alerts, InstantSource clock) {
        this.store = store;
        this.alerts = alerts;
        this.clock = clock;
    }

    RunOutcome conclude(long runId, Spec spec, Pipeline.Origin origin, Instant started, StudyResult result,
                        IntFunction<List<String>> tails, RunDir runDir) {
        Spec.Metric metric = spec.metric();
        Trial best = result.best();
        Event.Origin o = eventOrigin(origin);
        int count = result.trials().size();

        RunStatus status;
        Event event;
        if (result.ending() == StudyResult.Ending.CANCELLED) {
            status = RunStatus.CANCELLED;
            event = null;
        } else if (result.ending() == StudyResult.Ending.HALTED) {
            status = RunStatus.FAILED;
            int trial = haltedBy(result);
            event = new Event.TrainingFailed(o, trial, result.detail(), null, trial == 0 ? List.of()
                    : tails.apply(trial));
        } else if (result.ending() == StudyResult.Ending.REBUILD_FAILED) {
            status = RunStatus.FAILED;
            event = new Event.RebuildFailed(o, result.detail(), result.rebuildTail());
        } else if (best == null) {
            status = RunStatus.FAILED;
            Trial failed = lastFailed(result.trials());
            event = failed == null ? null : new Event.TrainingFailed(o, failed.number(), failed.error(),
                    failed.exitCode(), tails.apply(failed.number()));
        } else if (metric.target() == null) {
            status = RunStatus.SUCCEEDED;
            event = null;
        } else if (result.ending() == StudyResult.Ending.TARGET_REACHED) {
            status = RunStatus.TARGET_REACHED;
            event = new Event.TargetReached(o, metric.name(), metric.direction(), best.value(), metric.target(), count,
                    best.number(), best.params(), Duration.between(started, clock.instant()),
                    Summaries.frontText(metric, result.trials()));
        } else {
            status = RunStatus.TARGET_MISSED;
            event = new Event.TargetMissed(o, metric.name(), metric.direction(), best.value(), metric.target(), count,
                    reason(result), result.ending() == StudyResult.Ending.SPACE_EXHAUSTED ? null
                            : Foresight.estimate(result.trials(), metric.direction(), metric.target(),
                                    spec.tune().maxTrials(), spec.tune().parallel())
                                    .map(Foresight.Estimate::text).orElse(null),
                    Summaries.frontText(metric, result.trials()));
        }

        List<Summary.Event> events = new ArrayList<>();
        List<Summary.Notification> notifications = new ArrayList<>();
        supervision(runId, events, notifications);
        if (event != null) {
            events.add(new Summary.Event(event.type(), event.message()));
            notifications.addAll(notifications(alerts.send(event)));
        }
        if (best != null && Regressions.ENDED.contains(status)) {
            // after the outcome's own event: the commit status it sets is the last one, failure
            Regressions.of(store, runId, metric, origin.commit().map(Commit::branch).orElse(null), best.value(), o)
                    .ifPresent(regression -> {
                        events.add(new Summary.Event(regression.type(), regression.message()));
                        notifications.addAll(notifications(alerts.send(regression)));
                    });
        }
        store.finishRun(runId, status, best == null ? null : best.number(), clock.instant());
        boolean pullRequest = PullRef.of(origin.commit().map(Commit::branch).orElse(null)).isPresent();
        if (best != null && (status == RunStatus.SUCCEEDED || status == RunStatus.TARGET_REACHED) && !pullRequest) {
            Models.keepBest(runDir, best.number(), spec.name());
        }
        return new RunOutcome(runId, Summaries.of(runId, status, spec, origin, result, events, notifications)
                .withWarmStart(Summaries.warmStart(store, runId)),
                status == RunStatus.TARGET_MISSED ? reason(result) : null);
    }

    /** The environment could not be prepared (image, Dockerfile build, daemon): no trial ran. */
    RunOutcome environmentFailed(long runId, Spec spec, Pipeline.Origin origin, String error) {
        StudyResult none = new StudyResult(StudyResult.Ending.BUDGET_SPENT, List.of(), null, null, List.of());
        return failed(runId, spec, origin, none, new Event.TrainingFailed(eventOrigin(origin), 0, error, null,
                List.of()));
    }

    /**
     * The disk filled up outside the study (copying the checkout, ending the run): the run ends failed with the trials
     * it recorded; those recorded as running are recorded killed.
     */
    RunOutcome noSpace(long runId, Spec spec, Pipeline.Origin origin, String reason) {
        List<Trial> trials = new ArrayList<>();
        for (TrialRow row : store.trials(runId)) {
            Trial t = row.trial();
            if (t.state() == TrialState.RUNNING) {
                t = t.ended(TrialState.KILLED, reason, 0);
                store.saveTrial(runId, t, row.startedAt(), row.logPath());
            }
            trials.add(t);
        }
        StudyResult halted = new StudyResult(StudyResult.Ending.HALTED, trials, null, reason, List.of());
        return failed(runId, spec, origin, halted, new Event.TrainingFailed(eventOrigin(origin), haltedBy(halted),
                reason, null, List.of()));
    }

    /** Ends the run failed with {@code event}, notified, outside the study's own ending. */
    private RunOutcome failed(long runId, Spec spec, Pipeline.Origin origin, StudyResult result, Event event) {
        List<Summary.Notification> notifications = notifications(alerts.send(event));
        store.finishRun(runId, RunStatus.FAILED, null, clock.instant());
        return new RunOutcome(runId, Summaries.of(runId, RunStatus.FAILED, spec, origin, result,
                List.of(new Summary.Event(event.type(), event.message())), notifications));
    }

    /** The trial that found the study could not go on (its error is the reason), else the last one; 0: none. */
    private static int haltedBy(StudyResult result) {
        return result.trials().stream().filter(t -> result.detail().equals(t.error())).mapToInt(Trial::number)
                .findFirst().orElse(result.trials().isEmpty() ? 0 : result.trials().getLast().number());
    }

    /**
     * The container restarts and give-ups of the run and its pods taken off their nodes, as they were recorded, and
     * their notifications so far.
     */
    private void supervision(long runId, List<Summary.Event> events, List<Summary.Notification> notifications) {
        for (EventRow row : store.events(runId)) {
            if (Notifiable.of(row.type()).filter(Notifiable::supervision).isPresent()
                    || row.type().equals(RunEvent.PodRescheduled.TYPE)
                    || row.type().equals(RunEvent.Confirmation.TYPE)) {
                events.add(new Summary.Event(row.type(), row.message()));
            }
        }
        notifications.addAll(notifications(alerts.await(Dispatcher.WAIT)));
    }

    private static List<Summary.Notification> notifications(List<Delivery> deliveries) {
        return deliveries.stream().map(d -> new Summary.Notification(d.event(), d.channel(), d.status(), d.detail()))
                .toList();
    }

    static Event.Origin eventOrigin(Pipeline.Origin origin) {
        return new Event.Origin(origin.project(), origin.commit().map(Commit::sha).orElse(null),
                origin.commit().map(Commit::author).orElse(null),
                origin.commit().map(Commit::authorEmail).orElse(null),
                origin.commit().map(Commit::remoteUrl).orElse(null), origin.data(),
                origin.commit().map(Commit::branch).orElse(null));
    }

    private static Trial lastFailed(List<Trial> trials) {
        for (int i = trials.size() - 1; i >= 0; i--) {
            if (trials.get(i).error() != null && trials.get(i).state() != TrialState.STOPPED) {
                return trials.get(i);
            }
        }
        return null;
    }

    private static String reason(StudyResult result) {
        return switch (result.ending()) {
            case BUDGET_SPENT -> result.detail() == null ? "budget spent" : "budget spent; " + result.detail();
            case SPACE_EXHAUSTED -> "search space exhausted";
            default -> result.detail() == null ? result.ending().name().toLowerCase(Locale.ROOT) : result.detail();
        };
    }
}
