package dev.hone.pipeline;

import dev.hone.error.HoneException;
import dev.hone.data.RunDir;
import dev.hone.notify.Event;
import dev.hone.run.RunStatus;
import dev.hone.serving.Deployments;
import dev.hone.spec.Spec;
import java.io.PrintStream;
import java.util.List;

/** The last step of a run that reached its target: its best trial's model served ({@code serve:}, DESIGN §2). */
final class Served {

    private Served() {}

    static void serve(Deployments deployments, RunOutcome outcome, Spec spec, RunDir runDir, String executor,
                      String image, Alerts alerts, Event.Origin origin, PrintStream out) {
        Summary summary = outcome.summary();
        if (spec.serve() == null || summary.status() != RunStatus.TARGET_REACHED || summary.best() == null) {
            return;
        }
        if (deployments == null) {
            out.println("hone: serve: hone serve keeps the model serving; hone run leaves it in the run's trial "
                    + summary.best().trial() + " output");
            return;
        }
        if (!"docker".equals(executor) || image == null) {
            out.println("hone: serve: not served: a model is served from the run's image, and this run trained with"
                    + " the " + executor + " executor (set environment.executor: docker)");
            return;
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
    }
}
