package dev.hone.spec;

import dev.hone.data.DataDir;
import dev.hone.spec.ServerSpec.Limits;
import dev.hone.spec.ServerSpec.Listen;
import dev.hone.spec.ServerSpec.Queue;
import dev.hone.spec.ServerSpec.Retention;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a composed {@code hone-server.yaml} into a {@link ServerSpec}, recording every problem. */
final class ServerReader {

    static final List<String> KEYS = List.of("data_dir", "store", "listen", "public_url", "api_token",
            "read_access", "executor", "limits", "queue", "repositories", "notify", "trial_env", "retention",
            "slurm", "data_roots", "controller", "log");

    /** {@code host:port}, {@code [v6]:port}, {@code :port} or {@code port}. */
    private static final Pattern LISTEN = Pattern.compile("(?:(\\[[0-9A-Fa-f:.]+]|[^\\s:\\[\\]]*):)?([0-9]{1,9})");
    /** A variable's name, or a prefix of names ({@code CUDA_*}). */
    private static final Pattern PASSED = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\*?");
    /** What a retention age is when it never ends. */
    private static final String FOREVER = "forever";
    private static final Pattern POSTGRES_WITHOUT_JDBC = Pattern.compile("(?i)postgres(?:ql)?://.*");

    private ServerReader() {}

    /** The settings of a file that sets nothing. */
    static ServerSpec defaults(Map<String, String> env) {
        String home = env.get("HOME");
        return new ServerSpec(home == null || home.isBlank() ? null : DataDir.inHome(Path.of(home)).root(), ServerSpec.SQLITE,
                ServerSpec.DEFAULT_LISTEN, null, null, Spec.Executor.AUTO, ServerSpec.DEFAULT_LIMITS,
                ServerSpec.DEFAULT_QUEUE, List.of(), ServerSpec.Channels.NONE, null, null);
    }

    /** @param interpolation what {@code root}'s values are expanded with: it tells which variables they took */
    static ServerSpec read(YamlValue root, Map<String, String> env, Interpolation interpolation) {
        ServerSpec defaults = defaults(env);
        YamlMapping m = root.mapping(KEYS)
                .disclosing(Disclosure.SECRET, "api_token")
                .disclosing(Disclosure.URL, "store");
        YamlValue dataDir = m.get("data_dir");
        ServerSpec read = new ServerSpec(
                dataDir.isMissing() ? defaults.dataDir() : path(dataDir, env.get("HOME")),
                store(m.get("store")),
                listen(m.get("listen")),
                withoutTrailingSlash(NotifyReader.httpUrl(m.get("public_url"))),
                m.get("api_token").string().orElse(null),
                m.get("executor").oneOf(Spec.Executor.class).orElse(defaults.executor()),
                limits(m.get("limits")),
                queue(m.get("queue")),
                RepositoryReader.read(m.get("repositories"), env.get("HOME")),
                ServerNotifyReader.read(m.get("notify")),
                m.get("read_access").oneOf(ServerSpec.ReadAccess.class).orElse(null),
                null,
                retention(m.get("retention")));
        List<String> pass = pass(m.get("trial_env"));
        // every value has been read (and expanded) by now: the variables the file refers to are known
        return read.withTrialEnv(new ServerSpec.TrialEnv(pass, interpolation.referenced()))
                .withSlurm(slurm(m.get("slurm"), env.get("HOME")))
                .withDataRoots(dataRoots(m.get("data_roots"), env.get("HOME")))
                .withController(controller(m.get("controller")))
                .withLog(log(m.get("log")));
    }

    /**
     * {@code data_roots}: the absolute directories ({@code ~} is HOME) and http(s) URL prefixes the data of a
     * hone.yaml may come from; a URL prefix without a path gets {@code /}, so no other host matches it.
     */
    private static List<String> dataRoots(YamlValue v, String home) {
        List<String> roots = new ArrayList<>();
        for (YamlValue item : v.items()) {
            String text = item.string().orElse(null);
            if (text == null) {
                continue;
            }
            if (text.startsWith("http://") || text.startsWith("https://")) {
                int slash = text.indexOf('/', text.indexOf("://") + 3);
                roots.add(slash < 0 ? text + "/" : text);
                continue;
            }
            Path path = path(item, home);
            if (path != null && !path.isAbsolute()) {
                item.problem("must be an absolute directory (or ~/…) or an http(s) URL prefix, got " + item.got()
                        + " — e.g. data_roots: [/srv/data, https://data.example.com/]");
            } else if (path != null) {
                roots.add(path.normalize().toString());
            }
        }
        return List.copyOf(roots);
    }

