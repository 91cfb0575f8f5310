package dev.hone.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.hone.data.DataDir;
import dev.hone.error.HoneException;
import dev.hone.source.Commit;
import dev.hone.source.History;
import dev.hone.spec.Spec;
import dev.hone.spec.SpecLoader;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.store.TrialRow;
import dev.hone.tune.ParamText;
import dev.hone.tune.Trial;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What a run's trials need to be trained again exactly, recorded when the run starts ({@link Record}), and
 * {@code hone reproduce RUN TRIAL}: that trial trained again in a fresh workspace — the run's commit checked out (else
 * the run's pristine copy of its directory), its {@code hone.yaml}, the trial's parameters and the run's seed — and
 * whether the value is the same.
 */
public final class Reproduction {

    /** {@code pip freeze} beyond this is cut: a record, not a dump. */
    static final int MAX_FREEZE = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * A run's record: its commit, branch and source, the executor and image it trained with (the image's name and,
     * for Docker, {@code imageDigest}: its id and registry digests then), the Python version and {@code pip freeze} of this machine for the local executor
     * (at most {@value #MAX_FREEZE} bytes), the seed its study and trials were given ({@code HONE_SEED}) and its
     * {@code hone.yaml}. The data versions are the run's ({@code Store#dataVersions}), each trial's parameters its own.
     */
    public record Record(String commit, String branch, String source, String executor, String image,
                         String imageDigest, String python, String pipFreeze, long seed, String honeYaml) {

        String json() {
            try {
                return JSON.writeValueAsString(this);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        static Record of(String json) {
            try {
                return JSON.readValue(json, Record.class);
            } catch (JsonProcessingException e) {
                throw new HoneException("the reproducibility record is not JSON: " + e.getOriginalMessage());
            }
        }
    }

    /** The outcome of {@code hone reproduce}: whether the value is the same, and the line that says so. */
    public record Result(boolean same, String message) {}

    private Reproduction() {}

    /** The record of a run about to train in {@code dir}. */
    static Record record(Path dir, Optional<Commit> commit, String executor, String image, String imageDigest,
                         String honeYaml, long seed, Map<String, String> env) {
        boolean local = "local".equals(executor);
        return new Record(commit.map(Commit::sha).orElse(null), commit.map(Commit::branch).orElse(null),
                dir.toString(), executor, image, imageDigest, local ? output(dir, env, "python3", "--version") : null,
                local ? output(dir, env, "python3", "-m", "pip", "freeze", "--disable-pip-version-check") : null, seed,
                honeYaml);
    }

    /** The seed a run recorded, for a run that resumes. */
    static Optional<Long> seedOf(Store store, long runId) {
        return store.reproduction(runId).map(json -> Record.of(json).seed());
    }

    /** What a command printed (at most {@value #MAX_FREEZE} bytes), or null when it could not run within 30 s. */
    private static String output(Path dir, Map<String, String> env, String... command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
        try {
            Process p = pb.start();
            byte[] bytes;
            try (InputStream in = p.getInputStream()) {
                bytes = in.readNBytes(MAX_FREEZE);
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? new String(bytes, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Trains trial {@code number} of run {@code runId} again in a fresh workspace through {@code train}, and says
     * whether its value is the same.
     */
    public static Result reproduce(Store store, DataDir data, long runId, int number,
                                   Function<RunRequest, RunOutcome> train, Spec.Executor executor, PrintStream out) {
        RunRow run = store.run(runId).orElseThrow(() -> new HoneException("no run " + runId + " in " + store
                + ": `hone runs` lists them"));
        Trial trial = store.trials(runId).stream().map(TrialRow::trial).filter(t -> t.number() == number)
                .findFirst().orElseThrow(() -> new HoneException("run " + runId + " has no trial " + number
                        + ": `hone trials " + runId + "` lists them"));
        Record record = Record.of(store.reproduction(runId).orElseThrow(() -> new HoneException("run " + runId
                + " has no reproducibility record (an older Hone recorded it): it cannot be reproduced")));
        if (Files.exists(data.run(runId).trial(number).diff())) {
            out.println("hone: reproduce: trial " + number + " ran with the rebuild program's edits"
                    + " (workspace.diff); reproduce trains the commit without them");
        }
        Path scratch;
        try {
            scratch = Files.createTempDirectory("hone-reproduce-");
        } catch (IOException e) {
            throw new HoneException("cannot create a fresh workspace for reproduce: " + e.getMessage(), e);
        }
        try {
            Path fresh = workspace(record, data.run(runId).pristine(), scratch,
                    run.project());
            out.printf("hone: reproduce: trial %d of run %d (%s) at %s, seed %d, in %s%n", number, runId,
                    ParamText.exact(trial.params()), record.commit() == null ? "the run's copy of " + record.source()
                            : "commit " + record.commit().substring(0, 12), record.seed(), fresh);
            RunOutcome again = train.apply(new RunRequest(fresh, executor, null, 1, 1, record.seed(),
                    trial.params()));
            Double now = again.summary().best() == null ? null : again.summary().best().value();
            String metric = run.metric() == null ? "value" : run.metric().name();
            String then = trial.value() == null ? "none" : ParamText.exact(trial.value());
            boolean same = now != null && now.equals(trial.value());
            String changed = store.reproduction(again.runId()).map(Record::of).map(r -> changes(record, r))
                    .orElse("");
            return new Result(same, same
                    ? "trial " + number + " of run " + runId + " reproduced: " + metric + " " + then
                            + ", the same value (run " + again.runId() + ")" + changed
                    : "trial " + number + " of run " + runId + " did not reproduce: " + metric + " "
                            + (now == null ? "none" : ParamText.exact(now)) + " now, " + then + " then (run "
                            + again.runId() + ")" + changed);
        } finally {
            try {
                DataDir.delete(scratch);
            } catch (IOException e) {
                out.println("hone: reproduce: could not remove " + scratch + ": " + e.getMessage());
            }
        }
    }

    /**
     * What differs between the environment a run trained in and the one it was reproduced in — the image's content
     * (same name, another image), the Python version, the installed packages — as sentences after "; ", or "".
     */
    static String changes(Record then, Record now) {
        StringBuilder s = new StringBuilder();
        if (then.imageDigest() != null && now.imageDigest() != null
                && !firstWord(then.imageDigest()).equals(firstWord(now.imageDigest()))) {
            s.append("; the image ").append(now.image()).append(" is another now (").append(firstWord(then
                    .imageDigest())).append(" then, ").append(firstWord(now.imageDigest())).append(" now)");
        }
        if (then.python() != null && now.python() != null && !then.python().equals(now.python())) {
            s.append("; ").append(then.python()).append(" then, ").append(now.python()).append(" now");
        }
        if (then.pipFreeze() != null && now.pipFreeze() != null && !then.pipFreeze().equals(now.pipFreeze())) {
            s.append("; the installed packages differ (pip freeze)");
        }
        return s.toString();
    }

    private static String firstWord(String text) {
        int space = text.indexOf(' ');
        return space < 0 ? text : text.substring(0, space);
    }

    /** The run's commit checked out (or its pristine copy), with its recorded hone.yaml. */
    private static Path workspace(Record record, Path pristine, Path scratch, String project) {
        Path fresh = scratch.resolve(project);
        try {
            if (record.commit() != null) {
                History.of(Path.of(record.source())).checkout(record.commit(), fresh);
            } else if (Files.isDirectory(pristine)) {
                return pristine; // the pipeline trains a copy of it, never it
            } else {
                throw new HoneException("the run has no commit and its copy of " + record.source() + " is gone"
                        + " (retention.workspaces): it cannot be reproduced");
            }
            if (record.honeYaml() != null) {
                Files.writeString(fresh.resolve(SpecLoader.FILE_NAMES.getFirst()), record.honeYaml());
            }
            return fresh;
        } catch (IOException e) {
            throw new HoneException("cannot write the fresh workspace " + fresh + ": " + e.getMessage(), e);
        }
    }
}
