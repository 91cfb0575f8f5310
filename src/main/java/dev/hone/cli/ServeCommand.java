package dev.hone.cli;

import dev.hone.App;
import dev.hone.error.HoneException;
import dev.hone.data.DataDir;
import dev.hone.logging.LogFormat;
import dev.hone.logging.ServerLog;
import dev.hone.server.Intervals;
import dev.hone.server.QueuePolicy;
import dev.hone.server.Server;
import dev.hone.spec.ServerSpec;
import dev.hone.store.Store;
import dev.hone.web.WebServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", description = {
        "The server: watches repositories (polling and webhooks), runs the pipeline on every push to a watched "
                + "branch, serves the REST API, /health and /metrics.",
        "Stops gracefully on Ctrl-C or SIGTERM: running trials are stopped and their runs recorded as interrupted; "
                + "queued runs stay queued for the next start."})
final class ServeCommand implements Callable<Integer> {

    private final App app;

    @Mixin
    InstallationOptions installation;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Overrides listen: of the settings.")
    String listen;

    @Option(names = "--runs-per-project", paramLabel = "N",
            description = "Runs of one project at once; overrides limits.runs_per_project (default: limits.runs).")
    Integer runsPerProject;

    @Option(names = "--coalesce", negatable = true,
            description = "Run only the newest of a burst of pushes to one branch (--no-coalesce: every push); "
                    + "overrides queue.coalesce (default: true).")
    Boolean coalesce;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION", defaultValue = "30s",
            description = "How long running trials get to stop on shutdown (default 30s).")
    String grace;

    @Option(names = "--log-format", paramLabel = "text|json",
            description = "The log's lines: text (time, level, logger, run and trial, message) or json (one object "
                    + "a line with time, level, logger, run, trial, message); overrides log.format (default text).")
    String logFormat;

    ServeCommand(App app) {
        this.app = app;
    }

    @Override
    public Integer call() throws InterruptedException {
        Settings settings = installation.settings(app);
        ServerSpec spec = settings.server();
        Duration graceTime = Intervals.parse(grace).orElseThrow(() ->
                new HoneException("--shutdown-grace must be a duration such as 30s or 2m, got " + grace));
        DataDir dataDir = settings.dataDir();
        ServerSpec.Listen address = listen == null ? spec.listen() : parse(listen);
        ServerSpec.ReadAccess reads = spec.readAccess(address);
        QueuePolicy policy = policy(spec);
        LogFormat format = logFormat == null ? LogFormat.of(spec.log().format(), "log.format")
                : LogFormat.of(logFormat, "--log-format");
        PrintStream console = ServerLog.install(format, app.out(), spec.secrets(app.env())).console();
        dataDir.prepare();
        Store store = settings.openStoreOrExit(app);
        Server server = app.server(store, dataDir, spec.withReadAccess(reads), policy, console);
        WebServer web;
        try { // before the server starts, so nothing runs when the address is taken
            web = app.web(server).start(address.host(), address.port());
        } catch (HoneException e) {
            server.stop(Duration.ZERO);
            store.close();
            throw e;
        }
        try {
            server.start();
        } catch (HoneException e) {
            web.stop();
            server.stop(Duration.ZERO);
            store.close();
            throw e;
        }
        int watched = server.watchlist().all().size();
        console.printf("hone: serving on http://%s:%d · %d %s watched · data in %s%n", address.host(), web.port(),
                watched, watched == 1 ? "repository" : "repositories", dataDir);
        console.println("hone: " + readAccess(reads, spec.readAccess() != null, address));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            console.println("hone: stopping: no new requests; running trials get " + grace + " to stop");
            web.stop();
            server.stop(graceTime);
            store.close();
            stopped.countDown();
        }, "hone-shutdown"));
        stopped.await();
        return 0;
    }

    /** The settings' queue policy, with the flags given over it. */
    QueuePolicy policy(ServerSpec spec) {
        int runs = spec.limits().runs();
        if (runsPerProject != null && (runsPerProject < 1 || runsPerProject > runs)) {
            throw new HoneException("--runs-per-project must be between 1 and limits.runs (" + runs + "), got "
                    + runsPerProject);
        }
        return new QueuePolicy(runs, runsPerProject == null ? spec.limits().runsPerProject() : runsPerProject,
                coalesce == null ? spec.queue().coalesce() : coalesce);
    }

    /** Who may read, and why: what {@code hone serve} says at start. */
    static String readAccess(ServerSpec.ReadAccess reads, boolean set, ServerSpec.Listen address) {
        String why = set ? " (read_access: " + reads.label() + ")"
                : reads == ServerSpec.ReadAccess.PUBLIC ? " (the default on a loopback address)"
                : " (the default where listen is not a loopback address)";
        return switch (reads) {
            case PUBLIC -> "read access: public" + why + " — anyone who reaches " + address.address()
                    + " reads runs, logs and parameters" + (set ? "" : "; set read_access: token to require a token");
            case TOKEN -> "read access: token" + why + " — the API and the dashboard need a token to read; make one "
                    + "with: hone token create --name NAME --scope read";
        };
    }

    private static ServerSpec.Listen parse(String text) {
        int colon = text.lastIndexOf(':');
        try {
            String host = colon <= 0 ? "127.0.0.1" : text.substring(0, colon).replaceAll("^\\[|]$", "");
            int port = Integer.parseInt(text.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new ServerSpec.Listen(host, port);
        } catch (NumberFormatException e) {
            throw new HoneException("--listen must be HOST:PORT or :PORT with a port up to 65535, got " + text);
        }
    }
}
