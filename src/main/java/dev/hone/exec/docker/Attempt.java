package dev.hone.exec.docker;

import dev.hone.exec.ProcessRequest;
import dev.hone.exec.ProcessResult.Ending;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import org.slf4j.LoggerFactory;

/**
 * A request in flight in a {@link DockerSession}: the {@link TrialRun} it has now (a new one each time the container
 * is started again under it), and why it must stop (cancelled, stopped early) once it must.
 */
final class Attempt {

    final ProcessRequest request;
    final CompletableFuture<String> stop = new CompletableFuture<>();
    volatile TrialRun run;

    Attempt(ProcessRequest request) {
        this.request = request;
    }

    /** Stops it for good with {@code why}: the run it has is killed, and it is not run again. */
    void stop(String why) {
        stop.complete(why);
        TrialRun r = run;
        if (r != null) {
            r.stop(Ending.KILLED, why);
        }
    }

    /** "trial 3" (from the trial contract's HONE_TRIAL), else "the command". */
    String what() {
        String n = request.env() == null ? null : request.env().get("HONE_TRIAL");
        return n == null ? "the command" : "trial " + n;
    }

    /** Adds a line of Hone's own to the request's log ("--- hone: container restarted …"). */
    void mark(String line) {
        if (request.logFile() == null) {
            return;
        }
        try {
            Files.writeString(request.logFile(), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            LoggerFactory.getLogger(Attempt.class).warn("cannot mark the restart in {}: {}", request.logFile(),
                    e.getMessage());
        }
    }
}
