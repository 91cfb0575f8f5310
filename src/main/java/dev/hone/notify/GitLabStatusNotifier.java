package dev.hone.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Sets the commit status on a GitLab: {@code POST {url}/api/v4/projects/{url-encoded path}/statuses/{sha}} with
 * {@code {"state": "success|failed", "description", "name": "hone", "target_url"}} and the token in
 * {@code PRIVATE-TOKEN}.
 */
final class GitLabStatusNotifier implements Notifier {

    private final String url;
    private final String token;
    private final String host;
    private final Http http;
    private final ObjectMapper json = new ObjectMapper();

    GitLabStatusNotifier(String url, String token, Http http) {
        this.url = url.replaceAll("/+$", "");
        this.token = token;
        this.host = URI.create(this.url).getHost();
        this.http = http;
    }

    @Override
    public String channel() {
        return "commit_status";
    }

    @Override
    public String route() {
        return "gitlab." + Redaction.fingerprint(url);
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
            http.get("GitLab", URI.create(url + "/api/v4/user"), Map.of("PRIVATE-TOKEN", token));
            return "GitLab accepted the token";
        }
        Remote remote = repository(event).orElseThrow(() -> DeliveryException.permanent(
                "no GitLab project for commit statuses: the run's remote is not on " + host, null));
        String state = CommitStatus.of(event) == CommitStatus.SUCCESS ? "success" : "failed";
        ObjectNode body = json.createObjectNode().put("state", state)
                .put("description", CommitStatus.description(event)).put("name", "hone");
        if (notice.link() != null) {
            body.put("target_url", notice.link());
        }
        String sha = event.origin().commit();
        String project = URLEncoder.encode(remote.path(), StandardCharsets.UTF_8);
        http.post("GitLab", URI.create(url + "/api/v4/projects/" + project + "/statuses/" + sha), body.toString(),
                Map.of("PRIVATE-TOKEN", token));
        return "GitLab status " + state + " on " + remote.path() + "@" + Event.shortSha(sha);
    }

    private Optional<Remote> repository(Event event) {
        return Remote.parse(event.origin().remoteUrl()).filter(r -> r.host().equals(host));
    }
}
