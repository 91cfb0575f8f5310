package dev.hone.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hone.source.Webhooks;
import dev.hone.source.Webhooks.Provider;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fuzzes webhook deliveries, as anyone who reaches {@code /hooks/<provider>} may send them, one target per provider.
 * Each body is parsed as JSON ({@code Content-Type: application/json}), as a form ({@code payload=<JSON>}, GitHub's
 * default) and with no content type (a form only when it starts with {@code payload=}), under each event header the
 * provider reads. Seeds (GitHub's and GitLab's published examples among them):
 * {@code src/test/resources/dev/hone/fuzz/WebhooksFuzzTestInputs/<method>/}.
 */
class WebhooksFuzzTest {

    private static final String[] CONTENT_TYPES = {"application/json",
            "application/x-www-form-urlencoded", null};

    @FuzzTest(maxDuration = "15s")
    void github(byte[] body) {
        deliver(Provider.GITHUB, "X-GitHub-Event", body);
    }

    @FuzzTest(maxDuration = "15s")
    void gitlab(byte[] body) {
        deliver(Provider.GITLAB, "X-Gitlab-Event", body);
    }

    @FuzzTest(maxDuration = "15s")
    void gitea(byte[] body) {
        deliver(Provider.GITEA, "X-Gitea-Event", body);
    }

    @FuzzTest(maxDuration = "15s")
    void generic(byte[] body) {
        deliver(Provider.GENERIC, "X-Hone-Event", body);
    }

    private static void deliver(Provider provider, String eventHeader, byte[] body) {
        for (String contentType : CONTENT_TYPES) {
            for (String event : new String[] {"push", "ping", null}) {
                Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                if (contentType != null) {
                    headers.put("Content-Type", contentType);
                }
                if (event != null) {
                    headers.put(eventHeader, event);
                }
                Outcomes.valueOrRefusal(() -> Webhooks.parse(provider, headers::get, body));
                Webhooks.verify(provider, headers::get, body, "secret");
            }
        }
    }
}
