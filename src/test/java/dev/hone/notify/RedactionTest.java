package dev.hone.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {

    static final String SLACK = "https://hooks.slack.com/services/T0001/B0001/XXXXsecretXXXX";
    final Redaction redaction = new Redaction(List.of(SLACK, "smtp-pa55word", "ab", ""));

    @Test
    void aMessageLosesTheSecretsAndUrlCredentialsButKeepsLinks() {
        String text = "posting to " + SLACK + " as smtp-pa55word via https://ana:tok3n@git.example.com/x.git; see "
                + "https://hone.example.com/runs/7";

        assertThat(redaction.text(text)).isEqualTo("posting to *** as *** via https://***@git.example.com/x.git; "
                + "see https://hone.example.com/runs/7");
    }

    @Test
    void anErrorAlsoLosesEveryUrlsPath() {
        assertThat(Redaction.NONE.error("POST https://hooks.example.com/services/T/B/x?token=1 failed; "
                + "http://127.0.0.1:8025 refused; https://ana:pw@example.com/hook; (see http://h.example/x/y), "
                + "http://q.example?token=abc."))
                .isEqualTo("POST https://hooks.example.com/… failed; http://127.0.0.1:8025 refused; "
                        + "https://example.com/…; (see http://h.example/…), http://q.example/….");
    }

    @Test
    void secretsTooShortToBeSecretsAreLeftAlone() {
        assertThat(redaction.text("ab cd")).isEqualTo("ab cd");
    }

    @Test
    void everyStringOfAJsonTreeIsMasked() throws Exception {
        JsonNode tree = new ObjectMapper().readTree("{\"a\": \"x smtp-pa55word\", \"b\": [\"" + SLACK + "\", 3], "
                + "\"c\": {\"d\": \"smtp-pa55word\"}}");

        redaction.scrub(tree);

        assertThat(tree.toString()).isEqualTo("{\"a\":\"x ***\",\"b\":[\"***\",3],\"c\":{\"d\":\"***\"}}");
    }

    @Test
    void anEndpointIsNamedWithoutItsPath() {
        assertThat(Redaction.endpoint(URI.create(SLACK))).isEqualTo("https://hooks.slack.com/…");
        assertThat(Redaction.endpoint(URI.create("http://127.0.0.1:8080"))).isEqualTo("http://127.0.0.1:8080");
    }
}
