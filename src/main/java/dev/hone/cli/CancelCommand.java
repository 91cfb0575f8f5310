package dev.hone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.App;
import dev.hone.error.HoneException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code hone cancel RUN --server URL}: asks a running {@code hone serve} to cancel a run
 * ({@code POST /api/runs/{id}/cancel}, a token with write access). A {@code hone run} is cancelled with Ctrl-C.
 */
@Command(name = "cancel", description = "Cancels a run of a running hone serve (--server URL; a token with write "
        + "access). A hone run in a terminal is cancelled with Ctrl-C.")
final class CancelCommand implements Callable<Integer> {

    private final App app;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run's id (see `hone runs --server URL`).")
    long runId;

    @Mixin
    Remote.ServerOption server;

    CancelCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() {
        if (server.server == null) {
            throw new HoneException("give the server that runs it: hone cancel " + runId + " --server URL (a hone "
                    + "run is cancelled with Ctrl-C where it runs)");
        }
        JsonNode answer = Remote.of(server.server, app.env()).post("/api/runs/" + runId + "/cancel");
        app.out().println("run " + runId + ": " + answer.path("status").asText());
        return 0;
    }
}
