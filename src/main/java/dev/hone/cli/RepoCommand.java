package dev.hone.cli;

import dev.hone.App;
import dev.hone.error.HoneException;
import dev.hone.data.DataDir;
import dev.hone.server.Intervals;
import dev.hone.server.RepositoryStatus;
import dev.hone.server.Watched;
import dev.hone.server.Watchlist;
import dev.hone.source.GitClient;
import dev.hone.source.GitUrls;
import dev.hone.source.HostKey;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.ServerSpecLoader;
import dev.hone.store.RepositoryRow;
import dev.hone.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "repo", description = "The repositories hone serve watches besides those of hone-server.yaml "
        + "(kept in the store; a running server picks changes up by itself).",
        subcommands = {RepoCommand.Add.class, RepoCommand.Remove.class, RepoCommand.ListRepos.class,
                RepoCommand.Trust.class})
final class RepoCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every subcommand takes, and the watchlist they work on. */
    static final class Common {
        @Mixin
        DataOption data;

        @Option(names = "--config", paramLabel = "FILE", description = "Installation settings (hone-server.yaml).")
        Path config;

        <T> T withWatchlist(App app, Function<Watchlist, T> work) {
            ServerSpec s = config == null ? ServerSpecLoader.defaults(app.env())
                    : ServerSpecLoader.load(config, app.env());
            DataDir dataDir = data.data != null || s.dataDir() == null ? app.dataDir(data.data)
                    : new DataDir(s.dataDir());
            try (Store store = app.store(dataDir)) {
                return work.apply(new Watchlist(s.repositories(), store.installation(), app.env(), app.clock()));
            }
        }
    }

    @Command(name = "add", description = "Watches a repository: its pushes to the branches are run.")
    static final class Add implements Callable<Integer> {
        private final App app;

        @Mixin
        Common common;

        @Parameters(paramLabel = "URL", description = "The git URL (https, ssh, file or an absolute path).")
        String url;

        @Option(names = {"-b", "--branch"}, paramLabel = "NAME", split = ",",
                description = "A branch to run (repeatable; * matches within a name; default main).")
        List<String> branches = List.of("main");

        @Option(names = "--poll", paramLabel = "DURATION", defaultValue = "60s",
                description = "How often to look for pushes (0: webhooks only; default 60s).")
        String poll;

        @Option(names = "--webhook-secret-env", paramLabel = "VAR",
                description = "The environment variable of hone serve that holds the webhook secret.")
        String secretEnv;

        @Option(names = "--username-env", paramLabel = "VAR", description = "Holds the HTTP user name.")
        String usernameEnv;

        @Option(names = "--password-env", paramLabel = "VAR", description = "Holds the HTTP password or token.")
        String passwordEnv;

        @Option(names = "--ssh-key-file", paramLabel = "FILE",
                description = "The private deploy key of an ssh URL (the file stays where it is; default: the keys in "
                        + "~/.ssh of the user hone serve runs as).")
        Path sshKeyFile;

        @Option(names = "--passphrase-env", paramLabel = "VAR", description = "Holds the passphrase of --ssh-key-file.")
        String passphraseEnv;

        @Option(names = "--known-hosts", paramLabel = "FILE",
                description = "The known_hosts file of the ssh server (default: ~/.ssh/known_hosts of the server's "
                        + "user).")
        Path knownHosts;

        @Option(names = "--ca-cert", paramLabel = "FILE",
                description = "The CA certificate (PEM) of an https server with a private CA.")
        Path caCert;

        Add(App app) {
            this.app = app;
        }

        @Override
        public Integer call() {
            Duration interval = Intervals.parse(poll).orElseThrow(() ->
                    new HoneException("--poll must be a duration such as 60s, 5m or 0, got " + poll));
            Watched added = common.withWatchlist(app, w -> w.add(new RepositoryRow(0, url, branches, interval,
                    secretEnv, usernameEnv, passwordEnv, absolute(sshKeyFile), passphraseEnv, absolute(knownHosts),
                    absolute(caCert), null)));
            app.out().println("watching " + added.source() + " (id " + added.id() + ") · branches "
                    + String.join(", ", added.branches()) + " · poll " + Intervals.format(added.poll()));
            return 0;
        }
    }

    @Command(name = "remove", description = "Stops watching a repository added with hone repo add.")
    static final class Remove implements Callable<Integer> {
        private final App app;

        @Mixin
        Common common;

        @Parameters(paramLabel = "URL", description = "The repository's URL as added.")
        String url;

        Remove(App app) {
            this.app = app;
        }

        @Override
        public Integer call() {
            common.withWatchlist(app, w -> {
                w.remove(url);
                return null;
            });
            app.out().println("no longer watching " + GitUrls.mask(url)
                    + " (its runs stay in the history)");
            return 0;
        }
    }

    @Command(name = "list", description = "The watched repositories and how each is doing; a failing one's problem "
            + "is printed under it.")
    static final class ListRepos implements Callable<Integer> {
        private final App app;

        @Mixin
        Common common;

        @Mixin
        Remote.ServerOption server;

        ListRepos(App app) {
            this.app = app;
        }

        /** A watched repository as the list shows it, from the local settings or from a server's API. */
        record Row(Long id, String url, List<String> branches, String poll, boolean configured, String status,
                   String problem) {}

        @Override
        public Integer call() {
            List<Row> rows = server.server != null ? Remote.of(server.server, app.env()).repositories()
                    : common.withWatchlist(app, watchlist -> watchlist.all().stream().map(w -> {
                        RepositoryStatus status = watchlist.status(w);
                        return new Row(w.id(), w.source(), w.branches(), Intervals.format(w.poll()), w.configured(),
                                status.state().label(), status.problem());
                    }).toList());
            if (rows.isEmpty()) {
                app.out().println("no repositories watched: add one with hone repo add URL");
                return 0;
            }
            app.out().println(String.format("%-5s %-50s %-20s %-6s %-16s %s", "ID", "URL", "BRANCHES", "POLL", "FROM",
                    "STATUS"));
            for (Row r : rows) {
                app.out().println(String.format("%-5s %-50s %-20s %-6s %-16s %s", r.id() == null ? "-" : r.id(),
                        r.url(), String.join(",", r.branches()), r.poll(),
                        r.configured() ? "hone-server.yaml" : "added", r.status()));
                if (r.problem() != null) {
                    app.out().println("      ! " + r.problem());
                }
            }
            return 0;
        }
    }

    @Command(name = "trust", description = "Shows the SSH host key of HOST and records it in known_hosts, so hone "
            + "serve fetches from it (compare the fingerprint with the one the host publishes first).")
    static final class Trust implements Callable<Integer> {
        private final App app;

        @Parameters(paramLabel = "HOST", description = "The ssh server: github.com, gitlab.example.com:2222.")
        String host;

        @Option(names = "--known-hosts", paramLabel = "FILE",
                description = "Where to record it (default: ~/.ssh/known_hosts; run as the user hone serve runs as).")
        Path knownHosts;

        @Option(names = "--fingerprint", paramLabel = "SHA256:…",
                description = "Record the key only when its fingerprint is this one.")
        String fingerprint;

        Trust(App app) {
            this.app = app;
        }

        @Override
        public Integer call() {
            GitClient git = new GitClient(app.env());
            Path file = knownHosts == null ? git.knownHosts() : knownHosts.toAbsolutePath();
            HostKey key = git.hostKey(host);
            app.out().println(key.address() + " offers " + key.type() + " " + key.fingerprint());
            if (fingerprint != null && !fingerprint.strip().equals(key.fingerprint())) {
                throw new HoneException("the key of " + key.address() + " has the fingerprint " + key.fingerprint()
                        + ", not " + fingerprint.strip() + ": nothing recorded — make sure you reach the right "
                        + "server");
            }
            if (git.trusts(file, key)) {
                app.out().println("already trusted in " + file);
                return 0;
            }
            git.trust(file, key);
            app.out().println("trusted: recorded in " + file);
            return 0;
        }
    }

    private static Path absolute(Path path) {
        return path == null ? null : path.toAbsolutePath().normalize();
    }
}
