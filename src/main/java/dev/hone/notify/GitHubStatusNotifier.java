package dev.hone.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Sets the commit status on GitHub (or GitHub Enterprise): {@code POST {api}/repos/{owner}/{repo}/statuses/{sha}}
 * with {@code {"state": "success|failure|error", "description", "context": "hone", "target_url"}}.
 */
final class GitHubStatusNotifier implements Notifier {

    private final String apiUrl;
    private final String token;
    private final String host;
    private final Http http;
    private final ObjectMapper json = new ObjectMapper();

    GitHubStatusNotifier(String token, String apiUrl, Http http) {
        this.apiUrl = apiUrl.replaceAll("/+$", "");
        this.token = token;
        String apiHost = URI.create(this.apiUrl).getHost();
        this.host = "api.github.com".equals(apiHost) ? "github.com" : apiHost;
        this.http = http;
    }

    @Override
    public String channel() {
        return "commit_status";
    }

    @Override
    public String route() {
        return "github." + Redaction.fingerprint(apiUrl);
    }

    @Override
    public boolean accepts(Event event) {
        return event instanceof Event.TestMessage
                || CommitStatus.of(event) != null && event.origin().commit() != null && repository(event).isPresent();
    }

    @Override
    public String send(Notice notice) {
        Event event = notice.event();
        if (event instanceof Event.TestMessage) {
            http.get("GitHub", URI.create(apiUrl + "/rate_limit"), headers());
            return "GitHub accepted the token";
        }
        Remote remote = repository(event).orElseThrow(() -> DeliveryException.permanent(
                "no GitHub repository for commit statuses: the run's remote is not on " + host, null));
        CommitStatus status = CommitStatus.of(event);
        ObjectNode body = json.createObjectNode()
                .put("state", status.name().toLowerCase(Locale.ROOT))
                .put("description", CommitStatus.description(event)).put("context", "hone");
        if (notice.link() != null) {
            body.put("target_url", notice.link());
        }
        String sha = event.origin().commit();
        http.post("GitHub", URI.create(apiUrl + "/repos/" + remote.path() + "/statuses/" + sha), body.toString(),
                headers());
        return "GitHub status " + body.get("state").asText() + " on " + remote.path() + "@" + Event.shortSha(sha);
    }

    private Optional<Remote> repository(Event event) {
        return Remote.parse(event.origin().remoteUrl())
                .filter(r -> r.host().equals(host) && r.path().split("/").length == 2);
    }

    private Map<String, String> headers() {
        return Map.of("Authorization", "Bearer " + token, "Accept", "application/vnd.github+json",
                "X-GitHub-Api-Version", "2022-11-28");
    }
}