    /**
     * {@code controller}: {@code lease}, a duration of at least a second; {@code renew}, shorter than the lease (a
     * third of it when not set).
     */
    private static ServerSpec.Controller controller(YamlValue v) {
        YamlMapping m = v.mapping(List.of("lease", "renew"));
        YamlValue leaseValue = m.get("lease");
        Duration lease = leaseValue.duration().orElse(ServerSpec.Controller.DEFAULT_LEASE);
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            leaseValue.problem("must be at least 1s, got " + leaseValue.got() + " — the lease is how long another"
                    + " controller waits before it takes over the runs of one that died");
            lease = ServerSpec.Controller.DEFAULT_LEASE;
        }
        ServerSpec.Controller leases = ServerSpec.Controller.of(lease);
        YamlValue renewValue = m.get("renew");
        Duration renew = renewValue.duration().orElse(leases.renew());
        if (renew.isZero() || renew.compareTo(lease) >= 0) {
            renewValue.problem("must be more than 0 and shorter than controller.lease (" + lease.toSeconds()
                    + "s), got " + renewValue.got() + " — a lease renewed after it expired is lost");
            renew = leases.renew();
        }
        return new ServerSpec.Controller(lease, renew);
    }

    /** {@code slurm}: {@code shared_dir}, a path ({@code ~} is HOME); none: the data directory. */
    private static ServerSpec.Slurm slurm(YamlValue v, String home) {
        YamlValue sharedDir = v.mapping(List.of("shared_dir")).get("shared_dir");
        return new ServerSpec.Slurm(sharedDir.isMissing() ? null : path(sharedDir, home));
    }

    /** {@code log}: {@code format}, text or json. */
    private static ServerSpec.Log log(YamlValue v) {
        return v.mapping(List.of("format")).get("format").oneOf(ServerSpec.Log.FORMATS).map(ServerSpec.Log::new)
                .orElse(ServerSpec.Log.DEFAULT);
    }

    /** {@code trial_env.pass}: the names of variables, or prefixes ({@code CUDA_*}), trials are given. */
    private static List<String> pass(YamlValue v) {
        YamlMapping m = v.mapping(List.of("pass"));
        List<String> pass = new ArrayList<>();
        for (YamlValue item : m.get("pass").items()) {
            item.string().ifPresent(name -> {
                if (!PASSED.matcher(name).matches()) {
                    item.problem("must be an environment variable's name (letters, digits and _, not starting "
                            + "with a digit), or a prefix of names such as CUDA_*, got " + item.got());
                } else if (!pass.contains(name)) {
                    pass.add(name);
                }
            });
        }
        return List.copyOf(pass);
    }

    /** {@code url} without the slash that would double in {@code url + "/runs/1"}; null stays null. */
    static String withoutTrailingSlash(String url) {
        return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** {@code ~} and {@code ~/…} are under HOME; anything else is a path as written. */
    static Path path(YamlValue v, String home) {
        String text = v.string().orElse(null);
        if (text == null) {
            return null;
        }
        if (text.startsWith("~") && !text.equals("~") && !text.startsWith("~/")) {
            v.problem("cannot expand " + v.got() + ": only ~ and ~/… are expanded (to HOME) — write the full path");
            return null;
        }
        if (text.startsWith("~") && (home == null || home.isBlank())) {
            v.problem("starts with ~, but HOME is not set — write the full path or set HOME where Hone runs");
            return null;
        }
        try {
            return text.startsWith("~") ? Path.of(home, text.substring(1).replaceFirst("^/+", "")) : Path.of(text);
        } catch (InvalidPathException e) {
            v.problem("is not a valid path, got " + v.got() + ": " + e.getReason());
            return null;
        }
    }

    private static String store(YamlValue v) {
        String store = v.string().orElse(ServerSpec.SQLITE);
        boolean postgres = store.startsWith(ServerSpec.POSTGRESQL_URL_PREFIX)
                && store.length() > ServerSpec.POSTGRESQL_URL_PREFIX.length()
                && store.chars().noneMatch(Character::isWhitespace);
        if (!store.equals(ServerSpec.SQLITE) && !postgres) {
            String hint = POSTGRES_WITHOUT_JDBC.matcher(store).matches()
                    ? " — a PostgreSQL JDBC URL starts with jdbc:postgresql://"
                    : Suggestions.closest(store, List.of(ServerSpec.SQLITE))
                            .map(s -> " — did you mean \"" + s + "\"?").orElse("");
            v.problem("must be sqlite or a PostgreSQL JDBC URL such as jdbc:postgresql://db.example.com/hone, got "
                    + v.got() + hint);
        }
        return store;
    }

    private static Listen listen(YamlValue v) {
        Optional<Listen> listen = v.parsed("host:port, :port (every interface) or a port such as 8080",
                ServerReader::listenAddress);
        listen.filter(l -> l.port() < 1 || l.port() > 65535).ifPresent(l ->
                v.problem("the port must be between 1 and 65535, got " + v.got()));
        return listen.orElse(ServerSpec.DEFAULT_LISTEN);
    }

    /** A port alone listens on the default host; {@code :port} on every interface, as Go and Prometheus read it. */
    private static Optional<Listen> listenAddress(String text) {
        Matcher m = LISTEN.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String host = m.group(1) == null ? ServerSpec.DEFAULT_LISTEN.host()
                : m.group(1).isEmpty() ? "0.0.0.0"
                : m.group(1).replaceAll("^\\[|]$", "");
        return Optional.of(new Listen(host, Integer.parseInt(m.group(2))));
    }

    private static Limits limits(YamlValue v) {
        YamlMapping m = v.mapping(List.of("runs", "trials", "runs_per_project", "log_size", "gpus"));
        YamlValue runsValue = m.get("runs");
        YamlValue trialsValue = m.get("trials");
        YamlValue perProjectValue = m.get("runs_per_project");
        Optional<Integer> runsRead = runsValue.positiveInt();
        int runs = runsRead.orElse(ServerSpec.DEFAULT_LIMITS.runs());
        int trials = trialsValue.positiveInt().orElse(ServerSpec.DEFAULT_LIMITS.trials());
        int perProject = perProjectValue.positiveInt().orElse(runs);
        if (trials < runs && !trialsValue.isMissing()) {
            trialsValue.problem("must be at least limits.runs (" + runs + "), got " + trials
                    + " — every running run needs a trial; raise trials or lower runs");
        } else if (trials < runs) {
            runsValue.problem("must be at most limits.trials (" + trials + ", the default), got " + runs
                    + " — every running run needs a trial; lower runs or raise trials");
        }
        if (perProject > runs && (runsRead.isPresent() || runsValue.isMissing())) {
            String limit = runsValue.isMissing() ? runs + ", the default" : Integer.toString(runs);
            perProjectValue.problem("must be at most limits.runs (" + limit + "), got " + perProject
                    + " — a project's runs count among the installation's; lower runs_per_project or raise runs");
        }
        YamlValue logSizeValue = m.get("log_size");
        long logSize = logSizeValue.size().orElse(ServerSpec.DEFAULT_LOG_SIZE);
        if (logSize < ServerSpec.MIN_LOG_SIZE) {
            logSizeValue.problem("must be at least " + Units.formatSize(ServerSpec.MIN_LOG_SIZE) + ", got "
                    + logSizeValue.got() + " — a log keeps its beginning and its end within it; raise log_size");
        }
        Integer gpus = m.get("gpus").intIn(0, Integer.MAX_VALUE, "an integer of 0 or more").orElse(null);
        return new Limits(runs, trials, perProject, Math.max(logSize, ServerSpec.MIN_LOG_SIZE), gpus);
    }

    /** {@code retention}: three ages (a duration, or forever) and the trials kept whatever their age. */
    private static Retention retention(YamlValue v) {
        YamlMapping m = v.mapping(List.of("workspaces", "logs", "runs", "keep"));
        Retention defaults = Retention.DEFAULT;
        Set<Retention.Keep> keep = EnumSet.noneOf(Retention.Keep.class);
        YamlValue keepValue = m.get("keep");
        for (YamlValue item : keepValue.items()) {
            item.oneOf(Retention.Keep.class).ifPresent(keep::add);
        }
        return new Retention(age(m.get("workspaces"), defaults.workspaces()), age(m.get("logs"), defaults.logs()),
                age(m.get("runs"), defaults.runs()), keepValue.isMissing() ? defaults.keep() : keep);
    }

    /** A duration of more than 0, or {@value #FOREVER} (null); {@code otherwise} when not set. */
    private static Duration age(YamlValue v, Duration otherwise) {
        if (v.isMissing()) {
            return otherwise;
        }
        Optional<Optional<Duration>> age = v.parsed("a duration such as 12h, 7d or 90d, or " + FOREVER,
                text -> text.strip().equals(FOREVER) ? Optional.of(Optional.empty())
                        : Units.duration(text).map(Optional::of));
        if (age.isEmpty()) {
            return otherwise;
        }
        Duration read = age.get().orElse(null);
        if (read != null && read.isZero()) {
            v.problem("must be more than 0, got " + v.got() + " — write a duration such as 7d, or " + FOREVER
                    + " to keep it always");
            return otherwise;
        }
        return read;
    }

    private static Queue queue(YamlValue v) {
        YamlMapping m = v.mapping(List.of("coalesce"));
        return new Queue(m.get("coalesce").bool().orElse(ServerSpec.DEFAULT_QUEUE.coalesce()));
    }
}
