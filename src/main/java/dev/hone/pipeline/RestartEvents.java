package dev.hone.pipeline;

import dev.hone.exec.SessionEvents;
import dev.hone.notify.Event;
import dev.hone.run.RunEvent;
import dev.hone.time.Durations;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A run's environment restarted under its trials: the trials that ran in it start over (their metric readings
 * too), and {@code container_restarted} / {@code container_gave_up} are recorded and notified; a trial's pod taken
 * off its node starts over the same way, recorded as {@code pod_rescheduled}, and so does a batch job the cluster
 * lost and Hone submitted again, recorded and notified as {@code job_requeued}.
 */
final class RestartEvents implements SessionEvents {

    private final Alerts alerts;
    private final Event.Origin origin;
    private final TrialExecution trials;

    RestartEvents(Alerts alerts, Event.Origin origin, TrialExecution trials) {
        this.alerts = alerts;
        this.origin = origin;
        this.trials = trials;
    }

    @Override
    public void restarted(Restart restart) {
        List<Integer> rerun = trials.restarted(restart.rerun());
        String again = rerun.isEmpty() ? "" : "; " + (rerun.size() == 1 ? "trial " : "trials ")
                + rerun.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " run"
                + (rerun.size() == 1 ? "s" : "") + " again";
        // the restarts since it last ran healthy are what max_restarts limits; after a healthy period, only the total
        Integer max = restart.inARow() == restart.total() ? restart.maxRestarts() : null;
        alerts.report(new Event.ContainerRestarted(origin, restart.container(), restart.total(), max,
                restart.reason() + again + " (back in " + Durations.elapsed(restart.downtime()) + ")", List.of()));
    }

    @Override
    public void rescheduled(Rescheduled rescheduled) {
        List<Integer> rerun = trials.restarted(List.of(rescheduled.request()));
        alerts.log(new RunEvent.PodRescheduled(rerun.isEmpty() ? null : rerun.getFirst().toString(),
                rescheduled.pod(), rescheduled.reason()));
    }

    @Override
    public void requeued(Requeue requeue) {
        List<Integer> rerun = trials.restarted(requeue.rerun());
        String again = rerun.isEmpty() ? "" : "; trial " + rerun.getFirst() + " runs again";
        alerts.report(new Event.JobRequeued(origin, requeue.job(), requeue.requeues(), "job " + requeue.lostJob()
                + " lost: " + requeue.reason() + again + " as a new job", List.of()));
    }

    @Override
    public void gaveUp(GaveUp gaveUp) {
        alerts.report(new Event.ContainerGaveUp(origin, gaveUp.container(), gaveUp.restarts(), gaveUp.reason()
                + "; the run's remaining trials fail", List.of()));
    }
}
