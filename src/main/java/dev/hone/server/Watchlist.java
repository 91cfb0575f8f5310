package dev.hone.server;

import dev.hone.source.GitAuth;
import dev.hone.source.GitUrls;
import dev.hone.spec.SecretNames;
import dev.hone.spec.ServerSpec;
import dev.hone.spec.ServerSpec.Credentials;
import dev.hone.store.EventRow;
import dev.hone.store.Installation;
import dev.hone.store.RepositoryRow;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The repositories the server watches: those of {@code hone-server.yaml} and those added through the API or
 * {@code hone repo add} (kept in the store, read afresh on every call, so a repository added by the command line
 * is watched by a running server). Stored repositories hold the names of environment variables and the paths of
 * key files, never secrets.
 */
public final class Watchlist {

    /** How many of a project's latest runs tell whose it is (a refused run is never recorded under it). */
    private static final int CLAIM_LOOKBACK = 20;
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("(?i)^[a-z][a-z0-9+.-]*://[^/@\\s]*:[^/@\\s]*@.*");
    private static final Pattern PLAUSIBLE =
            Pattern.compile("(?i)^(https?://|ssh://|file://|/|[^\\s@/]+@[^\\s:]+:)\\S+$");

    private final List<ServerSpec.Repository> configured;
    private final Installation installation;
    private final Map<String, String> env;
    private final InstantSource clock;

    public Watchlist(List<ServerSpec.Repository> configured, Installation installation, Map<String, String> env,
                     InstantSource clock) {
        this.configured = List.copyOf(configured);
        this.installation = installation;
        this.env = Map.copyOf(env);
        this.clock = clock;
    }

    /** Every watched repository: the configured ones first, in file order, then the added ones. */
    public List<Watched> all() {
        List<Watched> all = new ArrayList<>();
        for (ServerSpec.Repository r : configured) {
            all.add(new Watched(null, r.url(), r.branches(), r.poll(), r.webhookSecret(), auth(r.credentials()),
                    r.caCert(), r.initialRun(), r.schedule(), r.pullRequests()));
        }
        for (RepositoryRow row : installation.repositories()) {
            if (all.stream().noneMatch(w -> w.key().equals(GitUrls.key(row.url())))) {
                all.add(new Watched(row.id(), row.url(), row.branches(), row.poll(),
                        row.webhookSecretEnv() == null ? null : env.get(row.webhookSecretEnv()), auth(row),
                        row.caCert()));
            }
        }
        return all;
    }

    /**
     * How the repository is doing, from what the store last recorded for it (its newest event, else whether it was
     * ever seen), so a command reading the store sees what the server saw.
     */
    public RepositoryStatus status(Watched watched) {
        List<EventRow> events = installation.repositoryEvents(watched.source(), 1);
        if (!events.isEmpty() && events.get(0).type().equals(RepositoryStatus.FAILED_EVENT)) {
            return new RepositoryStatus(RepositoryStatus.State.FAILING, events.get(0).message(), events.get(0).at());
        }
        boolean seen = !events.isEmpty() || installation.lastSeen(watched.source()).isPresent();
        return new RepositoryStatus(seen ? RepositoryStatus.State.OK : RepositoryStatus.State.UNCHECKED, null,
                events.isEmpty() ? null : events.get(0).at());
    }

    private static GitAuth auth(Credentials credentials) {
        return switch (credentials) {
            case null -> null;
            case Credentials.Password p -> new GitAuth.Password(p.username(), p.password());
            case Credentials.SshKey k -> new GitAuth.SshKey(k.key(), k.keyFile(), k.passphrase(), k.knownHosts());
        };
    }

    private GitAuth auth(RepositoryRow row) {
        if (row.usernameEnv() != null) {
            return new GitAuth.Password(env.get(row.usernameEnv()), env.get(row.passwordEnv()));
        }
        if (row.sshKeyFile() != null || row.knownHosts() != null) {
            return new GitAuth.SshKey(null, row.sshKeyFile(),
                    row.passphraseEnv() == null ? null : env.get(row.passphraseEnv()), row.knownHosts());
        }
        return null;
    }

