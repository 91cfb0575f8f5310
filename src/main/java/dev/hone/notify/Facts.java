package dev.hone.notify;

import dev.hone.time.Durations;
import dev.hone.tune.ParamText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The key figures of an event, label by label, and its log tail: what the Slack fields and the mail's table show. */
final class Facts {

    private Facts() {
    }

    static Map<String, String> of(Event event) {
        Map<String, String> facts = new LinkedHashMap<>();
        switch (event) {
            case Event.TrainingFailed e -> {
                facts.put("Trial", Integer.toString(e.trial()));
                facts.put("Error", e.error());
                if (e.exitCode() != null) {
                    facts.put("Exit code", e.exitCode().toString());
                }
            }
            case Event.TargetReached e -> {
                facts.put(e.metric(), Event.fmt(e.value()));
                facts.put("Target", Event.targetText(e.direction(), e.target()));
                facts.put("Trials", Integer.toString(e.trials()));
                facts.put("Best trial", Integer.toString(e.bestTrial()));
                facts.put("Parameters", params(e.params()));
                facts.put("Duration", Durations.elapsed(e.duration()));
            }
            case Event.TargetMissed e -> {
                facts.put("Best so far", e.best() == null ? "none" : Event.fmt(e.best()));
                facts.put("Target", Event.targetText(e.direction(), e.target()));
                facts.put("Trials", Integer.toString(e.trials()));
                facts.put("Why", e.reason());
                if (e.foresight() != null) {
                    facts.put("Another budget", e.foresight());
                }
            }
            case Event.RebuildFailed e -> facts.put("Error", e.error());
            case Event.ContainerRestarted e -> {
                facts.put("Container", e.container());
                facts.put("Restarts", e.restarts() + (e.maxRestarts() == null ? "" : " of " + e.maxRestarts()));
                facts.put("Reason", e.reason());
            }
            case Event.ContainerGaveUp e -> {
                facts.put("Container", e.container());
                facts.put("Restarts", Integer.toString(e.restarts()));
                facts.put("Reason", e.reason());
            }
            case Event.JobRequeued e -> {
                facts.put("Job", e.job());
                facts.put("Requeues", Integer.toString(e.requeues()));
                facts.put("Reason", e.reason());
            }
            case Event.Regression e -> {
                facts.put(e.metric(), Event.fmt(e.value()));
                facts.put("Previous best", Event.fmt(e.previous()) + " (run " + e.previousRun() + ", commit "
                        + Event.shortSha(e.previousCommit()) + ")");
                facts.put("Branch", e.branch());
            }
            case Event.ModelKept e -> {
                facts.put(e.metric(), Event.fmt(e.value()));
                facts.put("Served", Event.fmt(e.served()) + " (run " + e.servedRun() + ")");
            }
            case Event.RolledBack e -> {
                facts.put("Failed model", "run " + e.failedRun());
                facts.put("Serving again", "run " + e.restoredRun());
                facts.put("Reason", e.reason());
            }
            case Event.TestMessage e -> facts.put("Channel check", "ok");
        }
        Event.Origin origin = event.origin();
        if (origin.commit() != null) {
            facts.put("Commit", Event.shortSha(origin.commit()));
        }
        if (origin.author() != null) {
            facts.put("Author", origin.author());
        }
        if (!origin.data().isEmpty()) {
            facts.put("Data", dataText(origin.data()));
        }
        return facts;
    }

    /** Each data source with the version trained on, hashes cut to 12 digits: {@code /srv/d.csv sha256:0a1b…}. */
    static String dataText(Map<String, String> data) {
        StringBuilder text = new StringBuilder();
        data.forEach((source, version) -> text.append(text.isEmpty() ? "" : ", ").append(source).append(' ')
                .append(version.startsWith("sha256:") && version.length() > 19 ? version.substring(0, 19) : version));
        return text.toString();
    }

    /** The last lines the failing program printed; empty for events without one. */
    static List<String> tail(Event event) {
        List<String> tail = switch (event) {
            case Event.TrainingFailed e -> e.tail();
            case Event.RebuildFailed e -> e.tail();
            case Event.ContainerRestarted e -> e.tail();
            case Event.ContainerGaveUp e -> e.tail();
            case Event.JobRequeued e -> e.tail();
            default -> List.of();
        };
        return tail == null ? List.of() : tail;
    }

    static String tailTitle(Event event) {
        return event instanceof Event.RebuildFailed ? "Last lines of the rebuild program" : "Last log lines";
    }

    static String params(Map<String, Object> params) {
        return ParamText.exact(params);
    }
}
