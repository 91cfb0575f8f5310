package dev.hone.notify;

import dev.hone.tune.Direction;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The events of the tests: a run of "digits" at a commit of Ana's on GitHub. */
final class Events {

    static final String SHA = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
    static final Event.Origin ORIGIN = new Event.Origin("digits", SHA, "Ana Lima <ana@example.com>",
            "ana@example.com", "https://github.com/acme/digits.git");
    static final List<String> TAIL = List.of("Traceback (most recent call last):",
            "  File \"main.py\", line 12, in <module>", "    model.fit(X, y)",
            "ValueError: Input contains NaN, infinity or a value too large for dtype('float64').");

    private Events() {
    }

    static Event.TrainingFailed trainingFailed() {
        return trainingFailed(ORIGIN);
    }

    static Event.TrainingFailed trainingFailed(Event.Origin origin) {
        return new Event.TrainingFailed(origin, 3,
                "ValueError: Input contains NaN, infinity or a value too large for dtype('float64'). (exit 1)", 1,
                TAIL);
    }

    static Event.TargetReached targetReached() {
        return targetReached(ORIGIN);
    }

    static Event.TargetReached targetReached(Event.Origin origin) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("C", 3.2);
        params.put("kernel", "rbf");
        return new Event.TargetReached(origin, "accuracy", Direction.MAXIMIZE, 0.963, 0.96, 5, 4, params,
                Duration.ofSeconds(95));
    }

    static Event.TargetMissed targetMissed() {
        return targetMissed(ORIGIN);
    }

    static Event.TargetMissed targetMissed(Event.Origin origin) {
        return new Event.TargetMissed(origin, "accuracy", Direction.MAXIMIZE, 0.951, 0.96, 30, "budget spent");
    }

    static Event.RebuildFailed rebuildFailed() {
        return new Event.RebuildFailed(ORIGIN, "rebuild.py failed (exit 2): KeyError: 'layers'",
                List.of("Traceback (most recent call last):", "KeyError: 'layers'"));
    }

    static Event.ContainerRestarted containerRestarted() {
        return new Event.ContainerRestarted(ORIGIN, "hone-digits-serve", 2, 5, "exited with code 137 (out of memory)",
                List.of("Killed"));
    }

    static Event.ContainerGaveUp containerGaveUp() {
        return new Event.ContainerGaveUp(ORIGIN, "hone-digits-serve", 5, "exited with code 1", List.of("boom"));
    }

    static Event.JobRequeued jobRequeued() {
        return new Event.JobRequeued(ORIGIN, "hone-digits-r7-t3", 1, "job 812 lost: NODE_FAIL (NodeDown); trial 3 runs"
                + " again as a new job", List.of("epoch 4"));
    }

    static Event.Regression regression(Event.Origin origin) {
        return new Event.Regression(origin, "accuracy", Direction.MAXIMIZE, 0.91, "main", 6,
                "0f1e2d3c4b5a69788796a5b4c3d2e1f001234567", 0.95, 0);
    }

    static Event.ModelKept modelKept(Event.Origin origin) {
        return new Event.ModelKept(origin, "accuracy", Direction.MAXIMIZE, 0.949, 6, 0.953, 0.002);
    }

    static Event.RolledBack rolledBack(Event.Origin origin) {
        return new Event.RolledBack(origin, 7, 6, "its health check failed 3 times in a row (GET /health: HTTP 503)",
                Duration.ofMinutes(10));
    }

    static Notice notice(Event event) {
        return new Notice(7L, event, "https://hone.example.com/runs/7", "hone-run7-" + event.type() + "-test");
    }
}
