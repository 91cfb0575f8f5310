package dev.hone.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Posts to a Slack-compatible incoming webhook: {@code text} (the one-line outcome, also what chat apps without
 * blocks show) and {@code blocks}: the outcome, the key figures as fields, the log tail, the run's link.
 */
final class SlackNotifier implements Notifier {

    private static final int MAX_FIELDS = 10;
    private static final int MAX_TEXT = 2900;
    private static final int MAX_FIELD = 1900;
    private static final int TAIL_LINES = 15;
    private static final int MAX_TAIL = 2800;

    private final URI url;
    private final Http http;
    private final ObjectMapper json = new ObjectMapper();

    SlackNotifier(String url, Http http) {
        this.url = URI.create(url);
        this.http = http;
    }

    @Override
    public String channel() {
        return "slack";
    }

    @Override
    public String route() {
        return "slack." + Redaction.fingerprint(url.toString());
    }

    @Override
    public String send(Notice notice) {
        http.post("Slack", url, payload(notice).toString(), Map.of());
        return "posted to Slack";
    }

    ObjectNode payload(Notice notice) {
        Event event = notice.event();
        ObjectNode root = json.createObjectNode();
        root.put("text", event.message() + (notice.link() == null ? "" : " " + notice.link()));
        ArrayNode blocks = root.putArray("blocks");
        section(blocks, "*" + escape(event.message()) + "*");
        ArrayNode fields = blocks.addObject().put("type", "section").putArray("fields");
        Facts.of(event).entrySet().stream().limit(MAX_FIELDS).forEach(fact -> fields.addObject()
                .put("type", "mrkdwn")
                .put("text", clip("*" + escape(fact.getKey()) + "*\n" + escape(fact.getValue()), MAX_FIELD)));
        if (fields.isEmpty()) {
            blocks.remove(blocks.size() - 1);
        }
        List<String> tail = Facts.tail(event);
        if (!tail.isEmpty()) {
            List<String> last = tail.subList(Math.max(0, tail.size() - TAIL_LINES), tail.size());
            String text = escape(String.join("\n", last));
            text = text.length() <= MAX_TAIL ? text : "…" + text.substring(text.length() - MAX_TAIL);
            section(blocks, "*" + Facts.tailTitle(event) + "*\n```" + text + "```");
        }
        if (notice.link() != null) {
            blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
                    .put("text", "<" + notice.link() + "|Open the run in Hone>");
        }
        return root;
    }

    private static void section(ArrayNode blocks, String markdown) {
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
                .put("text", clip(markdown, MAX_TEXT));
    }

    /** Slack's mrkdwn reserves these three. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }
}
