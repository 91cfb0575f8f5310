package dev.hone.spec;

import dev.hone.spec.ServerSpec.Credentials;
import dev.hone.spec.ServerSpec.Repository;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads {@code repositories}: the git repositories the installation watches, and how it hears of new commits. */
final class RepositoryReader {

    static final List<String> KEYS = List.of("url", "branches", "poll", "webhook_secret", "credentials");

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

    static List<Repository> read(YamlValue v) {
        List<Repository> repositories = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (YamlValue item : v.items()) {
            Repository repository = repository(item);
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

    private static Repository repository(YamlValue v) {
        YamlMapping m = v.mapping(KEYS)
                .disclosing(Disclosure.URL, "url")
                .disclosing(Disclosure.SECRET, "webhook_secret");
        m.require("url", "the repository to watch, e.g. url: https://github.com/acme/digits.git");
        YamlValue urlValue = m.get("url");
        String url = gitUrl(urlValue);
        YamlValue credentialsValue = m.get("credentials");
        Credentials credentials = credentials(credentialsValue);
        if (credentials != null && url != null && !url.startsWith("https://") && !url.startsWith("http://")) {
            credentialsValue.problem("are for http:// and https:// URLs only — ssh and file URLs do not use them; "
                    + "remove credentials (ssh authenticates with the server's SSH key)");
        }
        return new Repository(url, branches(m.get("branches")), poll(m.get("poll")),
                m.get("webhook_secret").string().orElse(null), credentials);
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

    private static Credentials credentials(YamlValue v) {
        if (v.isMissing()) {
            return null;
        }
        YamlMapping m = v.mapping(List.of("username", "password")).disclosing(Disclosure.SECRET, "password");
        m.require("username", "the account, e.g. username: \"${GIT_USER}\"");
        m.require("password", "the password or access token, e.g. password: \"${GIT_TOKEN}\"");
        return new Credentials(m.get("username").string().orElse(null), m.get("password").string().orElse(null));
    }
}
