package dev.hone.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.data.RunDir;
import dev.hone.exec.Executor;
import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult;
import dev.hone.exec.Workspace;
import dev.hone.metrics.MetricPoint;
import dev.hone.time.Durations;
import dev.hone.tune.Rebuilder;
import dev.hone.tune.Trial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The rebuild program of strategy {@code script} (DESIGN §4), run in the run's session and workspace. Before each
 * run it checkpoints the workspace (so a Hone stopped midway resumes without the half-made edits) and writes the
 * trial history to the run directory's {@link RunDir#rebuildHistory()}, passing its path as {@code $HONE_HISTORY};
 * its output goes to {@link RunDir#rebuildLog(int)}. The next trial runs with the parameters of the program's last
 * output line when that is a JSON object (else with the previous trial's), on the workspace as the program left it.
 */
final class ScriptRebuilder implements Rebuilder {

    /** The rebuild program's own time limit; the study timeout still applies. */
    static final Duration TIMEOUT = Duration.ofHours(1);

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Executor.Session session;
    private final String command;
    private final RunDir runDir;
    private final Workspace workspace;
    private final Map<String, String> env;
    private final AtomicInteger runs = new AtomicInteger();

    /** @param env variables for the program on top of the session's (HONE_HISTORY is added) */
    ScriptRebuilder(Executor.Session session, String command, RunDir runDir, Workspace workspace,
                           Map<String, String> env) {
        this.session = session;
        this.command = command;
        this.runDir = runDir;
        this.workspace = workspace;
        this.env = Map.copyOf(env);
    }

    @Override
    public Outcome rebuild(List<Trial> history) {
        int k = runs.incrementAndGet();
        try {
            workspace.checkpoint(history.stream().mapToInt(Trial::number).max().orElse(0) + 1);
        } catch (UncheckedIOException e) {
            return new Failed("cannot keep a copy of the workspace for the rebuild program: " + e.getMessage(),
                    List.of());
        }
        Outcome outcome = runProgram(history, k);
        if (outcome instanceof Failed) {
            workspace.release(); // the run ends here: its edits stay in the workspace, as the report shows them
        }
        return outcome;
    }

    private Outcome runProgram(List<Trial> history, int k) {
        Path historyFile = runDir.rebuildHistory();
        try {
            Files.createDirectories(runDir.root());
            JSON.writerWithDefaultPrettyPrinter().writeValue(historyFile.toFile(), historyJson(history));
        } catch (IOException e) {
            return new Failed("cannot write the trial history for the rebuild program to " + historyFile + ": "
                    + e.getMessage(), List.of());
        }
        Map<String, String> vars = new LinkedHashMap<>(env);
        vars.put("HONE_HISTORY", historyFile.toString());
        Deque<String> lines = new ArrayDeque<>();
        ProcessResult result = session.run(new ProcessRequest(command, vars, runDir.rebuildLog(k),
                TIMEOUT, line -> {
                    synchronized (lines) {
                        lines.addLast(line);
                        if (lines.size() > ProcessResult.TAIL_LINES) {
                            lines.removeFirst();
                        }
                    }
                }));
        List<String> output;
        synchronized (lines) {
            output = List.copyOf(lines);
        }
        List<String> tail = result.tail() == null || result.tail().isEmpty() ? output : List.copyOf(result.tail());
        String last = lastLine(output.isEmpty() ? tail : output);
        if (!result.succeeded()) {
            return new Failed(failure(result, last), tail);
        }
        Map<String, Object> params;
        if (last != null && last.startsWith("{")) {
            try {
                params = parseParams(last);
            } catch (IllegalArgumentException e) {
                return new Failed("rebuild program printed an invalid parameter line: " + last + " ("
                        + e.getMessage() + "); print a JSON object such as {\"C\": 3.2} as the last line", tail);
            }
        } else {
            params = history.isEmpty() ? Map.of() : history.getLast().params();
        }
        return new Next(params, workspace.diff());
    }

    private String failure(ProcessResult r, String last) {
        String program = "rebuild program `" + command + "` ";
        String detail = r.detail() == null ? "" : r.detail();
        return switch (r.ending()) {
            case EXITED -> program + "exited " + r.exitCode() + (last == null ? " with no output" : ": " + last);
            case TIMED_OUT -> program + (detail.isEmpty() ? "timed out after " + Durations.format(TIMEOUT) : detail);
            case KILLED -> program + "was killed" + (detail.isEmpty() ? "" : ": " + detail);
            case OOM_KILLED -> program + "was killed: " + (detail.isEmpty() ? "out of memory" : detail);
            case FAILED_TO_START -> program + "could not start" + (detail.isEmpty() ? "" : ": " + detail);
        };
    }

    /** A JSON object of scalars: integral numbers become Long, other numbers Double. */
    static Map<String, Object> parseParams(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage().lines().findFirst().orElse("not JSON"));
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode v = field.getValue();
            Object value;
            if (v.isIntegralNumber() && v.canConvertToLong()) {
                value = v.longValue();
            } else if (v.isNumber()) {
                value = v.doubleValue();
            } else if (v.isTextual()) {
                value = v.textValue();
            } else if (v.isBoolean()) {
                value = v.booleanValue();
            } else {
                throw new IllegalArgumentException("the value of \"" + field.getKey()
                        + "\" is not a number, string or boolean");
            }
            params.put(field.getKey(), value);
        }
        return params;
    }

    private static List<Map<String, Object>> historyJson(List<Trial> history) {
        List<Map<String, Object>> trials = new ArrayList<>();
        for (Trial t : history) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("number", t.number());
            m.put("params", t.params());
            m.put("value", t.value());
            m.put("state", t.state().label());
            m.put("exit_code", t.exitCode());
            m.put("duration_ms", t.durationMs());
            m.put("error", t.error());
            List<Map<String, Object>> points = new ArrayList<>();
            for (MetricPoint p : t.intermediate() == null ? List.<MetricPoint>of() : t.intermediate()) {
                points.add(Map.of("step", p.step(), "value", p.value()));
            }
            m.put("intermediate", points);
            trials.add(m);
        }
        return trials;
    }

    private static String lastLine(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).strip();
            if (!line.isEmpty()) {
                return line;
            }
        }
        return null;
    }
}