    /**
     * The secrets of the watched repositories, to be masked in every output: webhook secrets, passwords and tokens
     * (in credentials or in a URL's user info), {@value SecretNames#MIN_LENGTH} characters or more.
     */
    public Set<String> secrets() {
        Set<String> secrets = new LinkedHashSet<>();
        for (Watched w : all()) {
            secrets.add(w.webhookSecret());
            if (w.auth() != null) {
                secrets.addAll(w.auth().secrets());
            }
            secrets.addAll(GitUrls.secrets(w.url()));
        }
        secrets.removeIf(s -> s == null || s.length() < SecretNames.MIN_LENGTH);
        return secrets;
    }

    /** The repository any of {@code urls} names (a webhook's clone, ssh and web URLs). */
    public Optional<Watched> find(List<String> urls) {
        List<String> keys = urls.stream().map(GitUrls::key).toList();
        return all().stream().filter(w -> keys.contains(w.key())).findFirst();
    }

    /** The repository a run came from ({@link RunRow#source()}). */
    public Optional<Watched> bySource(String source) {
        return source == null ? Optional.empty()
                : all().stream().filter(w -> w.source().equals(source) || w.key().equals(GitUrls.key(source)))
                        .findFirst();
    }

    /** The repository of a project: by its name, else by the source of the project's latest run. */
    public Optional<Watched> byProject(String project, Store store) {
        List<Watched> all = all();
        return all.stream().filter(w -> w.name().equals(project)).findFirst()
                .or(() -> store.runs(project, 1, 0).stream().map(RunRow::source).findFirst()
                        .flatMap(this::bySource));
    }

    /**
     * Why a run from {@code source} may not be recorded under {@code project}: the project belongs to another
     * watched repository, the one whose run started under that name first (runs that never started — queued, or
     * refused as invalid — claim nothing). Empty when the project is free or {@code source}'s own.
     */
    public Optional<String> claimed(String project, String source, Store store) {
        String key = GitUrls.key(source);
        return store.runs(project, CLAIM_LOOKBACK, 0).stream()
                .filter(run -> run.framework() != null && run.source() != null)
                .map(run -> bySource(run.source())).flatMap(Optional::stream)
                .filter(owner -> !owner.key().equals(key)).findFirst()
                .map(owner -> "project \"" + project + "\" is the project of " + owner.source() + ", another watched "
                        + "repository: give this repository's project a name of its own (name: in hone.yaml)");
    }

    /** The environment variable a stored repository's secret is read from, for messages. */
    public Optional<RepositoryRow> stored(Watched watched) {
        return installation.repositories().stream().filter(r -> watched.id() != null && r.id() == watched.id())
                .findFirst();
    }

