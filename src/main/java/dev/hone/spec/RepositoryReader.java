package dev.hone.spec;

import dev.hone.spec.ServerSpec.Credentials;
import dev.hone.spec.ServerSpec.Repository;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads {@code repositories}: the git repositories the installation watches, and how it hears of new commits. */
final class RepositoryReader {

    static final List<String> KEYS = List.of("url", "branches", "poll", "webhook_secret", "credentials", "ca_cert",
            "initial_run", "triggers", "pull_requests");
    static final List<String> TRIGGER_KEYS = List.of("schedule", "time_zone");
    static final List<String> CREDENTIAL_KEYS = List.of("username", "password", "ssh_key", "passphrase",
            "known_hosts");

    private static final String GIT_URLS =
            "https://host/path, ssh://host/path, git@host:path, file:///path or an absolute path";
    /** scp-like syntax: {@code git@github.com:acme/digits.git}. */
    private static final Pattern SCP_LIKE = Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:\\S+");
    /** {@code github.com/acme/digits}: a URL without its scheme. */
    private static final Pattern SCHEMELESS = Pattern.compile("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+/\\S+");
    /** What {@code git check-ref-format} refuses, in short. */
    private static final Pattern BAD_BRANCH = Pattern.compile("[\\s~^:?*\\[\\\\]|\\.\\.|@\\{|//|^[-/.]|[/.]$|\\.lock$");
    private static final Duration MIN_POLL = Duration.ofSeconds(1);

    private RepositoryReader() {}

    static List<Repository> read(YamlValue v, String home) {
        List<Repository> repositories = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (YamlValue item : v.items()) {
            Repository repository = repository(item, home);
            if (repository.url() == null) {
                continue;
            }
            String first = seen.putIfAbsent(repository.url(), item.key());
            if (first != null) {
                item.problem("lists " + Scalar.quote(Disclosure.maskCredentials(repository.url()))
                        + " a second time (first as " + first + ") — keep one, with all its branches");
            }
            repositories.add(repository);
        }
        return List.copyOf(repositories);
    }

    private static Repository repository(YamlValue v, String home) {
        YamlMapping m = v.mapping(KEYS)
                .disclosing(Disclosure.URL, "url")
                .disclosing(Disclosure.SECRET, "webhook_secret");
        m.require("url", "the repository to watch, e.g. url: https://github.com/acme/digits.git");
        YamlValue urlValue = m.get("url");
        String url = gitUrl(urlValue);
        Credentials credentials = credentials(m.get("credentials"), url, home);
        YamlValue caCertValue = m.get("ca_cert");
        Path caCert = file(caCertValue, home);
        if (caCert != null && url != null && !url.startsWith("https://")) {
            caCertValue.problem("is for https:// URLs only (the CA of the HTTPS server's certificate) — remove it");
        }
        return new Repository(url, branches(m.get("branches")), poll(m.get("poll")),
                m.get("webhook_secret").string().orElse(null), credentials, caCert,
                m.get("initial_run").bool().orElse(true), schedule(m.get("triggers"), url),
                m.get("pull_requests").bool().orElse(false));
    }

    /** {@code triggers: {schedule, time_zone}}: a cron expression in a time zone (default UTC); null: none. */
    private static Schedule schedule(YamlValue v, String url) {
        YamlMapping m = v.mapping(TRIGGER_KEYS);
        YamlValue expression = m.get("schedule");
        YamlValue zoneValue = m.get("time_zone");
        String of = url == null ? "" : " of " + Scalar.quote(Disclosure.maskCredentials(url));
        ZoneId zone = zoneValue.string().flatMap(name -> zone(zoneValue, name, of)).orElse(ZoneOffset.UTC);
        if (!zoneValue.isMissing() && expression.isMissing()) {
            zoneValue.problem("is the time zone of triggers.schedule, which is not set — give " + Schedule.EXAMPLE);
        }
        return expression.string().flatMap(text -> {
            Optional<String> why = Schedule.reason(text);
            why.ifPresent(reason -> expression.problem("is not a cron expression" + of + ", got " + expression.got()
                    + " (" + reason + ") — five fields, minute hour day-of-month month day-of-week, e.g. "
                    + Schedule.EXAMPLE));
            return why.isPresent() ? Optional.empty() : Optional.of(new Schedule(text, zone));
        }).orElse(null);
    }

    private static Optional<ZoneId> zone(YamlValue v, String name, String of) {
        try {
            return Optional.of(ZoneId.of(name));
        } catch (DateTimeException e) {
            v.problem("is not a time zone" + of + ", got " + v.got() + Suggestions.hint(name,
                    ZoneId.getAvailableZoneIds().stream().sorted().toList(), "e.g. Europe/Paris, UTC; all")
                    .replaceFirst(" — allowed: .*", " — a region name such as Europe/Paris or America/New_York, "
                            + "or UTC"));
            return Optional.empty();
        }
    }

