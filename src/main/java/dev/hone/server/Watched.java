package dev.hone.server;

import dev.hone.source.GitAuth;
import dev.hone.source.GitUrls;
import dev.hone.source.Remote;
import dev.hone.spec.ProjectNames;
import dev.hone.spec.Schedule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A repository {@code hone serve} watches, from {@code hone-server.yaml} or added at run time ({@code id} set),
 * with its secrets resolved from the environment.
 *
 * @param branches      branch names; {@code *} matches any run of characters but {@code /} ({@code release/*})
 * @param poll          how often to look for new commits; zero: webhooks only
 * @param webhookSecret verifies its webhooks; null: it accepts none
 * @param auth          a user and token (http), a key and known_hosts (ssh); null: none, or the server user's keys
 * @param caCert        the CA certificates (PEM) of its HTTPS server; null: the JVM's
 * @param initialRun    true: the head of each watched branch is run when the server first sees it (once)
 * @param schedule      when the heads of its watched branches are run again; null: never on a timer
 * @param pullRequests  true: its pull and merge requests are run (untrusted: no secrets, no network)
 */
public record Watched(Long id, String url, List<String> branches, Duration poll, String webhookSecret,
                      GitAuth auth, Path caCert, boolean initialRun, Schedule schedule, boolean pullRequests) {

    public Watched {
        branches = List.copyOf(branches);
    }

    /** A repository with no triggers beyond its pushes. */
    public Watched(Long id, String url, List<String> branches, Duration poll, String webhookSecret, GitAuth auth,
                   Path caCert, boolean initialRun) {
        this(id, url, branches, poll, webhookSecret, auth, caCert, initialRun, null, false);
    }

    /** A repository whose branch heads are run when first seen. */
    public Watched(Long id, String url, List<String> branches, Duration poll, String webhookSecret, GitAuth auth,
                   Path caCert) {
        this(id, url, branches, poll, webhookSecret, auth, caCert, true);
    }

    /** Where it is fetched from and how. */
    public Remote remote() {
        return new Remote(url, auth, caCert);
    }

    /** True when it came from {@code hone-server.yaml} (it cannot be removed through the API). */
    public boolean configured() {
        return id == null;
    }

    /** The URL as runs record it: credentials masked. */
    public String source() {
        return GitUrls.mask(url);
    }

    /** The project name of its runs until a {@code hone.yaml} names one: the repository's, made a project name. */
    public String name() {
        return ProjectNames.of(GitUrls.name(url));
    }

    public String key() {
        return GitUrls.key(url);
    }

    public boolean polls() {
        return !poll.isZero();
    }

    /** True when pushes to {@code branch} are run. */
    public boolean watches(String branch) {
        return branch != null && branches.stream().anyMatch(b -> matches(b, branch));
    }

    private static boolean matches(String filter, String branch) {
        if (!filter.contains("*")) {
            return filter.equals(branch);
        }
        return branch.matches(Arrays.stream(filter.split("\\*", -1)).map(Pattern::quote)
                .collect(Collectors.joining("[^/]*")));
    }

    @Override
    public String toString() {
        return "Watched[url=" + source() + ", branches=" + branches + ", poll=" + poll + "]";
    }
}