    /**
     * Adds a repository (checked like {@code hone-server.yaml}'s; {@code wanted.id()} and {@code createdAt} are
     * ignored); the server watches it from its next look.
     */
    public Watched add(RepositoryRow wanted) {
        String url = wanted.url();
        check(url != null && PLAUSIBLE.matcher(url).matches(), "url must be a git URL (https://host/path, "
                + "ssh://host/path, git@host:path, file:///path or an absolute path), got " + quote(url));
        check(!PASSWORD_IN_URL.matcher(url).matches(), "url must not hold a password: give password_env (hone repo add --password-env), the "
                + "environment variable that holds it, got " + quote(GitUrls.mask(url)));
        List<String> branches = wanted.branches();
        check(!branches.isEmpty(), "branches must name at least one branch, e.g. [\"main\"]");
        check(branches.stream().allMatch(b -> b != null && b.matches("[^\\s~^:?\\[\\\\]+") && !b.contains("..")),
                "branches must be git branch names, got " + branches);
        Duration poll = wanted.poll();
        check(poll != null && (poll.isZero() || poll.compareTo(Duration.ofSeconds(1)) >= 0),
                "poll must be 0 (webhooks only) or at least 1s, got " + poll);
        for (String name : new String[] {wanted.webhookSecretEnv(), wanted.usernameEnv(), wanted.passwordEnv(),
                wanted.passphraseEnv()}) {
            check(name == null || ENV_NAME.matcher(name).matches(), "environment variable names are letters, "
                    + "digits and _ (not ${…}, not the secret itself), got " + quote(name));
        }
        check((wanted.usernameEnv() == null) == (wanted.passwordEnv() == null),
                "give both username_env and password_env, or neither");
        boolean ssh = GitUrls.ssh(url);
        check(wanted.usernameEnv() == null || GitUrls.http(url), "username_env and password_env are for http(s) "
                + "URLs — an ssh URL authenticates with a key: give ssh_key_file (hone repo add --ssh-key-file)");
        check(ssh || wanted.sshKeyFile() == null && wanted.passphraseEnv() == null && wanted.knownHosts() == null,
                "ssh_key_file, passphrase_env and known_hosts are for ssh:// and git@host:path URLs, got "
                        + quote(GitUrls.mask(url)));
        check(wanted.passphraseEnv() == null || wanted.sshKeyFile() != null,
                "passphrase_env is the passphrase of ssh_key_file: give ssh_key_file too");
        check(wanted.caCert() == null || url.startsWith("https://"), "ca_cert is for https:// URLs only, got "
                + quote(GitUrls.mask(url)));
        readable("ssh_key_file", wanted.sshKeyFile());
        readable("known_hosts", wanted.knownHosts());
        readable("ca_cert", wanted.caCert());
        if (configured.stream().anyMatch(r -> GitUrls.key(r.url()).equals(GitUrls.key(url)))) {
            throw new ServeException(ServeException.Kind.CONFLICT, GitUrls.mask(url)
                    + " is already watched through hone-server.yaml: change it there");
        }
        RepositoryRow row = installation.addRepository(new RepositoryRow(0, url, branches, poll,
                        wanted.webhookSecretEnv(), wanted.usernameEnv(), wanted.passwordEnv(), wanted.sshKeyFile(),
                        wanted.passphraseEnv(), wanted.knownHosts(), wanted.caCert(), clock.instant()), clock.instant())
                .orElseThrow(() -> new ServeException(ServeException.Kind.CONFLICT,
                        GitUrls.mask(url) + " is already watched: remove it first to change it"));
        return all().stream().filter(w -> w.id() != null && w.id() == row.id()).findFirst().orElseThrow();
    }

    private static void readable(String name, Path file) {
        if (file != null) {
            check(file.isAbsolute(), name + " must be an absolute path, got " + quote(file.toString()));
            check(Files.isRegularFile(file) && Files.isReadable(file), name + " must be a file the server can read, "
                    + "but " + file + " " + (Files.exists(file) ? "cannot be read" : "does not exist"));
        }
    }

    /** Stops watching an added repository; its runs stay in the history. */
    public void remove(String url) {
        if (configured.stream().anyMatch(r -> GitUrls.key(r.url()).equals(GitUrls.key(url)))) {
            throw new ServeException(ServeException.Kind.CONFLICT, GitUrls.mask(url)
                    + " is watched through hone-server.yaml: remove it there and restart hone serve");
        }
        String stored = installation.repositories().stream().map(RepositoryRow::url)
                .filter(u -> u.equals(url) || GitUrls.key(u).equals(GitUrls.key(url))).findFirst()
                .orElseThrow(() -> new ServeException(ServeException.Kind.NOT_FOUND,
                        "no watched repository has the URL " + quote(GitUrls.mask(url))));
        installation.removeRepository(stored);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new ServeException(ServeException.Kind.INVALID, message);
        }
    }

    private static String quote(String text) {
        return text == null ? "nothing" : "\"" + text + "\"";
    }
}
