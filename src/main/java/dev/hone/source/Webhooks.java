package dev.hone.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Push webhooks of GitHub, GitLab, Gitea and a generic JSON format: how each is authenticated and what its
 * payload says. {@code headers} look a header up by name (case-insensitive), null when absent.
 *
 * <p>Authentication: GitHub and the generic format sign the body with HMAC-SHA256 in {@code X-Hub-Signature-256}
 * ({@code sha256=<hex>}; the generic format also takes {@code X-Hone-Signature-256}); Gitea in
 * {@code X-Gitea-Signature} (hex); GitLab sends the secret itself in {@code X-Gitlab-Token}. Every comparison takes
 * constant time.
 *
 * <p>Bodies: JSON, or a form ({@code application/x-www-form-urlencoded}, GitHub's default content type, which Gitea
 * offers too) whose {@code payload} field holds the JSON. The signature covers the raw body either way. A push names
 * its new head by commit id ({@value #COMMIT_ID_RULE}), never by a branch name.
 */
public final class Webhooks {

    /** The senders Hone understands; {@link #path()} is the segment of {@code /hooks/<path>}. */
    public enum Provider {
        GITHUB, GITLAB, GITEA, GENERIC;

        public String path() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZERO = "0000000000000000000000000000000000000000";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String FORM_FIELD = "payload=";
    private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");
    static final String COMMIT_ID_RULE = "40 or 64 hexadecimal characters";

    private Webhooks() {}

    /** True when the delivery proves it knows {@code secret}. */
    public static boolean verify(Provider provider, UnaryOperator<String> headers, byte[] body, String secret) {
        return switch (provider) {
            case GITHUB -> prefixed(headers.apply("X-Hub-Signature-256"), secret, body);
            case GITEA -> Signatures.hmacMatches(secret, body, headers.apply("X-Gitea-Signature"))
                    || prefixed(headers.apply("X-Hub-Signature-256"), secret, body);
            case GITLAB -> Signatures.equal(secret, headers.apply("X-Gitlab-Token"));
            case GENERIC -> prefixed(headers.apply("X-Hone-Signature-256"), secret, body)
                    || prefixed(headers.apply("X-Hub-Signature-256"), secret, body);
        };
    }

    /**
     * What the delivery says.
     *
     * @throws BadHookException when the body is not a JSON object of the provider's format (as it is, or as the
     *                           {@code payload} field of a form)
     */
    public static HookEvent parse(Provider provider, UnaryOperator<String> headers, byte[] body) {
        JsonNode root = json(isForm(headers.apply("Content-Type"), body) ? formPayload(body) : body);
        return switch (provider) {
            case GITHUB -> github(headers.apply("X-GitHub-Event"), root);
            case GITEA -> github(headers.apply("X-Gitea-Event") == null ? headers.apply("X-GitHub-Event")
                    : headers.apply("X-Gitea-Event"), root);
            case GITLAB -> gitlab(root);
            case GENERIC -> generic(root);
        };
    }

    private static boolean prefixed(String header, String secret, byte[] body) {
        return header != null && header.startsWith("sha256=")
                && Signatures.hmacMatches(secret, body, header.substring("sha256=".length()));
    }

    private static HookEvent github(String event, JsonNode root) {
        List<String> urls = urls(root.path("repository"), "clone_url", "ssh_url", "git_url", "html_url", "svn_url");
        String kind = event == null ? "push" : event.strip().toLowerCase(Locale.ROOT);
        if (kind.equals("ping")) {
            return new HookEvent.Ping(urls);
        }
        if (kind.equals("pull_request")) {
            return pullRequest(root, urls);
        }
        if (!kind.equals("push")) {
            return new HookEvent.Other(kind, urls);
        }
        JsonNode head = root.path("head_commit");
        String after = commitId(root, "after");
        return push(urls, required(root, "ref"), text(root, "before"), after, author(head.path("author")),
                text(head, "message"), root.path("deleted").asBoolean(false) || ZERO.equals(after));
    }

    private static HookEvent gitlab(JsonNode root) {
        List<String> urls = urls(root.path("project"), "git_http_url", "git_ssh_url", "web_url");
        urls(root.path("repository"), "git_http_url", "git_ssh_url", "homepage", "url").stream()
                .filter(url -> !urls.contains(url)).forEach(urls::add);
        String kind = text(root, "object_kind");
        if ("merge_request".equals(kind)) {
            return mergeRequest(root, urls);
        }
        if (!"push".equals(kind)) {
            return new HookEvent.Other(kind == null ? "unknown" : kind, urls);
        }
        String after = commitId(root, "after");
        JsonNode head = null;
        for (JsonNode commit : root.path("commits")) {
            if (after.equals(text(commit, "id"))) {
                head = commit;
            }
        }
        String author = head != null ? author(head.path("author"))
                : name(text(root, "user_name"), text(root, "user_email"));
        return push(urls, required(root, "ref"), text(root, "before"), after, author,
                head == null ? null : text(head, "message"), ZERO.equals(after));
    }

    /** GitHub's and Gitea's {@code pull_request}: opened, synchronize(d) (new commits) or reopened is run. */
    private static HookEvent pullRequest(JsonNode root, List<String> urls) {
        String action = String.valueOf(text(root, "action"));
        if (!List.of("opened", "synchronize", "synchronized", "reopened").contains(action)) {
            return new HookEvent.Other("pull_request " + action, urls);
        }
        JsonNode pr = root.path("pull_request");
        int number = root.path("number").asInt(pr.path("number").asInt(0));
        if (number <= 0) {
            throw new BadHookException("the pull_request payload has no \"number\"");
        }
        return new HookEvent.PullRequest(urls, new PullRef(PullRef.Kind.PULL, number),
                commitId(pr.path("head"), "sha"), required(pr.path("base"), "ref"), text(pr, "title"));
    }

    /** GitLab's merge request hook: open, reopen, or update with new commits ({@code oldrev} set) is run. */
    private static HookEvent mergeRequest(JsonNode root, List<String> urls) {
        JsonNode attributes = root.path("object_attributes");
        String action = String.valueOf(text(attributes, "action"));
        boolean newCommits = action.equals("update") && text(attributes, "oldrev") != null;
        if (!List.of("open", "reopen").contains(action) && !newCommits) {
            return new HookEvent.Other("merge_request " + action, urls);
        }
        int number = attributes.path("iid").asInt(0);
        if (number <= 0) {
            throw new BadHookException("the merge_request payload has no \"object_attributes.iid\"");
        }
        return new HookEvent.PullRequest(urls, new PullRef(PullRef.Kind.MERGE_REQUEST, number),
                commitId(attributes.path("last_commit"), "id"), required(attributes, "target_branch"),
                text(attributes, "title"));
    }

    private static HookEvent generic(JsonNode root) {
        JsonNode repository = root.path("repository");
        List<String> urls = new ArrayList<>(repository.isTextual() ? List.of(repository.asText())
                : urls(repository, "url", "clone_url"));
        if (urls.isEmpty()) {
            throw new BadHookException("the generic hook's payload needs \"repository\": the repository's git URL");
        }
        if ("ping".equals(text(root, "event"))) {
            return new HookEvent.Ping(urls);
        }
        String ref = text(root, "ref") != null ? text(root, "ref")
                : text(root, "branch") != null ? "refs/heads/" + text(root, "branch") : null;
        if (ref == null) {
            throw new BadHookException("the generic hook's payload needs \"branch\" (or \"ref\": \"refs/heads/…\")");
        }
        String after = commitId(root, text(root, "commit") != null ? "commit" : "after");
        return push(urls, ref, text(root, "before"), after, text(root, "author"), text(root, "message"),
                root.path("deleted").asBoolean(false) || ZERO.equals(after));
    }

    private static HookEvent push(List<String> urls, String ref, String before, String after, String author,
                                  String message, boolean deleted) {
        String branch = ref.startsWith("refs/heads/") ? ref.substring("refs/heads/".length()) : null;
        String firstLine = message == null ? null : message.strip().lines().findFirst().orElse("");
        return new HookEvent.PushEvent(new Push(urls, branch, before, after, author, firstLine, deleted));
    }

    /** A form body: said so by its content type, or starting with the one field GitHub and Gitea send. */
    private static boolean isForm(String contentType, byte[] body) {
        if (contentType != null) {
            return contentType.strip().toLowerCase(Locale.ROOT).startsWith(FORM);
        }
        byte[] field = FORM_FIELD.getBytes(StandardCharsets.US_ASCII);
        return body.length >= field.length
                && new String(body, 0, field.length, StandardCharsets.US_ASCII).equals(FORM_FIELD);
    }

    /** The decoded {@code payload} field of a form body. */
    private static byte[] formPayload(byte[] body) {
        for (String field : new String(body, StandardCharsets.US_ASCII).split("&")) {
            if (field.startsWith(FORM_FIELD)) {
                try {
                    return URLDecoder.decode(field.substring(FORM_FIELD.length()), StandardCharsets.UTF_8)
                            .getBytes(StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new BadHookException("the form's payload field is not URL-encoded: " + e.getMessage());
                }
            }
        }
        throw new BadHookException("the form has no payload field: send the JSON as payload=<JSON> or as the body "
                + "with Content-Type: application/json");
    }

    private static JsonNode json(byte[] body) {
        try {
            JsonNode root = JSON.readTree(body);
            if (root == null || !root.isObject()) {
                throw new BadHookException("the payload must be a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new BadHookException("the payload is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadHookException("the payload cannot be read: " + e.getMessage());
        }
    }

    private static List<String> urls(JsonNode node, String... fields) {
        List<String> urls = new ArrayList<>();
        for (String field : fields) {
            String url = text(node, field);
            if (url != null && !url.isBlank() && !urls.contains(url)) {
                urls.add(url);
            }
        }
        return urls;
    }

    private static String author(JsonNode author) {
        return name(text(author, "name"), text(author, "email"));
    }

    private static String name(String name, String email) {
        if (name == null) {
            return email;
        }
        return email == null ? name : name + " <" + email + ">";
    }

    private static String required(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null || value.isBlank()) {
            throw new BadHookException("the payload has no \"" + field + "\"");
        }
        return value;
    }

    /** The commit id in {@code field}: 40 (SHA-1) or 64 (SHA-256) hexadecimal characters, lower-cased. */
    private static String commitId(JsonNode node, String field) {
        String value = required(node, field);
        if (!COMMIT_ID.matcher(value).matches()) {
            throw new BadHookException("the payload's \"" + field + "\" must be a commit id (" + COMMIT_ID_RULE
                    + "), got \"" + abbreviate(value) + "\"");
        }
        return value.toLowerCase(Locale.ROOT);
    }

    private static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 80) + "…";
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : null;
    }
}
