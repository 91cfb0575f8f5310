package dev.hone.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hone.source.PullRef;
import dev.hone.store.RunRow;
import dev.hone.store.Store;
import dev.hone.tune.ParamText;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;

/**
 * The result of a pull request's run as one comment on the request, edited in place by each later run: GitHub's
 * issue comments ({@code POST /repos/{o}/{r}/issues/{n}/comments}, then {@code PATCH
 * /repos/{o}/{r}/issues/comments/{id}}) or GitLab's merge request notes ({@code POST
 * /projects/{p}/merge_requests/{n}/notes}, then {@code PUT …/notes/{id}}). The comment's id is kept in the store.
 * It says whether the target was reached, the best value against the base branch's latest, the trials, the best
 * parameters and the link to the run.
 */
final class PullRequestComment implements Notifier {

    enum Forge { GITHUB, GITLAB }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Forge forge;
    private final String apiUrl;
    private final String token;
    private final String host;
    private final Http http;
    private final Store store;
    private final InstantSource clock;

    /** @param apiUrl GitHub's API (https://api.github.com) or the GitLab's address (https://gitlab.com) */
    PullRequestComment(Forge forge, String apiUrl, String token, Http http, Store store, InstantSource clock) {
        this.clock = clock;
        this.forge = forge;
        this.apiUrl = apiUrl.replaceAll("/+$", "");
        this.token = token;
        String apiHost = URI.create(this.apiUrl).getHost();
        this.host = forge == Forge.GITHUB && "api.github.com".equals(apiHost) ? "github.com" : apiHost;
        this.http = http;
        this.store = store;
    }

    @Override
    public String channel() {
        return "pull_request_comment";
    }

    @Override
    public String route() {
        return "comment." + forge.name().toLowerCase(java.util.Locale.ROOT) + "." + Redaction.fingerprint(apiUrl);
    }

    @Override
    public boolean accepts(Event event) {
        boolean outcome = event instanceof Event.TargetReached || event instanceof Event.TargetMissed
                || event instanceof Event.TrainingFailed;
        return outcome && pull(event).isPresent() && repository(event).isPresent();
    }

    @Override
    public String send(Notice notice) {
        Event event = notice.event();
        PullRef pull = pull(event).orElseThrow();
        Remote remote = repository(event).orElseThrow(() -> DeliveryException.permanent(
                "no repository on " + host + " for the comment: the run's remote is elsewhere", null));
        String source = event.origin().remoteUrl();
        String key = "comment:" + pull.branch();
        String body = JSON.createObjectNode().put("body", text(notice, pull, source)).toString();
        Optional<String> id = store.installation().triggerState(source, key);
        String name = forge == Forge.GITHUB ? "GitHub" : "GitLab";
        if (id.isPresent()) {
            http.send(name, forge == Forge.GITHUB ? "PATCH" : "PUT", edit(remote, pull, id.get()), body, headers());
            return name + " comment " + id.get() + " on " + remote.path() + " " + pull.label() + " edited";
        }
        String answer = http.post(name, create(remote, pull), body, headers());
        String created;
        try {
            JsonNode node = JSON.readTree(answer).path("id");
            created = node.isMissingNode() || node.isNull() ? null : node.asText();
        } catch (IOException e) {
            created = null;
        }
        if (created == null) {
            throw DeliveryException.permanent(name + " answered no comment id: " + answer, null);
        }
        store.installation().saveTriggerState(source, key, created, clock.instant());
        return name + " comment " + created + " on " + remote.path() + " " + pull.label() + " created";
    }

    private URI create(Remote remote, PullRef pull) {
        return URI.create(forge == Forge.GITHUB
                ? apiUrl + "/repos/" + remote.path() + "/issues/" + pull.number() + "/comments"
                : apiUrl + "/api/v4/projects/" + project(remote) + "/merge_requests/" + pull.number() + "/notes");
    }

    private URI edit(Remote remote, PullRef pull, String id) {
        return URI.create(forge == Forge.GITHUB
                ? apiUrl + "/repos/" + remote.path() + "/issues/comments/" + id
                : apiUrl + "/api/v4/projects/" + project(remote) + "/merge_requests/" + pull.number() + "/notes/" + id);
    }

    private static String project(Remote remote) {
        return URLEncoder.encode(remote.path(), StandardCharsets.UTF_8);
    }

    /** Markdown: the outcome, best against the base branch's latest, trials, best parameters, the run's link. */
    private String text(Notice notice, PullRef pull, String source) {
        Event event = notice.event();
        String outcome = switch (event) {
            case Event.TargetReached e -> "target reached";
            case Event.TargetMissed e -> "target not reached";
            default -> "training failed";
        };
        StringBuilder text = new StringBuilder("**Hone**: " + outcome + " — " + event.message() + "\n\n");
        Optional<RunRow> run = notice.runId() == null ? Optional.empty() : store.run(notice.runId());
        String best = run.map(RunRow::bestValue).map(Event::fmt).orElse("none");
        String base = store.installation().triggerState(source, "base:" + pull.branch()).orElse(null);
        String against = base == null ? "" : store.latestRun(source, base).map(latest -> latest.bestValue() == null
                        ? " (" + base + "'s latest run " + latest.id() + " has no value)"
                        : " (" + base + "'s latest: " + Event.fmt(latest.bestValue()) + ", run " + latest.id() + ")")
                .orElse(" (" + base + " has no run yet)");
        text.append("- best: ").append(best).append(against).append('\n');
        text.append("- trials: ").append(run.map(RunRow::trialCount).orElse(0)).append('\n');
        run.filter(r -> r.bestTrial() != null).flatMap(r -> store.trials(r.id()).stream()
                        .filter(t -> t.trial().number() == r.bestTrial()).findFirst())
                .ifPresent(t -> text.append("- best parameters: ").append(params(t.trial().params())).append('\n'));
        if (notice.link() != null) {
            text.append("\n[Run ").append(notice.runId()).append(" in Hone](").append(notice.link()).append(")\n");
        }
        return text.toString();
    }

    private static String params(Map<String, Object> params) {
        return params.isEmpty() ? "none" : ParamText.exact(params);
    }

    private static Optional<PullRef> pull(Event event) {
        return PullRef.of(event.origin().branch());
    }

    private Optional<Remote> repository(Event event) {
        return Remote.parse(event.origin().remoteUrl()).filter(r -> r.host().equals(host));
    }

    private Map<String, String> headers() {
        return forge == Forge.GITHUB
                ? Map.of("Authorization", "Bearer " + token, "Accept", "application/vnd.github+json",
                        "X-GitHub-Api-Version", "2022-11-28")
                : Map.of("PRIVATE-TOKEN", token);
    }
}
