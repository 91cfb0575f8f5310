package dev.hone.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts every event as JSON to a URL of the team's: {@code {"event", "delivery", "project", "commit", "author",
 * "run", "link", "message", "details"}}. With a secret, {@code X-Hone-Signature-256: sha256=<hex>} carries the
 * HMAC-SHA256 of the exact body, so the receiver can check it came from Hone; {@code X-Hone-Event} names the
 * event and {@code X-Hone-Delivery} the idempotency key, the same on every attempt.
 */
final class WebhookNotifier implements Notifier {

    static final String SIGNATURE = "X-Hone-Signature-256";

    private final URI url;
    private final String secret;
    private final Http http;
    private final NoticeJson json = new NoticeJson();

    WebhookNotifier(String url, String secret, Http http) {
        this.url = URI.create(url);
        this.secret = secret;
        this.http = http;
    }

    @Override
    public String channel() {
        return "webhook";
    }

    @Override
    public String route() {
        return "webhook." + Redaction.fingerprint(url.toString(), secret);
    }

    @Override
    public String send(Notice notice) {
        String body = body(notice).toString();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Hone-Event", notice.event().type());
        headers.put("X-Hone-Delivery", notice.key());
        if (secret != null && !secret.isEmpty()) {
            headers.put(SIGNATURE, "sha256=" + sign(secret, body));
        }
        http.post("the webhook", url, body, headers);
        return "posted to the webhook" + (secret == null || secret.isEmpty() ? " (unsigned)" : " (signed)");
    }

    ObjectNode body(Notice notice) {
        Event event = notice.event();
        Event.Origin origin = event.origin();
        ObjectNode body = json.mapper().createObjectNode();
        body.put("event", event.type());
        body.put("delivery", notice.key());
        body.put("project", origin.project());
        body.put("commit", origin.commit());
        body.put("author", origin.author());
        if (notice.runId() == null) {
            body.putNull("run");
        } else {
            body.put("run", notice.runId());
        }
        body.put("link", notice.link());
        body.put("message", event.message());
        body.set("details", json.details(event));
        return body;
    }

    /** The lowercase hex HMAC-SHA256 of {@code body} under {@code secret}, as GitHub signs its webhooks. */
    static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }
}
