package dev.hone.spec;

import dev.hone.source.GitAuth;
import dev.hone.source.GitUrls;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The installation's settings, as read from {@code hone-server.yaml} (DESIGN §2b) by {@link ServerSpecLoader}.
 * Every part has a default ({@link ServerSpecLoader#defaults}); {@code null} means "not set" only where a comment
 * says so. Secrets — the API token, webhook secrets, passwords, tokens, the Slack and webhook URLs — are held as
 * given, and every {@code toString} masks them, so logging a spec never leaks one.
 *
 * @param dataDir       the store, logs, artifacts and workspaces; a leading {@code ~} is expanded with HOME. Null
 *                      only when the file does not set it and HOME is not set either: the caller decides.
 * @param store         {@value #SQLITE} (a file in {@code dataDir}) or a {@code jdbc:postgresql://} URL
 * @param publicUrl     the dashboard's address for links in notifications, without a trailing slash; null: none
 * @param apiToken      the bearer token of the write endpoints; null: none set
 * @param executor      the executor of repositories whose {@code hone.yaml} does not choose one
 * @param queue         how queued runs are started
 * @param repositories  watched repositories, in file order
 * @param notifications the {@code notify} section: the channels' servers and credentials
 * @param readAccess    who may read the API and the dashboard; null: not set, so it follows the address
 *                      {@link #readAccess(Listen) listened on}
 * @param trialEnv      what of Hone's environment reaches a trial ({@code trial_env})
 * @param retention     how long what runs leave is kept ({@code retention})
 * @param slurm         what the Slurm executor needs of the installation ({@code slurm})
 * @param dataRoots     where the data a {@code hone.yaml} names may be read from ({@code data_roots}): absolute
 *                      directories and http(s) URL prefixes ending in {@code /}; empty: nowhere
 * @param controller    the leases of the runs this controller claims ({@code controller})
 */
public record ServerSpec(Path dataDir, String store, Listen listen, String publicUrl, String apiToken,
                         Spec.Executor executor, Limits limits, Queue queue, List<Repository> repositories,
                         Channels notifications, ReadAccess readAccess, TrialEnv trialEnv, Retention retention,
                         Slurm slurm, List<String> dataRoots, Controller controller, Log log) {

    public static final String SQLITE = "sqlite";
    public static final String POSTGRESQL_URL_PREFIX = "jdbc:postgresql://";
    public static final Listen DEFAULT_LISTEN = new Listen("127.0.0.1", 8080);
    /** The most a trial's log holds unless {@code limits.log_size} says otherwise: 64 MiB. */
    public static final long DEFAULT_LOG_SIZE = 64L * 1024 * 1024;
    /** The smallest {@code limits.log_size}: room for a beginning, a marker and an end worth reading. */
    public static final long MIN_LOG_SIZE = 64 * 1024;
    public static final Limits DEFAULT_LIMITS = new Limits(2, 4);
    public static final Queue DEFAULT_QUEUE = new Queue(true);
    public static final List<String> DEFAULT_BRANCHES = List.of("main");
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(60);
    public static final String DEFAULT_GITHUB_API_URL = "https://api.github.com";
    public static final String DEFAULT_GITLAB_URL = "https://gitlab.com";

    public ServerSpec {
        trialEnv = trialEnv == null ? TrialEnv.NONE : trialEnv;
        retention = retention == null ? Retention.DEFAULT : retention;
        slurm = slurm == null ? Slurm.DEFAULT : slurm;
        dataRoots = dataRoots == null ? List.of() : List.copyOf(dataRoots);
        controller = controller == null ? Controller.DEFAULT : controller;
        log = log == null ? Log.DEFAULT : log;
    }

    /** Settings without a {@code log} section. */
    public ServerSpec(Path dataDir, String store, Listen listen, String publicUrl, String apiToken,
                      Spec.Executor executor, Limits limits, Queue queue, List<Repository> repositories,
                      Channels notifications, ReadAccess readAccess, TrialEnv trialEnv, Retention retention,
                      Slurm slurm, List<String> dataRoots, Controller controller) {
        this(dataDir, store, listen, publicUrl, apiToken, executor, limits, queue, repositories, notifications,
                readAccess, trialEnv, retention, slurm, dataRoots, controller, Log.DEFAULT);
    }

    /** Settings without a {@code controller} section. */
    public ServerSpec(Path dataDir, String store, Listen listen, String publicUrl, String apiToken,
                      Spec.Executor executor, Limits limits, Queue queue, List<Repository> repositories,
                      Channels notifications, ReadAccess readAccess, TrialEnv trialEnv, Retention retention,
                      Slurm slurm, List<String> dataRoots) {
        this(dataDir, store, listen, publicUrl, apiToken, executor, limits, queue, repositories, notifications,
                readAccess, trialEnv, retention, slurm, dataRoots, Controller.DEFAULT);
    }

    /** Settings without {@code data_roots}. */
    public ServerSpec(Path dataDir, String store, Listen listen, String publicUrl, String apiToken,
                      Spec.Executor executor, Limits limits, Queue queue, List<Repository> repositories,
                      Channels notifications, ReadAccess readAccess, TrialEnv trialEnv, Retention retention,
                      Slurm slurm) {
        this(dataDir, store, listen, publicUrl, apiToken, executor, limits, queue, repositories, notifications,
                readAccess, trialEnv, retention, slurm, List.of());
    }

    /** These settings with {@code data_roots} set to {@code roots}. */
    public ServerSpec withDataRoots(List<String> roots) {
        return new ServerSpec(dataDir, store, listen, publicUrl, apiToken, executor, limits, queue, repositories,
                notifications, readAccess, trialEnv, retention, slurm, roots, controller, log);
    }

    /** Settings without a {@code slurm} section. */
    public ServerSpec(Path dataDir, String store, Listen listen, String publicUrl, String apiToken,
                      Spec.Executor executor, Limits limits, Queue queue, List<Repository> repositories,
                      Channels notifications, ReadAccess readAccess, TrialEnv trialEnv, Retention retention) {
        this(dataDir, store, listen, publicUrl, apiToken, executor, limits, queue, repositories, notifications,
                readAccess, trialEnv, retention, Slurm.DEFAULT);
    }

    /** Settings whose retention is the default one. */
    public ServerSpec(Path dataDir, String store, Listen listen, String publicUrl, String apiToken,
                      Spec.Executor executor, Limits limits, Queue queue, List<Repository> repositories,
                      Channels notifications, ReadAccess readAccess, TrialEnv trialEnv) {
        this(dataDir, store, listen, publicUrl, apiToken, executor, limits, queue, repositories, notifications,
                readAccess, trialEnv, Retention.DEFAULT);
    }

    /**
     * Settings built in code (tests, benchmarks) whose queue is the default one (coalescing), whose read access
     * follows the address and which pass trials nothing beyond the allow-list.
     */
    public ServerSpec(Path dataDir, String store, Listen listen, String publicUrl, String apiToken,
                      Spec.Executor executor, Limits limits, List<Repository> repositories, Channels notifications) {
        this(dataDir, store, listen, publicUrl, apiToken, executor, limits, DEFAULT_QUEUE, repositories,
                notifications, null, TrialEnv.NONE);
    }

    /** Who may read when listening on {@code address}: {@code read_access} when set, else its default there. */
    public ReadAccess readAccess(Listen address) {
        return readAccess != null ? readAccess : ReadAccess.defaultAt(address);
    }

    /** These settings with {@code read_access} set to {@code access}. */
    public ServerSpec withReadAccess(ReadAccess access) {
        return new ServerSpec(dataDir, store, listen, publicUrl, apiToken, executor, limits, queue, repositories,
                notifications, access, trialEnv, retention, slurm, dataRoots, controller, log);
    }

    /** These settings with {@code trial_env} set to {@code env}. */
    public ServerSpec withTrialEnv(TrialEnv env) {
        return new ServerSpec(dataDir, store, listen, publicUrl, apiToken, executor, limits, queue, repositories,
                notifications, readAccess, env, retention, slurm, dataRoots, controller, log);
    }

    /** These settings with {@code retention} set to {@code kept}. */
    public ServerSpec withRetention(Retention kept) {
        return new ServerSpec(dataDir, store, listen, publicUrl, apiToken, executor, limits, queue, repositories,
                notifications, readAccess, trialEnv, kept, slurm, dataRoots, controller, log);
    }

    /** These settings with {@code controller} set to {@code leases}. */
    public ServerSpec withController(Controller leases) {
        return new ServerSpec(dataDir, store, listen, publicUrl, apiToken, executor, limits, queue, repositories,
                notifications, readAccess, trialEnv, retention, slurm, dataRoots, leases, log);
    }

    /** These settings with {@code log} set to {@code settings}. */
    public ServerSpec withLog(Log settings) {
        return new ServerSpec(dataDir, store, listen, publicUrl, apiToken, executor, limits, queue, repositories,
                notifications, readAccess, trialEnv, retention, slurm, dataRoots, controller, settings);
    }

    /**
     * {@code log}: how {@code hone serve} writes its log — {@code format}, {@code text} or {@code json} (as
     * {@code --log-format}, which beats it).
     */
    public record Log(String format) {
        /** The words of {@code log.format}. */
        public static final List<String> FORMATS = List.of("text", "json");
        public static final Log DEFAULT = new Log("text");
    }

    /**
     * {@code controller}: how long the lease of a run this controller claims lasts, and how often it is renewed.
     * Another controller on the store takes a run over once its lease has expired (its controller died), so the
     * lease is how long a run waits before it goes on elsewhere; {@code renew} is well within it (a third by
     * default), so that a slow moment does not lose it.
     */
    public record Controller(Duration lease, Duration renew) {
        public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
        public static final Controller DEFAULT = of(DEFAULT_LEASE);

        /** A lease renewed every third of it. */
        public static Controller of(Duration lease) {
            return new Controller(lease, lease.dividedBy(3));
        }
    }

    /** These settings with {@code slurm} set to {@code settings}. */
    public ServerSpec withSlurm(Slurm settings) {
        return new ServerSpec(dataDir, store, listen, publicUrl, apiToken, executor, limits, queue, repositories,
                notifications, readAccess, trialEnv, retention, settings, dataRoots, controller, log);
    }

    /**
     * {@code slurm}: {@code sharedDir}, a directory of the filesystem the cluster's nodes share with this host (the
     * run directories must be on it); null: the data directory.
     */
    public record Slurm(Path sharedDir) {
        public static final Slurm DEFAULT = new Slurm(null);
    }

    /**
     * How long what runs leave is kept ({@code retention}), counted from the end of the run; null: forever. Past
     * {@code workspaces} a finished run's workspace (with its pristine copy and checkpoints) goes; past {@code logs}
     * its trials' directories (log, output, parameters, diff) and its rebuild and image build logs; past
     * {@code runs} the whole run, its directory and its records in the store. A run that is queued, running or
     * interrupted (to be resumed) is never touched; {@code keep} names the trials kept whatever their age.
     */
    public record Retention(Duration workspaces, Duration logs, Duration runs, Set<Keep> keep) {

        /** Workspaces for 7 days, logs for 90, runs forever; the best and the served trials kept. */
        public static final Retention DEFAULT = new Retention(Duration.ofDays(7), Duration.ofDays(90), null,
                Set.of(Keep.BEST, Keep.SERVED));
        /** Nothing is ever deleted. */
        public static final Retention FOREVER = new Retention(null, null, null, Set.of(Keep.BEST, Keep.SERVED));

        public Retention {
            keep = keep.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(keep));
        }

        /**
         * What is kept whatever its age: {@code best}, each project's best trial (its directory, and its run in
         * the store); {@code served}, the trial whose model is served (its directory and its run's workspace,
         * which the model's container runs in).
         */
        public enum Keep {
            BEST, SERVED;

            /** {@code best} or {@code served}, as written in hone-server.yaml. */
            public String label() {
                return name().toLowerCase(Locale.ROOT);
            }
        }
    }

    /**
     * Who may read the REST API and the dashboard ({@code read_access}): anyone who reaches the port, or only who
     * holds a token. Writes always need a write token.
     */
    public enum ReadAccess {
        PUBLIC, TOKEN;

        private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

        /** Public on a loopback address (only this machine reaches it), else token. */
        public static ReadAccess defaultAt(Listen address) {
            return loopback(address.host()) ? PUBLIC : TOKEN;
        }

        /** {@code localhost}, 127.0.0.0/8 or ::1; a host name other than localhost is never taken for loopback. */
        static boolean loopback(String host) {
            if (host.equalsIgnoreCase("localhost")) {
                return true;
            }
            if (!IP_LITERAL.matcher(host).matches()) {
                return false;
            }
            try {
                return InetAddress.getByName(host).isLoopbackAddress(); // a literal: no lookup
            } catch (UnknownHostException e) {
                return false;
            }
        }

        /** {@code public} or {@code token}, as written in hone-server.yaml. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What of Hone's environment a trial sees ({@code trial_env}).
     *
     * @param pass       the variables {@code hone serve} passes to trials beyond its allow-list: names, or
     *                   prefixes written {@code NAME*}
     * @param referenced the variables this file takes values from ({@code ${VAR}}): Hone's own, which
     *                   {@code hone run} keeps from its trials too
     */
    public record TrialEnv(List<String> pass, Set<String> referenced) {

        public static final TrialEnv NONE = new TrialEnv(List.of(), Set.of());

        public TrialEnv {
            pass = List.copyOf(pass);
            referenced = Collections.unmodifiableSet(new LinkedHashSet<>(referenced));
        }
    }

    /**
     * Every secret this installation holds, to be masked in every output: the API token, webhook secrets,
     * repository passwords and tokens (in credentials or in a URL), SSH keys given as text and their passphrases,
     * the store's password, the SMTP password, the Slack, GitHub, GitLab and webhook credentials, and the values of
     * the variables this file takes values from whose names say secret ({@link SecretNames}), as {@code env} holds
     * them. Values shorter than {@value SecretNames#MIN_LENGTH} characters are left out.
     */
    public Set<String> secrets(Map<String, String> env) {
        List<String> found = new ArrayList<>();
        found.add(apiToken);
        found.addAll(GitUrls.secrets(store));
        for (Repository r : repositories) {
            found.add(r.webhookSecret());
            found.addAll(GitUrls.secrets(r.url()));
            switch (r.credentials()) {
                case null -> { }
                case Credentials.Password p -> found.add(p.password());
                case Credentials.SshKey k -> found.addAll(GitAuth.keySecrets(k.key(), k.passphrase()));
            }
        }
        Channels c = notifications;
        if (c.email() != null && c.email().smtp() != null) {
            found.add(c.email().smtp().password());
        }
        found.add(c.slack() == null ? null : c.slack().url());
        found.add(c.github() == null ? null : c.github().token());
        found.add(c.gitlab() == null ? null : c.gitlab().token());
        if (c.webhook() != null) {
            found.add(c.webhook().url());
            found.add(c.webhook().secret());
        }
        trialEnv.referenced().stream().filter(SecretNames::saysSecret).map(env::get).forEach(found::add);
        Set<String> secrets = new LinkedHashSet<>();
        found.stream().filter(Objects::nonNull).filter(s -> s.length() >= SecretNames.MIN_LENGTH)
                .forEach(secrets::add);
        return secrets;
    }

    /** Where the REST API and webhooks listen. {@code host} is {@code 0.0.0.0} for every interface. */
    public record Listen(String host, int port) {

        /** {@code host:port}, with an IPv6 host in brackets: {@code [::1]:8080}. */
        public String address() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * Limits across the installation: runs at once, trials at once over all runs, runs of one project at once (at
     * most {@code runs}), and the most a trial's log holds ({@code log_size}, bytes: past it the log keeps its
     * beginning and its end), and the most GPUs it hands out at once ({@code gpus}; null: all the host has).
     */
    public record Limits(int runs, int trials, int runsPerProject, long logSize, Integer gpus) {

        /** Every GPU the host has. */
        public Limits(int runs, int trials, int runsPerProject, long logSize) {
            this(runs, trials, runsPerProject, logSize, null);
        }

        /** As many runs of one project at once as runs at all. */
        public Limits(int runs, int trials) {
            this(runs, trials, runs);
        }

        /** Logs of {@link #DEFAULT_LOG_SIZE}. */
        public Limits(int runs, int trials, int runsPerProject) {
            this(runs, trials, runsPerProject, DEFAULT_LOG_SIZE);
        }
    }

    /**
     * How queued runs are started. {@code coalesce}: a burst of pushes to one branch runs only its newest commit
     * (the older queued runs end {@code superseded}); false: every push runs.
     */
    public record Queue(boolean coalesce) {}

    /**
     * A repository Hone watches and trains.
     *
     * @param url           a git URL: https://, http://, ssh://, user@host:path, file:// or an absolute path
     * @param poll          how often to fetch; {@link Duration#ZERO}: never, webhooks only
     * @param webhookSecret verifies its push webhooks (a secret); null: none
     * @param credentials   a user and token for http(s) URLs, a key and known_hosts for ssh URLs; null: none (the
     *                      server user's SSH keys for ssh URLs)
     * @param caCert        the CA certificates (PEM) its HTTPS server's certificate is checked against; null: the
     *                      JVM's
     * @param initialRun    true: the head of each watched branch is trained when the server first sees the
     *                      repository (once); false: only what is pushed after
     * @param schedule      when the head of each watched branch is trained again ({@code triggers.schedule});
     *                      null: only when something changes
     * @param pullRequests  true: the heads of pull and merge requests opened against a watched branch are trained,
     *                      without secrets or network ({@code pull_requests}); false: their webhooks are ignored
     */
    public record Repository(String url, List<String> branches, Duration poll, String webhookSecret,
                             Credentials credentials, Path caCert, boolean initialRun, Schedule schedule,
                             boolean pullRequests) {

        /** A repository without triggers beyond its pushes. */
        public Repository(String url, List<String> branches, Duration poll, String webhookSecret,
                          Credentials credentials, Path caCert, boolean initialRun) {
            this(url, branches, poll, webhookSecret, credentials, caCert, initialRun, null, false);
        }

        /** A repository whose branch heads are trained when first seen. */
        public Repository(String url, List<String> branches, Duration poll, String webhookSecret,
                          Credentials credentials, Path caCert) {
            this(url, branches, poll, webhookSecret, credentials, caCert, true);
        }

        /** A repository whose HTTPS certificate, if any, is checked against the JVM's CAs. */
        public Repository(String url, List<String> branches, Duration poll, String webhookSecret,
                          Credentials credentials) {
            this(url, branches, poll, webhookSecret, credentials, null);
        }

        /** The same repository with {@code initial_run} set to {@code initialRun}. */
        public Repository withInitialRun(boolean initialRun) {
            return new Repository(url, branches, poll, webhookSecret, credentials, caCert, initialRun, schedule,
                    pullRequests);
        }

        /** The same repository with {@code triggers.schedule} set to {@code schedule}. */
        public Repository withSchedule(Schedule schedule) {
            return new Repository(url, branches, poll, webhookSecret, credentials, caCert, initialRun, schedule,
                    pullRequests);
        }

        /** The same repository with {@code pull_requests} set to {@code pullRequests}. */
        public Repository withPullRequests(boolean pullRequests) {
            return new Repository(url, branches, poll, webhookSecret, credentials, caCert, initialRun, schedule,
                    pullRequests);
        }

        /** True when Hone fetches on a timer, not only on webhooks. */
        public boolean polls() {
            return !poll.isZero();
        }

        @Override
        public String toString() {
            return "Repository[url=" + Disclosure.maskCredentials(url) + ", branches=" + branches + ", poll=" + poll
                    + ", webhookSecret=" + Disclosure.mask(webhookSecret) + ", credentials=" + credentials
                    + ", caCert=" + caCert + ", initialRun=" + initialRun + ", schedule=" + schedule
                    + ", pullRequests=" + pullRequests + "]";
        }
    }

    /** How Hone proves it may read a repository; every secret is masked in {@code toString}. */
    public sealed interface Credentials {

        /** HTTP credentials: a user and its password, usually an access token (a secret). */
        record Password(String username, String password) implements Credentials {
            @Override
            public String toString() {
                return "Password[username=" + username + ", password=" + Disclosure.mask(password) + "]";
            }
        }

        /**
         * SSH: the repository's deploy key — its text ({@code key}, a secret) or its file ({@code keyFile}); both
         * null: the server user's keys — with its passphrase (a secret; null: none) and the known_hosts file that
         * vouches for the server (null: the server user's {@code ~/.ssh/known_hosts}).
         */
        record SshKey(String key, Path keyFile, String passphrase, Path knownHosts) implements Credentials {
            @Override
            public String toString() {
                return "SshKey[key=" + Disclosure.mask(key) + ", keyFile=" + keyFile + ", passphrase="
                        + Disclosure.mask(passphrase) + ", knownHosts=" + knownHosts + "]";
            }
        }
    }

    /** The notification channels of the installation; a null channel is not configured. */
    public record Channels(Email email, Slack slack, GitHub github, GitLab gitlab, Webhook webhook) {

        public static final Channels NONE = new Channels(null, null, null, null, null);
    }

    /** Mail sent through {@code smtp} from the address {@code from} ({@code a@b} or {@code Name <a@b>}). */
    public record Email(Smtp smtp, String from) {}

    public enum Security {
        NONE(25), STARTTLS(587), SSL(465);

        private final int defaultPort;

        Security(int defaultPort) {
            this.defaultPort = defaultPort;
        }

        /** 25, 587 or 465. */
        public int defaultPort() {
            return defaultPort;
        }
    }

    /** An SMTP server; {@code username} and {@code password} are both set or both null. */
    public record Smtp(String host, int port, Security security, String username, String password) {
        @Override
        public String toString() {
            return "Smtp[host=" + host + ", port=" + port + ", security=" + security + ", username=" + username
                    + ", password=" + Disclosure.mask(password) + "]";
        }
    }

    /** A Slack-compatible incoming webhook; the URL is the secret. */
    public record Slack(String url) {
        @Override
        public String toString() {
            return "Slack[url=" + Disclosure.mask(url) + "]";
        }
    }

    /** Commit statuses on GitHub (or GitHub Enterprise at {@code apiUrl}, without a trailing slash). */
    public record GitHub(String token, String apiUrl) {
        @Override
        public String toString() {
            return "GitHub[token=" + Disclosure.mask(token) + ", apiUrl=" + apiUrl + "]";
        }
    }

    /** Commit statuses on the GitLab at {@code url} (without a trailing slash). */
    public record GitLab(String url, String token) {
        @Override
        public String toString() {
            return "GitLab[url=" + url + ", token=" + Disclosure.mask(token) + "]";
        }
    }

    /** A server-wide URL that receives every event as JSON signed with {@code secret}; both are secrets. */
    public record Webhook(String url, String secret) {
        @Override
        public String toString() {
            return "Webhook[url=" + Disclosure.mask(url) + ", secret=" + Disclosure.mask(secret) + "]";
        }
    }

    @Override
    public String toString() {
        return "ServerSpec[dataDir=" + dataDir + ", store=" + Disclosure.maskCredentials(store) + ", listen="
                + listen + ", publicUrl=" + publicUrl + ", apiToken=" + Disclosure.mask(apiToken) + ", executor="
                + executor + ", limits=" + limits + ", queue=" + queue + ", repositories=" + repositories
                + ", notifications=" + notifications + ", readAccess=" + readAccess + ", trialEnv=" + trialEnv
                + ", retention=" + retention + ", slurm=" + slurm + ", dataRoots=" + dataRoots
                + ", controller=" + controller + ", log=" + log + "]";
    }
}