    private static String gitUrl(YamlValue v) {
        String url = v.string().orElse(null);
        if (url != null && !plausibleGitUrl(url)) {
            String hint = SCHEMELESS.matcher(url).matches()
                    ? " — did you mean " + Scalar.quote(Disclosure.maskCredentials("https://" + url)) + "?" : "";
            v.problem("must be a git URL (" + GIT_URLS + "), got " + v.got() + hint);
        }
        return url;
    }

    static boolean plausibleGitUrl(String url) {
        if (url.chars().anyMatch(Character::isWhitespace)) {
            return false;
        }
        if (url.startsWith("/")) {
            return url.length() > 1;
        }
        if (SCP_LIKE.matcher(url).matches()) {
            return true;
        }
        try {
            URI uri = new URI(url);
            String path = Optional.ofNullable(uri.getPath()).orElse("");
            return switch (Optional.ofNullable(uri.getScheme()).orElse("")) {
                case "https", "http", "ssh" -> uri.getHost() != null && path.length() > 1;
                case "file" -> path.length() > 1;
                default -> false;
            };
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static List<String> branches(YamlValue v) {
        if (v.isMissing()) {
            return ServerSpec.DEFAULT_BRANCHES;
        }
        if (v.isEmptyList()) {
            v.problem("must name at least one branch, e.g. branches: [main]");
        }
        List<String> branches = new ArrayList<>();
        for (YamlValue item : v.items()) {
            item.string().ifPresent(branch -> {
                if (BAD_BRANCH.matcher(branch).find()) {
                    item.problem("is not a branch name, got " + item.got() + " — git branch names have no spaces, "
                            + "~ ^ : ? * [ \\ or .., and do not start with - or end with / or .");
                } else if (branches.contains(branch)) {
                    item.problem("lists " + branch + " a second time — keep one");
                } else {
                    branches.add(branch);
                }
            });
        }
        return List.copyOf(branches);
    }

    private static Duration poll(YamlValue v) {
        Duration poll = v.duration().orElse(ServerSpec.DEFAULT_POLL);
        if (!poll.isZero() && poll.compareTo(MIN_POLL) < 0) {
            v.problem("must be 0 (webhooks only) or at least 1s, got " + v.got());
        }
        return poll;
    }

    /**
     * {@code {username, password}} for an http(s) URL; {@code {ssh_key, passphrase, known_hosts}} (each optional) for
     * an ssh URL. {@code ssh_key} is the key's text ({@code "${DEPLOY_KEY}"}) or the path of its file.
     */
    private static Credentials credentials(YamlValue v, String url, String home) {
        if (v.isMissing()) {
            return null;
        }
        YamlMapping m = v.mapping(CREDENTIAL_KEYS)
                .disclosing(Disclosure.SECRET, "password", "ssh_key", "passphrase");
        boolean http = url != null && (url.startsWith("https://") || url.startsWith("http://"));
        boolean ssh = url != null && (url.startsWith("ssh://") || SCP_LIKE.matcher(url).matches());
        boolean sshKeys = !m.get("ssh_key").isMissing() || !m.get("passphrase").isMissing()
                || !m.get("known_hosts").isMissing();
        boolean passwordKeys = !m.get("username").isMissing() || !m.get("password").isMissing();
        if (url != null && !http && !ssh) {
            v.problem("are for http(s) and ssh URLs — a local repository needs none; remove credentials");
            return null;
        }
        if (http || (!ssh && !sshKeys)) {
            if (sshKeys) {
                v.problem("of an http(s) URL are {username, password} — ssh_key, passphrase and known_hosts are for "
                        + "ssh:// and git@host:path URLs");
                return null;
            }
            m.require("username", "the account, e.g. username: \"${GIT_USER}\"");
            m.require("password", "the password or access token, e.g. password: \"${GIT_TOKEN}\"");
            return new Credentials.Password(m.get("username").string().orElse(null),
                    m.get("password").string().orElse(null));
        }
        if (passwordKeys) {
            v.problem("of an ssh URL are {ssh_key, passphrase, known_hosts} — ssh authenticates with a key, not "
                    + "username and password (or use the https:// URL with a token)");
        }
        YamlValue keyValue = m.get("ssh_key");
        String key = keyValue.string().orElse(null);
        boolean text = key != null && key.strip().startsWith("-----BEGIN");
        Path keyFile = key == null || text ? null : file(keyValue, home);
        if (!m.get("passphrase").isMissing() && key == null) {
            m.get("passphrase").problem("is the passphrase of ssh_key, which is not set — give ssh_key too");
        }
        return new Credentials.SshKey(text ? key : null, keyFile, m.get("passphrase").string().orElse(null),
                file(m.get("known_hosts"), home));
    }

    /** An absolute path ({@code ~/…} under HOME); a relative one is a problem, since hone serve may run anywhere. */
    private static Path file(YamlValue v, String home) {
        if (v.isMissing()) {
            return null;
        }
        Path path = ServerReader.path(v, home);
        if (path != null && !path.isAbsolute()) {
            v.problem("must be an absolute path (or ~/…), got " + v.got() + " — hone serve may run in any directory");
            return null;
        }
        return path;
    }
}
